/**
 * Pure ECharts option builders for a run's traces (STYLE rule 13): the renderer
 * shows them in a thin component, the report renders the same options to SVG.
 * Titles, axis names and the accessible description come from the metric
 * definitions in core/traces/metrics.ts; nothing here measures anything.
 */
import type { EChartsOption } from 'echarts';

import { evaluationMetric, type EvaluationMetricId } from '../traces/evaluation.ts';
import {
  metricAt,
  metricSeries,
  recurrentMetric,
  recurrentValues,
  traceMetric,
  type TraceColumns,
  type TraceMetric,
} from '../traces/metrics.ts';
import { DEFAULT_MAX_POINTS, decimatePairs } from './decimate.ts';
import { depthColor, formatLogTick, formatValue, logSafe, metricAxisName } from './style.ts';

export interface LossChartOptions {
  /** Chart title; the loss metric's label when absent. */
  title?: string;
  /** Point budget of the decimated curve (DEFAULT_MAX_POINTS). */
  maxPoints?: number;
  /**
   * The curve already decimated, [step, loss] pairs (a live chart keeps a
   * StreamDecimator instead of decimating the whole run on every update).
   */
  data?: [number, number | null][];
}

/** Pairs of [step, value]; null where the value does not apply (NaN) or is not finite. */
type Pairs = [number, number | null][];

/** One evaluation series as [step, value] pairs (a few hundred at most: never decimated). */
export function evaluationPairs(cols: TraceColumns, id: EvaluationMetricId): Pairs {
  const ev = cols.evaluation;
  if (!ev) return [];
  const values = ev.metrics[id];
  return Array.from(ev.steps, (step, i): [number, number | null] => [step, Number.isFinite(values[i]) ? values[i] : null]);
}

/** The dashed line of a held-out series over a training curve, with a dot at each evaluation when they are few. */
function evaluationSeries(id: EvaluationMetricId, data: Pairs) {
  return {
    type: 'line' as const,
    name: evaluationMetric(id).label,
    showSymbol: data.length <= 60,
    symbolSize: 4,
    lineStyle: { width: 2, type: 'dashed' as const },
    data,
  };
}

/** A legend under the grid naming the training and the test line. */
function twoLineLegend(names: string[]): EChartsOption {
  return {
    legend: { type: 'plain', bottom: 0, left: 10, right: 10, itemWidth: 18, data: names },
    grid: { left: 70, right: 30, top: 50, bottom: 55 + LEGEND_ROW_HEIGHT, containLabel: false },
  };
}

export interface LayerChartOptions {
  /** Log y axis (default true: gradient norms span orders of magnitude). */
  log?: boolean;
  title?: string;
  /** Point budget per node over the traced rows. */
  maxPoints?: number;
  /** Each node's line already decimated, [step, value] pairs (values as traced, before the log axis's clamp). */
  data?: readonly [number, number | null][][];
}

/** Legend entries that fit one row at report width, and the height of a row (px): room to leave under the grid. */
const LEGEND_PER_ROW = 7;
const LEGEND_ROW_HEIGHT = 22;

/** The parts every chart shares: title, the metric's words for screen readers, a grid that leaves room. */
function frame(title: string, metric: Pick<TraceMetric, 'tooltip'>): EChartsOption {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: { enabled: true, label: { description: `${title}. ${metric.tooltip}` } },
    grid: { left: 70, right: 30, top: 50, bottom: 55, containLabel: false },
  };
}

function checkRow(cols: TraceColumns, row: number): void {
  if (!Number.isInteger(row) || row < 0 || row >= cols.steps.length) {
    throw new RangeError(`traced row ${row} is out of range; these traces have ${cols.steps.length} rows`);
  }
}

/**
 * Loss per training step (every step, decimated min/max so spikes survive); with
 * a test part the test loss over it, dashed, at each evaluation.
 */
