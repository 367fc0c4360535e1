/**
 * Gradient flow at one traced row: the classic "plot grad flow" bars, mean |g| and
 * max |g| per parameter tensor (grad_mean_abs, grad_max_abs) in plan order, on a
 * log scale, with a dashed reference at the output-side tensor's mean |g| so a
 * student reads "this layer gets a thousandth of what the last one gets".
 *
 * The bars stand on a value axis of log10(value) counted from the power of ten
 * below the smallest value, ticks labelled with that power (as
 * gradientProfileOption does): on an ECharts 'log' axis every bar would grow from 1
 * and a vanishing gradient would hang from the top instead of standing short.
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';

import { traceMetric, type TraceColumns } from '../traces/metrics.ts';
import { depthColor, formatLogTick, formatValue, logSafe } from './style.ts';

export interface GradientFlowOptions {
  title?: string;
  /** Only the weight matrices (weight, weight_ih, weight_hh): one bar pair per layer, biases and norm scales left out. */
  weightsOnly?: boolean;
}

/** The tensor part of a trace parameter name "<nodeId>.<tensor>" (node ids may hold dots, tensor names do not). */
function tensorName(paramName: string): string {
  return paramName.slice(paramName.lastIndexOf('.') + 1);
}

/** Indices into paramNames drawn by gradientFlowOption. */
export function flowParams(paramNames: readonly string[], weightsOnly: boolean): number[] {
  const out: number[] = [];
  paramNames.forEach((name, p) => {
    if (!weightsOnly || tensorName(name).startsWith('weight')) out.push(p);
  });
  return out;
}

/**
 * Mean |g| and max |g| of every parameter tensor (or every weight matrix) at
 * traced row `row`, bars on a log scale, dashed line at the last tensor's mean |g|.
 * Tensors without a positive, finite value get no bar. Throws RangeError for a row
 * out of range.
 */
export function gradientFlowOption(cols: TraceColumns, row: number, options: GradientFlowOptions = {}): EChartsOption {
  if (!Number.isInteger(row) || row < 0 || row >= cols.steps.length) {
    throw new RangeError(`traced row ${row} is out of range; these traces have ${cols.steps.length} rows`);
  }
  const meanM = traceMetric('grad_mean_abs');
  const maxM = traceMetric('grad_max_abs');
  const P = cols.paramNames.length;
  const params = flowParams(cols.paramNames, options.weightsOnly ?? false);
  const names = params.map((p) => cols.paramNames[p]);
  const means = params.map((p) => logSafe(cols.metrics.grad_mean_abs[row * P + p]));
  const maxes = params.map((p) => logSafe(cols.metrics.grad_max_abs[row * P + p]));
  const exps = [...means, ...maxes].filter((v): v is number => v !== null).map(Math.log10);
  // Strictly below the smallest value so its bar shows (the tolerance absorbs float32 rounding of a power of ten).
  const floor = exps.length ? Math.ceil(Math.min(...exps) - 1e-6) - 1 : 0;
  const ceil = exps.length ? Math.max(floor + 1, Math.ceil(Math.max(...exps) - 1e-6)) : 1;
  const height = (v: number | null) => (v === null ? null : Math.log10(v) - floor);
  const reference = [...means].reverse().find((v): v is number => v !== null) ?? null;
  const title = options.title ?? `Gradient flow at step ${cols.steps[row]}`;
  const n = params.length;
  const color = (k: number) => depthColor(k, n);

  // Series colours are only what the legend shows; every bar carries its own depth colour.
  const legendColor = color(Math.max(0, n - 1));
  const maxSeries: BarSeriesOption = {
    type: 'bar',
    name: maxM.label,
    color: legendColor,
    itemStyle: { opacity: 0.3 },
    barGap: '-100%', // the mean bar stands in front of the max bar of the same tensor
    barCategoryGap: '30%',
    data: maxes.map((v, k) => ({ value: height(v), itemStyle: { color: color(k), opacity: 0.3 } })),
  };
  const meanSeries: BarSeriesOption = {
    type: 'bar',
    name: meanM.label,
    color: legendColor,
    data: means.map((v, k) => ({ value: height(v), itemStyle: { color: color(k) } })),
    ...(reference === null
      ? {}
      : {
          markLine: {
            silent: true,
            symbol: 'none',
            animation: false,
            lineStyle: { type: 'dashed', color: '#555', width: 1 },
            label: { formatter: `${meanM.label} of the last tensor`, position: 'insideEndTop' },
            data: [{ yAxis: height(reference) ?? 0 }],
          },
        }),
  };
  const raw = { [maxM.label]: maxes, [meanM.label]: means };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: { enabled: true, label: { description: `${title}. ${meanM.label}: ${meanM.tooltip} ${maxM.label}: ${maxM.tooltip}` } },
    legend: { type: 'plain', bottom: 0, itemGap: 24, data: [meanM.label, maxM.label] },
    grid: { left: 70, right: 30, top: 50, bottom: 105 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (p: unknown) => {
        const items = (Array.isArray(p) ? p : [p]) as { dataIndex: number; seriesName: string }[];
        if (items.length === 0) return '';
        const k = items[0].dataIndex;
        const lines = items.map((it) => `${it.seriesName}: ${formatValue(raw[it.seriesName]?.[k] ?? Number.NaN)}`);
        const mean = means[k];
        if (reference !== null && mean !== null) lines.push(`${formatValue(mean / reference)} × the last tensor's mean`);
        return [names[k], ...lines].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      name: options.weightsOnly ? 'Weight matrix (input → output)' : 'Parameter tensor (input → output)',
      nameLocation: 'middle',
      nameGap: 70,
      data: names,
      axisLabel: { rotate: 30, interval: 0 },
    },
    yAxis: {
      type: 'value',
      name: `${meanM.label} / ${maxM.label.toLowerCase()}, log scale`,
      nameLocation: 'middle',
      nameGap: 55,
      min: 0,
      max: ceil - floor,
      interval: 1,
      axisLabel: { formatter: (x: number) => formatLogTick(10 ** (x + floor)) },
    },
    series: [maxSeries, meanSeries],
  };
}
