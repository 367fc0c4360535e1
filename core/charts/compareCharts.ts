/**
 * Pure ECharts option builders for the Compare view: two to four runs on shared
 * axes. Overlays draw one series per run in that run's colour (loss, the first /
 * last layer gradient ratio, the gradient profile across relative depth); small
 * multiples draw one run each (per-layer gradient norms) on a common y range and a
 * common step range, so equal heights mean equal gradients. Every step axis is
 * tagged STEP_AXIS_ID so withStepCursor puts the one shared cursor on all of them.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';

import { TraceReader } from '../diagnosis/traceReader.ts';
import { analyseSpec } from '../diagnosis/anatomy.ts';
import type { NetworkSpec } from '../network/spec.ts';
import { escapeHtml } from '../text/escapeHtml.ts';
import { metricAt, traceMetric, type NodeMetricId, type TraceColumns } from '../traces/metrics.ts';
import { nearestRow, STEP_AXIS_ID } from './cursor.ts';
import { DEFAULT_MAX_POINTS, decimatePairs } from './decimate.ts';
import { formatLogTick, formatValue, logSafe, metricAxisName } from './style.ts';
import { layerGradNormsOption } from './traceCharts.ts';

/** A run as the compare charts take it. */
export interface CompareRun {
  id: string;
  label: string;
  cols: TraceColumns;
  /** Its network: names the first and last hidden layers of the ratio chart (else guessed from the traces). */
  network?: NetworkSpec;
}

/**
 * Run colours, one per compared run (at most four are compared): the Okabe-Ito
 * palette, told apart with any colour vision and distinct from the blue-to-red
 * depth palette of the per-layer charts.
 */
export const RUN_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9'] as const;

export function runColor(index: number): string {
  return RUN_COLORS[((index % RUN_COLORS.length) + RUN_COLORS.length) % RUN_COLORS.length];
}

/** Series names: the run labels, made unique (a legend keys series by name) with " #2", " #3". */
export function seriesNames(runs: readonly Pick<CompareRun, 'label'>[]): string[] {
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const n = (seen.get(r.label) ?? 0) + 1;
    seen.set(r.label, n);
    return n === 1 ? r.label : `${r.label} #${n}`;
  });
}

/** The last training step any run has (loss is kept for every step); 0 without steps. */
export function lastStep(runs: readonly CompareRun[]): number {
  return Math.max(0, ...runs.map((r) => r.cols.metrics.loss.length - 1));
}

export interface LogRange {
  /** Powers of ten around every positive finite value. */
  min: number;
  max: number;
}

/**
 * The y range shared by the small multiples: the smallest and largest positive,
 * finite value of a node metric over every run and traced row, widened to whole
 * powers of ten. Null when no run has such a value.
 */
