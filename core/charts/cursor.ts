/**
 * The one step cursor every chart of the Train view shares: a vertical line at
 * the selected training step on each x axis a builder tagged as a step axis
 * (STEP_AXIS_ID), added to an option a builder made (a new option, the input is
 * not changed); the traced row nearest to a step; and the step under a click.
 * Tagged axes, rather than "the first series", are what let one cursor sit on
 * line charts, bucketed heatmaps and multi-grid charts alike.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';

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

/**
 * Id prefix of a training-step x axis. Builders tag their step axes with it so the
 * shared cursor finds them in any layout (one grid or several): an axis whose id
 * starts with STEP_AXIS_ID is either a 'value' axis in training steps or a
 * 'category' axis whose data are the first training step of each bucket of
 * traced rows, increasing (the heatmaps).
 */
export const STEP_AXIS_ID = 'step';

/** Id of the series withStepCursor adds for the step axis `axisId` (replaced, not duplicated, on the next call). */
export function cursorSeriesId(axisId: string): string {
  return `cursor:${axisId}`;
}

/** Where `step` sits on a bucketed category axis: the bucket whose first step is the last one <= step; -1 before the first. */
export function bucketOfStep(bucketFirstSteps: ArrayLike<number>, step: number): number {
  let lo = 0;
  let hi = bucketFirstSteps.length; // first bucket starting after `step`
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Number(bucketFirstSteps[mid]) <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

type AxisLike = { id?: unknown; type?: unknown; data?: unknown; gridIndex?: unknown };

function asList<T>(v: T | T[] | undefined): T[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/**
 * `option` with the shared selected-step cursor: a vertical line at training step
 * `step` on every x axis tagged STEP_AXIS_ID (see there), so every chart of the
 * Train view follows one cursor. The line rides on its own empty series per axis
 * (id cursorSeriesId), so a chart's own mark lines are kept and calling again
 * moves the cursor instead of adding a second one. A step outside a category
 * axis's buckets draws nothing there. Returns a new option; the input is not changed.
 */
export function withStepCursor(option: EChartsOption, step: number, label = `step ${step}`): EChartsOption {
  const xAxes = asList(option.xAxis as AxisLike | AxisLike[] | undefined);
  const yAxes = asList(option.yAxis as AxisLike | AxisLike[] | undefined);
  const cursorIds = new Set<string>();
  const cursors: LineSeriesOption[] = [];
  xAxes.forEach((axis, xAxisIndex) => {
    if (typeof axis.id !== 'string' || !axis.id.startsWith(STEP_AXIS_ID)) return;
    const id = cursorSeriesId(axis.id);
    cursorIds.add(id);
    let at: number = step;
    if (axis.type === 'category') {
      const data = Array.isArray(axis.data) ? (axis.data as unknown[]) : [];
      at = bucketOfStep(data as ArrayLike<number>, step);
      if (at < 0 || at >= data.length) return;
    }
    const grid = typeof axis.gridIndex === 'number' ? axis.gridIndex : 0;
    const yAxisIndex = Math.max(0, yAxes.findIndex((y) => (typeof y.gridIndex === 'number' ? y.gridIndex : 0) === grid));
    cursors.push({
      type: 'line',
      id,
      name: label,
      xAxisIndex,
      yAxisIndex,
      data: [],
      silent: true,
      tooltip: { show: false },
      markLine: {
        silent: true,
        symbol: 'none',
        animation: false,
        lineStyle: { type: 'dashed', color: '#888', width: 1 },
        label: { formatter: label, position: 'end' },
        // On a category axis a number is the category's index (ECharts' ordinal scale).
        data: [{ xAxis: at }],
      },
    });
  });
  if (cursorIds.size === 0) return option;
  const kept = asList(option.series as { id?: unknown }[] | undefined).filter(
    (s) => typeof s.id !== 'string' || !cursorIds.has(s.id),
  );
  return { ...option, series: [...kept, ...cursors] as EChartsOption['series'] };
}

/**
 * `option` with its x axis `axisIndex` tagged as a step axis (id STEP_AXIS_ID), for
 * builders whose x axis is in training steps but carries no id (lossOption,
 * layerGradNormsOption). An axis that already has an id is left as it is.
 */
export function tagStepAxis(option: EChartsOption, axisIndex = 0): EChartsOption {
  const axes = asList(option.xAxis as AxisLike | AxisLike[] | undefined);
  const axis = axes[axisIndex];
  if (!axis || typeof axis.id === 'string') return option;
  const tagged = axes.map((a, i) => (i === axisIndex ? { ...a, id: STEP_AXIS_ID } : a));
  return { ...option, xAxis: (Array.isArray(option.xAxis) ? tagged : tagged[0]) as EChartsOption['xAxis'] };
}

/**
 * The training step under a click on x axis `axisIndex`, from the axis value
 * ECharts reports there: the value itself on a value step axis, the first step of
 * the bucket on a bucketed category axis (ECharts gives the category index).
 * null when that axis is not a step axis or the value falls outside it.
 */
export function stepAtAxisValue(option: EChartsOption, x: number, axisIndex = 0): number | null {
  const axis = asList(option.xAxis as AxisLike | AxisLike[] | undefined)[axisIndex];
  if (!axis || typeof axis.id !== 'string' || !axis.id.startsWith(STEP_AXIS_ID) || !Number.isFinite(x)) return null;
  if (axis.type !== 'category') return x;
  const data = Array.isArray(axis.data) ? (axis.data as unknown[]) : [];
  const step = Number(data[Math.round(x)]);
  return Number.isFinite(step) ? step : null;
}
