// The data set preview chart picks its form from the data's shape.
import type { LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';

import { datasetPreviewOption, PREVIEW_SEQUENCES, previewRowsShown, type PreviewData } from '../../../core/charts/previewCharts.ts';

function series<T>(o: ReturnType<typeof datasetPreviewOption>): T[] {
  return o.series as T[];
}

describe('datasetPreviewOption', () => {
  it('draws a 2-D classification set as one scatter series per class', () => {
    const p: PreviewData = {
      name: 'xor',
      task: 'classification',
      rows: 4,
      features: 2,
      classes: 2,
      x: new Float32Array([1, 1, -1, -1, 1, -1, -1, 1]),
      y: new Float32Array([0, 0, 1, 1]),
    };
    const s = series<ScatterSeriesOption>(datasetPreviewOption(p));
    expect(s.map((x) => x.type)).toEqual(['scatter', 'scatter']);
    expect(s[0].data).toEqual([[1, 1], [-1, -1]]);
    expect(s[1].data).toEqual([[1, -1], [-1, 1]]);
    expect(s[0].color).not.toBe(s[1].color);
  });

  it('draws a one-input regression set as target over input', () => {
    const p: PreviewData = { name: 'sine', task: 'regression', rows: 2, features: 1, classes: 0, x: new Float32Array([0, 0.5]), y: new Float32Array([0, 0.25]) };
    const s = series<ScatterSeriesOption>(datasetPreviewOption(p));
    expect(s).toHaveLength(1);
    expect(s[0].data).toEqual([[0, 0], [0.5, 0.25]]);
  });

  it('draws a few sequences, every input as a line over the timesteps, one grid each', () => {
    const rows = 10;
    const steps = 3;
    const features = 2;
    const x = new Float32Array(rows * steps * features).map((_, i) => i);
    const p: PreviewData = { name: 'adding', task: 'regression', rows, features, steps, classes: 0, x, y: new Float32Array(rows) };
    const o = datasetPreviewOption(p);
    const s = series<LineSeriesOption>(o);
    expect(s).toHaveLength(PREVIEW_SEQUENCES * features);
    expect(o.grid).toHaveLength(PREVIEW_SEQUENCES);
    // Sequence 1, input 2: x[(1 * steps + t) * features + 1].
    expect(s[3]).toMatchObject({ xAxisIndex: 1, yAxisIndex: 1, name: 'input 2' });
    expect(s[3].data).toEqual([[0, 7], [1, 9], [2, 11]]);
  });

  it('describes itself for screen readers', () => {
    const p: PreviewData = { name: 'xor', task: 'classification', rows: 0, features: 2, classes: 2, x: new Float32Array(0), y: new Float32Array(0) };
    const aria = datasetPreviewOption(p, { title: 'XOR' }).aria as { label: { description: string } };
    expect(aria.label.description).toMatch(/^XOR\. 0 points/);
  });
});

describe('previewRowsShown', () => {
  it('is every row of a plain set and a few of a sequence set', () => {
    expect(previewRowsShown({ rows: 600 })).toBe(600);
    expect(previewRowsShown({ rows: 600, steps: 50 })).toBe(PREVIEW_SEQUENCES);
    expect(previewRowsShown({ rows: 2, steps: 50 })).toBe(2);
  });
});
