/**
 * The Train view's step marker: a vertical line at the selected training step,
 * added to an option a builder made (a new option, the input is not changed), and
 * the traced row nearest to a step. (cursor.ts holds the shared cursor for the
 * chart builders that tag their step axes.)
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';

/** `option` with a dashed vertical line at x = `step` on its first series. */
export function withStepMarker(option: EChartsOption, step: number, label = `step ${step}`): EChartsOption {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  if (series.length === 0) return option;
  const [first, ...rest] = series;
  const marked: LineSeriesOption = {
    ...(first as LineSeriesOption),
    markLine: {
      silent: true,
      symbol: 'none',
      animation: false,
      lineStyle: { type: 'dashed', color: '#888', width: 1 },
      label: { formatter: label, position: 'end' },
      data: [{ xAxis: step }],
    },
  };
  return { ...option, series: [marked, ...rest] as EChartsOption['series'] };
}

/** Index of the traced row whose step is nearest to `step` (steps increasing); -1 when there are none. */
export function nearestRow(steps: ArrayLike<number>, step: number): number {
  const n = steps.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(steps[lo - 1] - step) <= Math.abs(steps[lo] - step)) return lo - 1;
  return lo;
}
