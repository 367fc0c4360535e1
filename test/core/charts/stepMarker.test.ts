// The step marker: a line added without touching the builder's option, and
// the traced row nearest to a clicked step.
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';

import { nearestRow, withStepMarker } from '../../../core/charts/stepMarker.ts';

describe('withStepMarker', () => {
  it('adds a vertical line at the step to the first series and leaves the input alone', () => {
    const option: EChartsOption = { series: [{ type: 'line', data: [] }, { type: 'line', data: [] }] };
    const marked = withStepMarker(option, 40);
    const [first, second] = marked.series as LineSeriesOption[];
    expect(first.markLine?.data).toEqual([{ xAxis: 40 }]);
    expect(second.markLine).toBeUndefined();
    expect((option.series as LineSeriesOption[])[0].markLine).toBeUndefined();
  });

  it('returns an option without series unchanged', () => {
    const option: EChartsOption = { title: { text: 'x' } };
    expect(withStepMarker(option, 1)).toBe(option);
  });
});

describe('nearestRow', () => {
  const steps = new Int32Array([0, 10, 20, 30]);
  it.each([
    [-5, 0],
    [0, 0],
    [4, 0],
    [6, 1],
    [15, 1],
    [29, 3],
    [1000, 3],
  ])('step %d is nearest to row %d', (step, row) => {
    expect(nearestRow(steps, step)).toBe(row);
  });

  it('is -1 without rows', () => {
    expect(nearestRow(new Int32Array(0), 3)).toBe(-1);
  });
});
