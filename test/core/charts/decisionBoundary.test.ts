import { describe, expect, it } from 'vitest';

import { boundaryGrid, decisionBoundaryOption, predictedClasses } from '../../../core/charts/decisionBoundary.ts';
import { classColor } from '../../../core/charts/previewCharts.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/** 4 points: (0, 10) and (1, 12) of class 0, (2, 14) and (4, 20) of class 1. */
const X = new Float32Array([0, 10, 1, 12, 2, 14, 4, 20]);
const Y = new Float32Array([0, 0, 1, 1]);

describe('boundaryGrid', () => {
  it('spans the data range widened by the margin on each side, resolution points per axis', () => {
    const { grid, inputs } = boundaryGrid(X, 4, 0.25, 5);
    expect(grid).toEqual({ xMin: -1, xMax: 5, yMin: 7.5, yMax: 22.5, nx: 5, ny: 5 });
    expect(inputs).toHaveLength(5 * 5 * 2);
    expect(Array.from(inputs.subarray(0, 4))).toEqual([-1, 7.5, 0.5, 7.5]); // x runs fastest
    expect(Array.from(inputs.subarray(2 * 5 * 2, 2 * 5 * 2 + 2))).toEqual([-1, 15]); // row iy = 2
    expect(Array.from(inputs.subarray(48))).toEqual([5, 22.5]);
  });

  it('gives a feature without spread a range of 1 and refuses data that is not 2-D', () => {
    const { grid } = boundaryGrid(new Float32Array([3, 1, 3, 2]), 2, 0, 3);
    expect(grid).toMatchObject({ xMin: 2.5, xMax: 3.5, yMin: 1, yMax: 2 });
    expect(() => boundaryGrid(new Float32Array(6), 2)).toThrow(RangeError);
    expect(() => boundaryGrid(new Float32Array(0), 0)).toThrow(RangeError);
  });
});

describe('predictedClasses', () => {
  it('picks the most probable class, or class 1 above 0.5 for a single sigmoid column', () => {
    const multi = predictedClasses(new Float32Array([0.2, 0.5, 0.3, 0.9, 0.05, 0.05]), 2, 3);
    expect(Array.from(multi.cls)).toEqual([1, 0]);
    const single = predictedClasses(new Float32Array([0.2, 0.7]), 2, 1);
    expect(Array.from(single.cls)).toEqual([0, 1]);
    expect(single.p[0]).toBeCloseTo(0.8, 6);
  });
});

describe('decisionBoundaryOption', () => {
  const { grid } = boundaryGrid(X, 4, 0, 3);
  // 3 x 3 grid, 2 classes: left column class 0 for sure, the rest class 1, the centre a coin toss
  const probs = new Float32Array(9 * 2);
  for (let i = 0; i < 9; i++) {
    const p1 = i % 3 === 0 ? 0 : i === 4 ? 0.5 : 1;
    probs[i * 2] = 1 - p1;
    probs[i * 2 + 1] = p1;
  }
  const input = { grid, probabilities: probs, classes: 2, points: { x: X, y: Y, rows: 4 } };

  it('colours each cell by its predicted class with its sureness, under the points coloured by class', () => {
    const o = decisionBoundaryOption(input) as AnyOption;
    const [cells, c0, c1] = o.series;
    expect(cells.type).toBe('heatmap');
    expect(cells.data).toHaveLength(9);
    expect(cells.data[0]).toEqual([0, 0, 0, 1]);
    expect(cells.data[1]).toEqual([1, 0, 1, 1]);
    expect(cells.data[4]).toEqual([1, 1, 0, 0]); // a tie goes to class 0 with sureness 0
    expect(o.visualMap[0].pieces).toEqual([{ value: 0, color: classColor(0) }, { value: 1, color: classColor(1) }]);
    expect(c0).toMatchObject({ type: 'scatter', name: 'class 0', xAxisIndex: 1, data: [[0, 10], [1, 12]] });
    expect(c1.data).toEqual([[2, 14], [4, 20]]);
    expect(c1.itemStyle.color).toBe(classColor(1));
    expect(o.legend.data).toEqual(['class 0', 'class 1']);
  });

  it('lines the value axes up with the outer edges of the cells', () => {
    const o = decisionBoundaryOption(input) as AnyOption;
    expect(o.xAxis[1]).toMatchObject({ min: -1, max: 5 }); // centres 0, 2, 4: half a cell (1) beyond
    expect(o.yAxis[1]).toMatchObject({ min: 7.5, max: 22.5 });
    expect(o.grid[0]).toEqual(o.grid[1]);
  });

  it('throws when the probabilities do not fit the grid, and renders to SVG with its title', () => {
    expect(() => decisionBoundaryOption({ ...input, classes: 3 })).toThrow(RangeError);
    const svg = renderSvg(decisionBoundaryOption(input, { title: 'Boundary title' }), 500, 500);
    expect(svg).toContain('Boundary title');
    expect(svg).toContain('class 1');
  });

  it('draws at most maxPoints points', () => {
    const n = 10_000;
    const x = new Float32Array(n * 2).map((_, i) => i % 97);
    const y = new Float32Array(n).map((_, i) => i % 2);
    const g = boundaryGrid(x, n).grid;
    const o = decisionBoundaryOption(
      { grid: g, probabilities: new Float32Array(g.nx * g.ny), classes: 1, points: { x, y, rows: n } },
      { maxPoints: 1000 },
    ) as AnyOption;
    const drawn = o.series.slice(1).reduce((a: number, s: AnyOption) => a + s.data.length, 0);
    expect(drawn).toBeLessThanOrEqual(1000);
    expect(drawn).toBeGreaterThan(500);
  });
});