export function lossOption(cols: TraceColumns, options: LossChartOptions = {}): EChartsOption {
  const m = traceMetric('loss');
  const title = options.title ?? m.label;
  const test = evaluationPairs(cols, 'test_loss');
  return {
    ...frame(title, m),
    ...(test.length > 0 ? twoLineLegend([m.label, evaluationMetric('test_loss').label]) : {}),
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    xAxis: { type: 'value', name: 'Training step', nameLocation: 'middle', nameGap: 30, min: 0, max: 'dataMax' },
    yAxis: {
      type: m.logScale ? 'log' : 'value',
      name: metricAxisName(m),
      nameLocation: 'middle',
      nameGap: 50,
      scale: true,
      // A diverging loss reaches 1e30; ECharts would print 2.4999999999999996e+30.
      axisLabel: { formatter: (v: number) => (m.logScale ? formatLogTick(v) : formatValue(v)) },
    },
    series: [
      {
        type: 'line',
        name: m.label,
        showSymbol: false,
        lineStyle: { width: 1 },
        data: options.data ?? decimatePairs(cols.metrics.loss, options.maxPoints ?? DEFAULT_MAX_POINTS),
      },
      ...(test.length > 0 ? [evaluationSeries('test_loss', test)] : []),
    ],
  };
}

/** True when the run's accuracy applies (classification): some step's batch accuracy is a number. */
export function hasAccuracy(cols: TraceColumns): boolean {
  const a = cols.metrics.accuracy;
  // Accuracy is NaN on every step or on none (it depends on the loss only), so the first step tells.
  return a.length > 0 && !Number.isNaN(a[0]);
}

/**
 * Accuracy per training step: the batch accuracy (decimated like the loss) and,
 * with a test part, the test accuracy over every held-out row, dashed. The y axis
 * is the share right, 0 to 1.
 */
export function accuracyOption(cols: TraceColumns, options: LossChartOptions = {}): EChartsOption {
  const m = traceMetric('accuracy');
  const title = options.title ?? m.label;
  const test = evaluationPairs(cols, 'test_accuracy');
  const train = `${m.label} (batch)`;
  return {
    ...frame(title, m),
    ...(test.length > 0 ? twoLineLegend([train, evaluationMetric('test_accuracy').label]) : {}),
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    xAxis: { type: 'value', name: 'Training step', nameLocation: 'middle', nameGap: 30, min: 0, max: 'dataMax' },
    yAxis: { type: 'value', name: metricAxisName(m), nameLocation: 'middle', nameGap: 50, min: 0, max: 1 },
    series: [
      {
        type: 'line',
        name: train,
        showSymbol: false,
        lineStyle: { width: 1 },
        data: options.data ?? decimatePairs(cols.metrics.accuracy, options.maxPoints ?? DEFAULT_MAX_POINTS),
      },
      ...(test.length > 0 ? [evaluationSeries('test_accuracy', test)] : []),
    ],
  };
}

/**
 * The gradient reaching each layer (out_grad_norm) over the traced steps: one line
 * per node, coloured by depth (blue first layer, red last), log y axis by default.
 */
export function layerGradNormsOption(cols: TraceColumns, options: LayerChartOptions = {}): EChartsOption {
  const m = traceMetric('out_grad_norm');
  const log = options.log ?? true;
  const title = options.title ?? `${m.label}, per layer`;
  const budget = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const n = cols.nodeIds.length;
  return {
    ...frame(title, m),
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    // Plain, wrapping legend: a report's static SVG cannot page through a scrolling one.
    legend: { type: 'plain', bottom: 0, left: 10, right: 10, itemWidth: 18, itemGap: 8, data: [...cols.nodeIds] },
    grid: { left: 70, right: 30, top: 50, bottom: 55 + LEGEND_ROW_HEIGHT * Math.ceil(n / LEGEND_PER_ROW) },
    xAxis: { type: 'value', name: 'Training step', nameLocation: 'middle', nameGap: 28, min: 'dataMin', max: 'dataMax' },
    yAxis: {
      type: log ? 'log' : 'value',
      name: metricAxisName(m),
      nameLocation: 'middle',
      nameGap: 55,
      ...(log ? { axisLabel: { formatter: formatLogTick } } : {}),
    },
    series: cols.nodeIds.map((id, k) => {
      const pairs = options.data?.[k] ?? decimatePairs(metricSeries(cols, 'out_grad_norm', k), budget, cols.steps);
      const data = log ? pairs.map(([x, y]): [number, number | null] => [x, y !== null ? logSafe(y) : y]) : pairs;
      const color = depthColor(k, n);
      return { type: 'line' as const, name: id, showSymbol: false, color, lineStyle: { width: 1, color }, data };
    }),
  };
}

