/**
 * Gradient through time of one recurrent node (timestep_grad_norm, ‖dL/dh_t‖):
 * a timestep x step heatmap over training, and the profile over t at one traced
 * row with its "horizon", how far back in the sequence the gradient still
 * arrives with a useful share of its strength.
 */
import type { EChartsOption } from 'echarts';

import { recurrentMetric, recurrentSpan, recurrentValues, recurrentWidth, type TraceColumns } from '../traces/metrics.ts';
import { bucketStepMatrix, stepHeatmapOption, type ColumnGroup, type HeatmapBudget } from './layerHeatmap.ts';
import { depthColor, formatLogTick, formatValue, logSafe, metricAxisName } from './style.ts';

/** Default share of the last timestep's norm that still counts as "the gradient arrives". */
export const DEFAULT_HORIZON_FRACTION = 0.01;
/** Rows of timesteps a heatmap shows at most; longer sequences average neighbouring timesteps. */
export const DEFAULT_MAX_TIMESTEP_ROWS = 200;

export interface GradientHorizon {
  /** The earliest timestep reached: norm(t) >= fraction * norm(T - 1) for t and every later step. */
  t: number;
  /** How many steps before the last one that is: T - 1 - t. */
  stepsBack: number;
}

/**
 * The gradient horizon of one profile ‖dL/dh_t‖, t = 0 .. T-1: scanning back
 * from the last timestep, the earliest t before the norm first falls below
 * `fraction` times its value at the last timestep (NaN counts as falling below).
 * null when the last value is not positive and finite (nothing to compare with).
 */
export function gradientHorizon(values: ArrayLike<number>, fraction: number): GradientHorizon | null {
  const last = values.length - 1;
  const ref = last >= 0 ? values[last] : Number.NaN;
  if (!(ref > 0 && Number.isFinite(ref))) return null;
  const floor = fraction * ref;
  let t = last;
  while (t > 0 && values[t - 1] >= floor) t--;
  return { t, stepsBack: last - t };
}

function requireRecurrent(cols: TraceColumns, nodeId: string): NonNullable<TraceColumns['recurrent']> {
  if (!cols.recurrent || !cols.recurrent.nodes.some((n) => n.nodeId === nodeId)) {
    throw new RangeError(`"${nodeId}" is not a recurrent node of these traces; it has no timestep traces`);
  }
  return cols.recurrent;
}

export interface TimestepHeatmapOptions extends HeatmapBudget {
  title?: string;
  /** Rows of timesteps at most (DEFAULT_MAX_TIMESTEP_ROWS). */
  maxTimestepRows?: number;
}

/**
 * ‖dL/dh_t‖ of `nodeId` over training: y the timestep t (first at the bottom), x
 * the traced steps in buckets, colour log10 of the norm (its mean over a cell).
 * Long sequences are drawn in groups of neighbouring timesteps.
 */
export function timestepHeatmapOption(cols: TraceColumns, nodeId: string, options: TimestepHeatmapOptions = {}): EChartsOption {
  const rec = requireRecurrent(cols, nodeId);
  const m = recurrentMetric('timestep_grad_norm');
  const { offset, width } = recurrentSpan(rec.nodes, nodeId, 'timestep');
  const rows = Math.max(1, Math.min(width, options.maxTimestepRows ?? DEFAULT_MAX_TIMESTEP_ROWS));
  const groups: ColumnGroup[] = [];
  const labels: string[] = [];
  for (let g = 0; g < rows; g++) {
    const start = Math.floor((g * width) / rows);
    const end = Math.floor(((g + 1) * width) / rows);
    groups.push({ start: offset + start, end: offset + end });
    labels.push(end - start === 1 ? `t = ${start}` : `t = ${start}–${end - 1}`);
  }
  const h = bucketStepMatrix(
    {
      steps: cols.steps,
      values: rec.metrics.timestep_grad_norm,
      stride: recurrentWidth(rec.nodes, 'timestep'),
      groups,
      scale: 'log10',
    },
    options,
  );
  return stepHeatmapOption(
    h,
    {
      title: options.title ?? `${m.label}: ${nodeId}, over training`,
      description: m.tooltip,
      yName: 'Timestep t (first → last)',
      yLabels: labels,
      colourName: `‖dL/dh_t‖ (${m.unit})`,
    },
    'log10',
  );
}

export interface TimestepProfileOptions {
  title?: string;
  /** Share of the last timestep's norm that sets the horizon (DEFAULT_HORIZON_FRACTION). */
  fraction?: number;
}

/**
 * ‖dL/dh_t‖ of `nodeId` over t at traced row `row`, log y axis, with the gradient
 * horizon marked: a shaded band over the timesteps the gradient still reaches,
 * a vertical line at the horizon and a dashed line at fraction x the last value.
 */
export function timestepHorizonOption(
  cols: TraceColumns,
  nodeId: string,
  row: number,
  options: TimestepProfileOptions = {},
): EChartsOption {
  const rec = requireRecurrent(cols, nodeId);
  if (!Number.isInteger(row) || row < 0 || row >= cols.steps.length) {
    throw new RangeError(`traced row ${row} is out of range; these traces have ${cols.steps.length} rows`);
  }
  const m = recurrentMetric('timestep_grad_norm');
  const fraction = options.fraction ?? DEFAULT_HORIZON_FRACTION;
  const values = recurrentValues(rec, 'timestep_grad_norm', nodeId, row);
  const T = values.length;
  const horizon = gradientHorizon(values, fraction);
  const title = options.title ?? `${m.label}: ${nodeId}, step ${cols.steps[row]}`;
  const reach = horizon
    ? `The gradient keeps at least ${formatValue(fraction)} of its last-step size back to t = ${horizon.t} (${horizon.stepsBack} steps back).`
    : 'No gradient reached the last timestep, so no horizon can be measured.';
  const color = depthColor(0, 2);
  const marks = horizon
    ? {
        markArea: {
          silent: true,
          itemStyle: { color: depthColor(1, 2), opacity: 0.08 },
          data: [[{ xAxis: horizon.t }, { xAxis: T - 1 }]] as [{ xAxis: number }, { xAxis: number }][],
        },
        markLine: {
          silent: true,
          symbol: 'none',
          animation: false,
          data: [
            { xAxis: horizon.t, label: { formatter: `horizon t = ${horizon.t}`, position: 'end' as const }, lineStyle: { color, type: 'solid' as const } },
            { yAxis: fraction * values[T - 1], label: { formatter: `${formatValue(fraction)} × last`, position: 'insideStartTop' as const }, lineStyle: { color: '#888', type: 'dashed' as const } },
          ],
        },
      }
    : {};
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, subtext: reach, left: 'center', textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11 } },
    aria: { enabled: true, label: { description: `${title}. ${reach} ${m.tooltip}` } },
    grid: { left: 70, right: 30, top: 70, bottom: 55 },
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    xAxis: { type: 'value', name: 'Timestep t', nameLocation: 'middle', nameGap: 30, min: 0, max: Math.max(0, T - 1) },
    yAxis: { type: 'log', name: `‖dL/dh_t‖ (${m.unit})`, nameLocation: 'middle', nameGap: 55, axisLabel: { formatter: formatLogTick } },
    series: [
      {
        type: 'line',
        name: metricAxisName(m),
        color,
        showSymbol: T <= 60,
        symbolSize: 4,
        lineStyle: { width: 1.5, color },
        data: Array.from(values, (v, t): [number, number | null] => [t, logSafe(v)]),
        ...marks,
      },
    ],
  };
}
