import { describe, expect, it } from 'vitest';

import { STEP_AXIS_ID } from '../../../core/charts/cursor.ts';
import { rowBuckets } from '../../../core/charts/decimate.ts';
import { DEFAULT_MAX_CELLS, bucketStepMatrix, layerHeatmapOption } from '../../../core/charts/layerHeatmap.ts';
import { allocateTraceColumns, traceMetric, type TraceColumns } from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/** Nodes x (input), d0, d1, out; `rows` traced rows every 10 steps; out_grad_norm 10^(k-3) at node k, 0 at the input. */
function columns(rows: number): TraceColumns {
  const cols = allocateTraceColumns(rows, ['x', 'd0', 'd1', 'out'], ['d0.weight'], false);
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 10;
    for (let k = 1; k < 4; k++) cols.metrics.out_grad_norm[r * 4 + k] = 10 ** (k - 3);
  }
  return cols;
}

/** `rows` rows of `nodes` nodes with noisy positive norms. */
function bigColumns(rows: number, nodes: number): TraceColumns {
  const ids = Array.from({ length: nodes }, (_, k) => `n${k}`);
  const cols = allocateTraceColumns(rows, ids, [], false);
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r;
    for (let k = 0; k < nodes; k++) cols.metrics.out_grad_norm[r * nodes + k] = (1 + ((r * 31 + k) % 7)) * 10 ** -k;
  }
  return cols;
}

describe('rowBuckets', () => {
  it('splits rows into at most maxBuckets consecutive non-empty buckets covering every row', () => {
    expect(Array.from(rowBuckets(10, 4))).toEqual([0, 2, 5, 7, 10]);
    expect(Array.from(rowBuckets(3, 10))).toEqual([0, 1, 2, 3]);
    expect(Array.from(rowBuckets(0, 10))).toEqual([0]);
    const b = rowBuckets(50_000, 1000);
    expect(b.length).toBe(1001);
    for (let k = 1; k < b.length; k++) expect(b[k]).toBeGreaterThan(b[k - 1]);
    expect(b[1000]).toBe(50_000);
  });
});

describe('bucketStepMatrix', () => {
  it('averages each bucket and takes log10 of the mean on a log scale, leaving cells with nothing positive out', () => {
    const values = new Float32Array([1, 0, 100, Number.NaN, 10, 0, 1000, Number.NaN]); // (4 rows, 2 columns)
    const h = bucketStepMatrix(
      { steps: [0, 1, 2, 3], values, stride: 2, groups: [{ start: 0, end: 1 }, { start: 1, end: 2 }], scale: 'log10' },
      { maxColumns: 2 },
    );
    expect(h.firstSteps).toEqual([0, 2]);
    expect(h.lastSteps).toEqual([1, 3]);
    // bucket 0, column 0: mean of 1 and 100; column 1: only 0 and NaN, a gap
    expect(h.cells).toEqual([
      [0, 0, expect.closeTo(Math.log10(50.5), 6)],
      [1, 0, expect.closeTo(Math.log10(505), 6)],
    ]);
    expect(Array.from(h.counts)).toEqual([2, 0]);
  });

  it('averages plain values, skipping NaN', () => {
    const h = bucketStepMatrix(
      { steps: [0, 1], values: new Float32Array([0.2, Number.NaN]), stride: 1, groups: [{ start: 0, end: 1 }], scale: 'value' },
      { maxColumns: 1 },
    );
    expect(h.cells).toEqual([[0, 0, expect.closeTo(0.2, 6)]]);
  });
});

describe('layerHeatmapOption', () => {
  it('draws one row per layer in plan order and one column per traced row when they fit, coloured by log10 norm', () => {
    const o = layerHeatmapOption(columns(5)) as AnyOption;
    expect(o.yAxis.data).toEqual(['d0', 'd1', 'out']); // the input node has no positive value: no row
    expect(o.xAxis.data).toEqual([0, 10, 20, 30, 40]);
    expect(o.xAxis.id).toBe(STEP_AXIS_ID);
    expect(o.series[0].type).toBe('heatmap');
    expect(o.series[0].data).toHaveLength(15);
    expect(o.series[0].data[0]).toEqual([0, 0, expect.closeTo(-2, 5)]);
    expect(o.visualMap.min).toBeCloseTo(-2, 5);
    expect(o.visualMap.max).toBeCloseTo(0, 5);
    expect(o.title.text).toContain(traceMetric('out_grad_norm').label);
    expect(o.aria.label.description).toContain(traceMetric('out_grad_norm').tooltip);
  });

  it('leaves NaN and 0 cells out as gaps, and excluded nodes out entirely', () => {
    const cols = columns(3);
    cols.metrics.out_grad_norm[1 * 4 + 2] = Number.NaN; // d1 at row 1
    cols.metrics.out_grad_norm[2 * 4 + 2] = 0; // d1 at row 2
    const o = layerHeatmapOption(cols, { exclude: ['out'] }) as AnyOption;
    expect(o.yAxis.data).toEqual(['d0', 'd1']);
    const d1 = o.series[0].data.filter((c: number[]) => c[1] === 1);
    expect(d1.map((c: number[]) => c[0])).toEqual([0]);
  });

  it('caps a 50,000-step, 20-layer run at the cell budget', () => {
    const cols = bigColumns(50_000, 20);
    const o = layerHeatmapOption(cols) as AnyOption;
    expect(o.series[0].data.length).toBeLessThanOrEqual(DEFAULT_MAX_CELLS);
    expect(o.xAxis.data.length).toBeLessThanOrEqual(1000);
    expect(o.xAxis.data[0]).toBe(0);
    const small = layerHeatmapOption(cols, { maxCells: 2000 }) as AnyOption;
    expect(small.series[0].data.length).toBeLessThanOrEqual(2000);
    expect(small.xAxis.data.length).toBe(100);
  });

  it('renders to SVG with its title, axis names and colour bar', () => {
    const svg = renderSvg(layerHeatmapOption(columns(6), { title: 'Heatmap title' }), 700, 400);
    expect(svg).toContain('Heatmap title');
    expect(svg).toContain('Training step');
    expect(svg).toContain('Layer (input → output)');
  });
});