/**
 * The vanishing profile: the gradient reaching each layer at one traced row, one
 * bar per node in plan order (input side left, output side right), on a log scale.
 *
 * The bars are drawn on a value axis of log10(norm) counted from the power of ten
 * strictly below the smallest value (`log10Floor`), the tick labels being that power: on an
 * ECharts 'log' axis every bar grows from 1, so a vanishing gradient would hang
 * from the top instead of standing short. A bar's height reads "orders of
 * magnitude above the floor"; nodes without a positive, finite value get no bar.
 */
export function gradientProfileOption(cols: TraceColumns, row: number, options: { title?: string } = {}): EChartsOption {
  checkRow(cols, row);
  const m = traceMetric('out_grad_norm');
  const n = cols.nodeIds.length;
  const title = options.title ?? `${m.label} at step ${cols.steps[row]}`;
  const values = cols.nodeIds.map((_, k) => logSafe(metricAt(cols, 'out_grad_norm', row, k)));
  const exps = values.filter((v): v is number => v !== null).map(Math.log10);
  // Strictly below the smallest, so its bar shows (the tolerance absorbs float32 rounding of an exact power).
  const log10Floor = exps.length ? Math.ceil(Math.min(...exps) - 1e-6) - 1 : 0;
  const log10Ceil = exps.length ? Math.max(log10Floor + 1, Math.ceil(Math.max(...exps) - 1e-6)) : 1;
  return {
    ...frame(title, m),
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatValue(10 ** (v + log10Floor)) : '–') },
    grid: { left: 70, right: 30, top: 50, bottom: 80 },
    xAxis: {
      type: 'category',
      name: 'Layer (input → output)',
      nameLocation: 'middle',
      nameGap: 60,
      data: [...cols.nodeIds],
      axisLabel: { rotate: 30, interval: 0 },
    },
    yAxis: {
      type: 'value',
      name: `${metricAxisName(m)}, log scale`,
      nameLocation: 'middle',
      nameGap: 55,
      min: 0,
      max: log10Ceil - log10Floor,
      interval: 1,
      axisLabel: { formatter: (x: number) => formatLogTick(10 ** (x + log10Floor)) },
    },
    series: [
      {
        type: 'bar',
        name: m.label,
        data: values.map((v, k) => ({
          value: v === null ? null : Math.log10(v) - log10Floor,
          itemStyle: { color: depthColor(k, n) },
        })),
      },
    ],
  };
}

/**
 * A recurrent node's gradient through time at one traced row: ‖dL/dh_t‖ for every
 * timestep t, log y axis. Throws RangeError for a node without recurrent traces.
 */
export function timestepProfileOption(
  cols: TraceColumns,
  nodeId: string,
  row: number,
  options: { title?: string } = {},
): EChartsOption {
  checkRow(cols, row);
  if (!cols.recurrent) throw new RangeError(`these traces have no recurrent nodes; "${nodeId}" has no timestep traces`);
  const m = recurrentMetric('timestep_grad_norm');
  const values = recurrentValues(cols.recurrent, 'timestep_grad_norm', nodeId, row);
  const title = options.title ?? `${m.label}: ${nodeId}, step ${cols.steps[row]}`;
  return {
    ...frame(title, m),
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    xAxis: { type: 'value', name: 'Timestep t', nameLocation: 'middle', nameGap: 30, min: 0, max: Math.max(0, values.length - 1) },
    yAxis: { type: 'log', name: `‖dL/dh_t‖ (${m.unit})`, nameLocation: 'middle', nameGap: 55, axisLabel: { formatter: formatLogTick } },
    series: [
      {
        type: 'line',
        name: nodeId,
        showSymbol: values.length <= 60,
        symbolSize: 4,
        data: Array.from(values, (v, t): [number, number | null] => [t, logSafe(v)]),
      },
    ],
  };
}
