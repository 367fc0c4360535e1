/**
 * Saturated / dead share per layer over training (saturated_frac): lines coloured
 * by depth on a 0..1 axis, or the same as a layer x step heatmap when there are
 * too many layers for lines to read. Only nodes where the metric applies are
 * drawn: the engine stores NaN for the others (dense, batchnorm, ...).
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';

import { traceMetric, type TraceColumns } from '../traces/metrics.ts';
import { STEP_AXIS_ID } from './cursor.ts';
import { DEFAULT_MAX_POINTS, decimatePairs } from './decimate.ts';
import { bucketStepMatrix, dropEmptyGroups, stepHeatmapOption, type HeatmapBudget } from './layerHeatmap.ts';
import { depthColor, formatValue, metricAxisName } from './style.ts';

/** Legend entries that fit one row at report width, and the height of one row (px). */
const LEGEND_PER_ROW = 7;
const LEGEND_ROW_HEIGHT = 22;

/**
 * Indices (into nodeIds) of the nodes whose saturated_frac has a finite value in
 * some traced row: the sigmoid, tanh, ReLU-family and rnn nodes.
 */
export function saturationNodes(cols: TraceColumns): number[] {
  const n = cols.nodeIds.length;
  const v = cols.metrics.saturated_frac;
  const seen = new Uint8Array(n);
  let left = n;
  for (let i = 0; i < v.length && left > 0; i++) {
    const k = i % n;
    if (!seen[k] && Number.isFinite(v[i])) {
      seen[k] = 1;
      left--;
    }
  }
  const out: number[] = [];
  for (let k = 0; k < n; k++) if (seen[k]) out.push(k);
  return out;
}

export interface SaturationLinesOptions {
  title?: string;
  /** Point budget per layer (DEFAULT_MAX_POINTS); min/max decimation keeps a sudden die-off visible. */
  maxPoints?: number;
}

/** One line per applicable layer over the traced steps, coloured by its depth in the whole network. */
export function saturationLinesOption(cols: TraceColumns, options: SaturationLinesOptions = {}): EChartsOption {
  const m = traceMetric('saturated_frac');
  const n = cols.nodeIds.length;
  const nodes = saturationNodes(cols);
  const budget = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const title = options.title ?? `${m.label}, per layer`;
  const column = new Float32Array(cols.steps.length);
  const series: LineSeriesOption[] = nodes.map((k) => {
    for (let r = 0; r < column.length; r++) column[r] = cols.metrics.saturated_frac[r * n + k];
    const color = depthColor(k, n);
    return {
      type: 'line',
      name: cols.nodeIds[k],
      showSymbol: false,
      color,
      lineStyle: { width: 1.5, color },
      data: decimatePairs(column, budget, cols.steps),
    };
  });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: { enabled: true, label: { description: `${title}. ${m.tooltip}` } },
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    // Plain, wrapping legend: a report's static SVG cannot page through a scrolling one.
    legend: { type: 'plain', bottom: 0, left: 10, right: 10, itemWidth: 18, itemGap: 8, data: nodes.map((k) => cols.nodeIds[k]) },
    grid: { left: 70, right: 30, top: 65, bottom: 55 + LEGEND_ROW_HEIGHT * Math.ceil(Math.max(1, nodes.length) / LEGEND_PER_ROW) },
    xAxis: { type: 'value', id: STEP_AXIS_ID, name: 'Training step', nameLocation: 'middle', nameGap: 28, min: 'dataMin', max: 'dataMax' },
    yAxis: { type: 'value', name: metricAxisName(m), nameLocation: 'middle', nameGap: 45, min: 0, max: 1 },
    series,
  };
}

export interface SaturationHeatmapOptions extends HeatmapBudget {
  title?: string;
}

/** The heatmap variant: y the applicable layers in plan order, x step buckets, colour the mean share (0..1). */
export function saturationHeatmapOption(cols: TraceColumns, options: SaturationHeatmapOptions = {}): EChartsOption {
  const m = traceMetric('saturated_frac');
  const nodes = saturationNodes(cols);
  const h = dropEmptyGroups(
    bucketStepMatrix(
      {
        steps: cols.steps,
        values: cols.metrics.saturated_frac,
        stride: cols.nodeIds.length,
        groups: nodes.map((k) => ({ start: k, end: k + 1 })),
        scale: 'value',
      },
      options,
    ),
  );
  return stepHeatmapOption(
    h,
    {
      title: options.title ?? `${m.label}, per layer over training`,
      description: m.tooltip,
      yName: 'Layer (input → output)',
      yLabels: nodes.map((k) => cols.nodeIds[k]),
      colourName: metricAxisName(m),
      range: [0, 1],
    },
    'value',
  );
}