export function commonLogRange(runs: readonly CompareRun[], metric: NodeMetricId = 'out_grad_norm'): LogRange | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of runs) {
    for (const v of r.cols.metrics[metric]) {
      if (!(v > 0) || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return null;
  // The tolerance keeps an exact power of ten (rounded in float32) on its own tick.
  const min = 10 ** Math.floor(Math.log10(lo) + 1e-6);
  const max = 10 ** Math.max(Math.ceil(Math.log10(hi) - 1e-6), Math.log10(min) + 1);
  return { min, max };
}

/** The two weight tensors a ratio compares ("<id>.weight"), or node ids when it falls back to out_grad_norm. */
export interface RatioPair {
  first: string;
  last: string;
  metric: 'grad_norm' | 'out_grad_norm';
}

const MAIN_WEIGHT = /\.(weight|weight_ih)$/;

/**
 * Which layers "first / last" means, as the diagnosis reads it: the first and the
 * last hidden weighted layer (the read-out head is left out: its gradient comes
 * straight from the loss). With a single hidden layer, that layer against the head.
 * From the network when given and traced, else from the traced main weights in
 * order. Null with fewer than two weighted layers.
 */
export function ratioPair(run: CompareRun): RatioPair | null {
  const cols = run.cols;
  const analysed = run.network ? analyseSpec(run.network) : null;
  if (analysed) {
    const hidden = analysed.anatomy.hidden;
    const layers = hidden.length >= 2 ? hidden : analysed.anatomy.weighted;
    if (layers.length >= 2) {
      const first = TraceReader.weightName(layers[0]);
      const last = TraceReader.weightName(layers[layers.length - 1]);
      if (cols.paramNames.includes(first) && cols.paramNames.includes(last)) return { first, last, metric: 'grad_norm' };
      const [a, b] = [layers[0].id, layers[layers.length - 1].id];
      if (cols.nodeIds.includes(a) && cols.nodeIds.includes(b)) return { first: a, last: b, metric: 'out_grad_norm' };
    }
  }
  const weights = cols.paramNames.filter((p) => MAIN_WEIGHT.test(p));
  const hidden = weights.length >= 3 ? weights.slice(0, -1) : weights;
  return hidden.length >= 2 ? { first: hidden[0], last: hidden[hidden.length - 1], metric: 'grad_norm' } : null;
}

/** first / last gradient at every traced row (NaN where either is missing or the last is 0). */
export function gradientRatio(run: CompareRun, pair = ratioPair(run)): Float32Array | null {
  if (!pair) return null;
  const cols = run.cols;
  const names = pair.metric === 'grad_norm' ? cols.paramNames : cols.nodeIds;
  const a = names.indexOf(pair.first);
  const b = names.indexOf(pair.last);
  if (a < 0 || b < 0) return null;
  const out = new Float32Array(cols.steps.length);
  for (let r = 0; r < out.length; r++) {
    const x = metricAt(cols, pair.metric, r, a);
    const y = metricAt(cols, pair.metric, r, b);
    out[r] = y === 0 || Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : x / y;
  }
  return out;
}

export interface CompareChartOptions {
  title?: string;
  /** Point budget per run of the decimated series. */
  maxPoints?: number;
}

export interface CompareLossOptions extends CompareChartOptions {
  /** Log y axis: losses of runs that differ by orders of magnitude (a plateau at 0.69 beside 0.003) both read. */
  log?: boolean;
}

/** Leaves room under the grid for a legend of up to four runs (px). */
const LEGEND_SPACE = 30;

function frame(title: string, description: string): EChartsOption {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: { enabled: true, label: { description: `${title}. ${description}` } },
    grid: { left: 70, right: 30, top: 50, bottom: 55 + LEGEND_SPACE },
  };
}

function legend(names: string[]): EChartsOption['legend'] {
  return { type: 'scroll', bottom: 0, left: 10, right: 10, data: names };
}

/**
 * The end of the shared step axis: `maxStep` rounded up to a multiple of half a power
 * of ten (599 -> 600, 33,488 -> 35,000), so the last tick is a round number and
 * the axis does not print "30,000 33,488" on top of each other.
 */
export function niceStepMax(maxStep: number): number {
  if (!(maxStep > 1)) return 1;
  const unit = 10 ** Math.floor(Math.log10(maxStep)) / 2;
  return Math.ceil(maxStep / unit) * unit;
}

/** A training-step x axis shared by every compare chart: 0 to past the last step of any run, tagged for the cursor. */
function stepAxis(maxStep: number): EChartsOption['xAxis'] {
  return { id: STEP_AXIS_ID, type: 'value', name: 'Training step', nameLocation: 'middle', nameGap: 28, min: 0, max: niceStepMax(maxStep) };
}

function runLine(name: string, index: number, data: LineSeriesOption['data']): LineSeriesOption {
  const color = runColor(index);
  return { type: 'line', name, showSymbol: false, color, lineStyle: { width: 1.5, color }, data };
}

/** Loss over training steps, one line per run (decimated min/max so spikes survive); linear y unless `log`. */
export function compareLossOption(runs: readonly CompareRun[], options: CompareLossOptions = {}): EChartsOption {
  const m = traceMetric('loss');
  const title = options.title ?? `${m.label}, run by run`;
  const names = seriesNames(runs);
  const budget = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const log = options.log ?? false;
  const yAxis: EChartsOption['yAxis'] = log
    ? { type: 'log', name: `${metricAxisName(m)}, log scale`, nameLocation: 'middle', nameGap: 55, axisLabel: { formatter: formatLogTick } }
    : { type: 'value', name: metricAxisName(m), nameLocation: 'middle', nameGap: 50, scale: true };
  return {
    ...frame(title, m.tooltip),
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    legend: legend(names),
    xAxis: stepAxis(lastStep(runs)),
    yAxis,
    series: runs.map((r, i) => {
      const data = decimatePairs(r.cols.metrics.loss, budget);
      return runLine(names[i], i, log ? data.map(([x, y]): [number, number | null] => [x, y === null ? null : logSafe(y)]) : data);
    }),
  };
}

/** What the ratio chart shows, for its tooltip and screen readers. */
export const RATIO_DESCRIPTION =
  'The weight gradient of the first hidden layer divided by that of the last hidden layer, at every traced step. ' +
  'Near 1 (the dashed line) the layers learn at the same pace; 1e-3 means the first layer learns a thousand times ' +
  'slower: the gradient vanishes on its way back. Far above 1, it explodes.';

/** first / last hidden layer gradient over training steps, one line per run, log y, a dashed line at 1. */
export function compareRatioOption(runs: readonly CompareRun[], options: CompareChartOptions = {}): EChartsOption {
  const title = options.title ?? 'Gradient ratio, first / last hidden layer';
  const names = seriesNames(runs);
  const budget = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const series = runs.map((r, i) => {
    const ratio = gradientRatio(r);
    const data = ratio ? decimatePairs(ratio, budget, r.cols.steps).map(([x, y]): [number, number | null] => [x, y === null ? null : logSafe(y)]) : [];
    return runLine(names[i], i, data);
  });
  if (series.length > 0) {
    series[0] = {
      ...series[0],
      markLine: {
        silent: true,
        symbol: 'none',
        animation: false,
        lineStyle: { type: 'dashed', color: '#888', width: 1 },
        label: { formatter: 'equal', position: 'insideEndTop' },
        data: [{ yAxis: 1 }],
      },
    };
  }
  return {
    ...frame(title, RATIO_DESCRIPTION),
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    legend: legend(names),
    xAxis: stepAxis(lastStep(runs)),
    yAxis: { type: 'log', name: 'first / last (log scale)', nameLocation: 'middle', nameGap: 55, axisLabel: { formatter: formatLogTick } },
    series,
  };
}

/** The traced row of each run nearest to `step` (its last row when `step` is null); -1 for a run without rows. */
export function rowsAtStep(runs: readonly CompareRun[], step: number | null): number[] {
  return runs.map((r) => (step === null ? r.cols.steps.length - 1 : nearestRow(r.cols.steps, step)));
}

interface ProfilePoint {
  value: [number, number | null];
  name: string;
  step: number;
}

/**
 * The gradient reaching each layer at the shared step, one line per run over
 * relative depth (node k of n at k / (n - 1): 0 the input, 1 the output), so a
 * 10-layer and a 20-layer network line up end to end. Log y. Each run shows its
 * traced row nearest to `step` (its latest when `step` is null).
 */
export function compareProfileOption(
  runs: readonly CompareRun[],
  step: number | null,
  options: { title?: string } = {},
): EChartsOption {
  const m = traceMetric('out_grad_norm');
  const title = options.title ?? (step === null ? `${m.label}, across depth, latest step` : `${m.label}, across depth, at step ${step}`);
  const names = seriesNames(runs);
  const rows = rowsAtStep(runs, step);
  return {
    ...frame(title, `${m.tooltip} Depth is relative: 0 is the input, 1 the output, whatever the number of layers.`),
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const { seriesName, data } = p as { seriesName?: string; data?: ProfilePoint };
        if (!data) return '';
        return `${escapeHtml(seriesName ?? '')}<br/>${escapeHtml(data.name)} (step ${data.step}): ${formatValue(data.value[1])}`;
      },
    },
    legend: legend(names),
    xAxis: { type: 'value', name: 'Relative depth (0 = input, 1 = output)', nameLocation: 'middle', nameGap: 28, min: 0, max: 1 },
    yAxis: { type: 'log', name: `${metricAxisName(m)}, log scale`, nameLocation: 'middle', nameGap: 55, axisLabel: { formatter: formatLogTick } },
    series: runs.map((r, i): LineSeriesOption => {
      const row = rows[i];
      const n = r.cols.nodeIds.length;
      const data: ProfilePoint[] =
        row < 0
          ? []
          : r.cols.nodeIds.map((id, k) => ({
              value: [n <= 1 ? 0 : k / (n - 1), logSafe(metricAt(r.cols, 'out_grad_norm', row, k))],
              name: id,
              step: r.cols.steps[row],
            }));
      return { ...runLine(names[i], i, data as LineSeriesOption['data']), showSymbol: true, symbolSize: 5, connectNulls: true };
    }),
  };
}

/**
 * One run's per-layer gradient norms over steps (layerGradNormsOption, depth
 * colours) on the axes every small multiple shares: y from `range` (log), x from 0
 * to `maxStep`, the step axis tagged for the cursor. The per-node legend is left
 * out (twenty names per panel): the depth colours read blue = input side, red =
 * output side, and the tooltip names each line.
 */
export function layerNormsPanelOption(
  run: CompareRun,
  shared: { range: LogRange | null; maxStep: number },
  options: CompareChartOptions = {},
): EChartsOption {
  const base = layerGradNormsOption(run.cols, { log: true, title: options.title ?? run.label, maxPoints: options.maxPoints });
  const y = (Array.isArray(base.yAxis) ? base.yAxis[0] : base.yAxis) as Record<string, unknown>;
  const grid = (Array.isArray(base.grid) ? base.grid[0] : base.grid) as Record<string, unknown>;
  return {
    ...base,
    legend: { show: false },
    grid: { ...grid, bottom: 55 },
    xAxis: stepAxis(shared.maxStep),
    yAxis: { ...y, ...(shared.range ? { min: shared.range.min, max: shared.range.max } : {}) } as EChartsOption['yAxis'],
  };
}
