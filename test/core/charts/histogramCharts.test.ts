import { describe, expect, it } from 'vitest';

import { STEP_AXIS_ID } from '../../../core/charts/cursor.ts';
import { bucketHistogram, gradientHistogramOption } from '../../../core/charts/histogramCharts.ts';
import {
  GRAD_HISTOGRAM,
  HIST_BINS,
  HIST_STRIDE,
  HIST_ZERO_INDEX,
  allocateTraceColumns,
  histogramBinStart,
  type TraceColumns,
} from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/**
 * Two tensors; at row r tensor 1 has 3 entries in bin 10 + (r % 2) and 1 exact zero,
 * tensor 0 has 8 entries in bin 0. `rows` rows every 10 steps.
 */
function columns(rows: number, histogram = true): TraceColumns {
  const cols = allocateTraceColumns(rows, ['x', 'd0'], ['d0.weight', 'd0.bias'], histogram);
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 10;
    if (!histogram) continue;
    cols.histogram[(r * 2 + 0) * HIST_STRIDE] = 8;
    cols.histogram[(r * 2 + 1) * HIST_STRIDE + 10 + (r % 2)] = 3;
    cols.histogram[(r * 2 + 1) * HIST_STRIDE + HIST_ZERO_INDEX] = 1;
  }
  return cols;
}

describe('bucketHistogram', () => {
  it('pools the counts of a bucket\'s rows and divides by their total, zeros included', () => {
    const h = bucketHistogram(columns(4), 1, { maxColumns: 2 });
    expect(h.firstSteps).toEqual([0, 20]);
    expect(h.lastSteps).toEqual([10, 30]);
    expect(h.cells).toEqual([
      [0, 10, 3 / 8],
      [0, 11, 3 / 8],
      [1, 10, 3 / 8],
      [1, 11, 3 / 8],
    ]);
    expect(h.zeros).toEqual([0.25, 0.25]);
    expect(h.maxShare).toBe(3 / 8);
  });
});

describe('gradientHistogramOption', () => {
  it('draws bins over traced steps as a heatmap and the exact-zero share as a line below, on the same buckets', () => {
    const o = gradientHistogramOption(columns(3), 'd0.bias') as AnyOption;
    expect(o.title.text).toContain(GRAD_HISTOGRAM.label);
    expect(o.title.text).toContain('d0.bias');
    expect(o.yAxis[0].data).toHaveLength(HIST_BINS);
    expect(o.yAxis[0].data[0]).toBe(histogramBinStart(0));
    expect(o.yAxis[0].axisLabel.formatter(String(histogramBinStart(4)))).toBe('1e-17');
    expect(o.yAxis[0].axisLabel.formatter(String(histogramBinStart(1)))).toBe('');
    expect(o.xAxis.map((a: AnyOption) => a.id)).toEqual([STEP_AXIS_ID, `${STEP_AXIS_ID}:zeros`]);
    expect(o.xAxis[0].data).toEqual([0, 10, 20]);
    const [heat, zeros] = o.series;
    expect(heat.type).toBe('heatmap');
    expect(heat.data).toEqual([[0, 10, 0.75], [1, 11, 0.75], [2, 10, 0.75]]);
    expect(zeros.data).toEqual([[0, 0.25], [1, 0.25], [2, 0.25]]);
    expect(o.visualMap.max).toBe(0.75);
    expect(o.aria.label.description).toContain(GRAD_HISTOGRAM.tooltip);
  });

  it('shows an empty bucket as a gap in the zero line and a run without histograms as a note', () => {
    const cols = columns(2);
    cols.histogram.fill(0, 2 * HIST_STRIDE); // row 1 counted nothing
    expect((gradientHistogramOption(cols, 1) as AnyOption).series[1].data[1]).toEqual([1, null]);
    const none = gradientHistogramOption(columns(2, false), 0) as AnyOption;
    expect(none.title.subtext).toContain('not recorded');
    expect(none.series[0].data).toEqual([]);
  });

  it('throws for a tensor that is not in the traces', () => {
    expect(() => gradientHistogramOption(columns(1), 'nope.weight')).toThrow(RangeError);
    expect(() => gradientHistogramOption(columns(1), 2)).toThrow(RangeError);
  });

  it('caps 50,000 steps at the cell budget and renders to SVG with its title', () => {
    const cols = columns(50_000);
    const o = gradientHistogramOption(cols, 1) as AnyOption;
    expect(o.xAxis[0].data.length).toBeLessThanOrEqual(1000);
    expect(o.series[0].data.length).toBeLessThanOrEqual(200_000);
    expect(o.series[1].data.length).toBe(o.xAxis[0].data.length);
    const svg = renderSvg(gradientHistogramOption(columns(6), 1, { title: 'Histogram title' }), 700, 500);
    expect(svg).toContain('Histogram title');
    expect(svg).toContain('Training step');
  });
});
