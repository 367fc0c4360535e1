/**
 * The log10|g| histogram of one parameter tensor over training (grad_hist): a
 * heatmap of bin (y, 1e-20 .. 1e4) x traced step (x, in buckets), colour the share
 * of the tensor's entries in the bin, and under it, on the same step buckets, the
 * share of entries that are exactly 0 (kept apart: log10 0 has no bin). A hump
 * sliding down the heatmap is the gradient vanishing; a rising zero line in a
 * ReLU layer is units dying.
 */
import type { EChartsOption } from 'echarts';

import { GRAD_HISTOGRAM, HIST_BINS, HIST_STRIDE, HIST_ZERO_INDEX, histogramBinStart, type TraceColumns } from '../traces/metrics.ts';
import { STEP_AXIS_ID } from './cursor.ts';
import { rowBuckets } from './decimate.ts';
import { DEFAULT_MAX_CELLS, DEFAULT_MAX_COLUMNS, HEATMAP_COLORS, type HeatmapBudget } from './layerHeatmap.ts';
import { depthColor, formatValue } from './style.ts';

/** Words of this chart that are not a metric's own: what the colour and the lower line show. */
const SHARE_NAME = 'Share of entries in the bin';
const ZERO_NAME = 'Share exactly 0';

/** A bucketed histogram: per bucket of traced rows, the share of entries in each bin and at exactly 0. */
export interface HistogramBuckets {
  firstSteps: number[];
  lastSteps: number[];
  /** [bucket, bin, share] for bins holding at least one entry. */
  cells: [number, number, number][];
  /** Share of exact zeros per bucket; null when the bucket counted nothing. */
  zeros: (number | null)[];
  maxShare: number;
}

/** Index of parameter `param` (an index or a "<nodeId>.<tensor>" name); RangeError when it is not one. */
function paramIndex(cols: TraceColumns, param: number | string): number {
  const p = typeof param === 'number' ? param : cols.paramNames.indexOf(param);
  if (!Number.isInteger(p) || p < 0 || p >= cols.paramNames.length) {
    throw new RangeError(`parameter ${JSON.stringify(param)} is not one of these traces' ${cols.paramNames.length} tensors`);
  }
  return p;
}

/**
 * Sums the counts of parameter `p` over buckets of traced rows and divides by each
 * bucket's total (zeros included), so a bucket is the histogram of all its rows together.
 */
export function bucketHistogram(cols: TraceColumns, p: number, budget: HeatmapBudget = {}): HistogramBuckets {
  const rows = cols.steps.length;
  const maxColumns = Math.min(budget.maxColumns ?? DEFAULT_MAX_COLUMNS, Math.floor((budget.maxCells ?? DEFAULT_MAX_CELLS) / HIST_BINS));
  const bounds = rowBuckets(rows, Math.max(1, maxColumns));
  const buckets = bounds.length - 1;
  const P = cols.paramNames.length;
  const sums = new Float64Array(HIST_STRIDE);
  const out: HistogramBuckets = { firstSteps: [], lastSteps: [], cells: [], zeros: [], maxShare: 0 };
  for (let b = 0; b < buckets; b++) {
    sums.fill(0);
    for (let r = bounds[b]; r < bounds[b + 1]; r++) {
      const base = (r * P + p) * HIST_STRIDE;
      for (let i = 0; i < HIST_STRIDE; i++) sums[i] += cols.histogram[base + i];
    }
    let total = 0;
    for (let i = 0; i < HIST_STRIDE; i++) total += sums[i];
    out.firstSteps.push(cols.steps[bounds[b]]);
    out.lastSteps.push(cols.steps[bounds[b + 1] - 1]);
    out.zeros.push(total > 0 ? sums[HIST_ZERO_INDEX] / total : null);
    if (total === 0) continue;
    for (let bin = 0; bin < HIST_BINS; bin++) {
      if (sums[bin] === 0) continue;
      const share = sums[bin] / total;
      out.cells.push([b, bin, share]);
      if (share > out.maxShare) out.maxShare = share;
    }
  }
  return out;
}

/** "1e-20" on the bins that start at a whole power of ten, nothing on the others (every fourth bin is labelled). */
function binLabel(start: number): string {
  return Number.isInteger(start) ? `1e${start}` : '';
}

export interface GradientHistogramOptions extends HeatmapBudget {
  title?: string;
}

/**
 * The histogram of log10|g| of parameter `param` over training, with the share of
 * exact zeros below it on the same steps. Runs recorded without histograms get
 * the frame with a note instead of data.
 */
export function gradientHistogramOption(
  cols: TraceColumns,
  param: number | string,
  options: GradientHistogramOptions = {},
): EChartsOption {
  const p = paramIndex(cols, param);
  const name = cols.paramNames[p];
  const title = options.title ?? `${GRAD_HISTOGRAM.label}: ${name}, over training`;
  const recorded = cols.histogram.length > 0;
  const h: HistogramBuckets = recorded
    ? bucketHistogram(cols, p, options)
    : { firstSteps: [], lastSteps: [], cells: [], zeros: [], maxShare: 0 };
  const bins = Array.from({ length: HIST_BINS }, (_, b) => histogramBinStart(b));
  const color = depthColor(p, cols.paramNames.length);
  const range = (b: number) => (h.firstSteps[b] === h.lastSteps[b] ? `step ${h.firstSteps[b]}` : `steps ${h.firstSteps[b]}–${h.lastSteps[b]}`);
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: {
      text: title,
      // The subtitle names what the colour shows, so an exported image explains its colour bar.
      subtext: recorded ? `Colour: ${SHARE_NAME.toLowerCase()}` : 'Gradient histograms were not recorded for this run.',
      left: 'center',
      textStyle: { fontSize: 14 },
    },
    aria: { enabled: true, label: { description: `${title}. ${GRAD_HISTOGRAM.tooltip}` } },
    tooltip: {
      trigger: 'item',
      formatter: (q: unknown) => {
        const { seriesIndex, value } = q as { seriesIndex?: number; value?: number[] };
        if (!value) return '';
        if (seriesIndex === 0) {
          const [b, bin, share] = value;
          const lo = histogramBinStart(bin);
          return `${name}, ${range(b)}<br/>|g| in [1e${formatValue(lo)}, 1e${formatValue(histogramBinStart(bin + 1))})<br/>${SHARE_NAME}: ${formatValue(share)}`;
        }
        return `${name}, ${range(value[0])}<br/>${ZERO_NAME}: ${formatValue(value[1])}`;
      },
    },
    grid: [
      { left: 80, right: 100, top: 80, bottom: '36%' },
      { left: 80, right: 100, top: '72%', bottom: 45 },
    ],
    xAxis: [
      { type: 'category', id: STEP_AXIS_ID, gridIndex: 0, data: h.firstSteps, axisLabel: { show: false }, axisTick: { show: false } },
      {
        type: 'category',
        id: `${STEP_AXIS_ID}:zeros`,
        gridIndex: 1,
        data: h.firstSteps,
        name: 'Training step',
        nameLocation: 'middle',
        nameGap: 28,
        boundaryGap: true, // cells and points share the bucket centres of the heatmap above
      },
    ],
    yAxis: [
      {
        type: 'category',
        gridIndex: 0,
        data: bins,
        name: `${GRAD_HISTOGRAM.label} (|g|)`,
        nameLocation: 'middle',
        nameGap: 55,
        axisLabel: { interval: 0, formatter: (v: string | number) => binLabel(Number(v)) },
        axisTick: { show: false },
      },
      { type: 'value', gridIndex: 1, min: 0, max: 1, interval: 0.5, name: ZERO_NAME, nameLocation: 'middle', nameGap: 55 },
    ],
    visualMap: {
      type: 'continuous',
      seriesIndex: 0,
      dimension: 2,
      min: 0,
      max: h.maxShare > 0 ? h.maxShare : 1,
      calculable: false,
      orient: 'vertical',
      right: 10,
      top: 70,
      itemHeight: 140,
      text: [formatValue(h.maxShare > 0 ? h.maxShare : 1), '0'],
      inRange: { color: HEATMAP_COLORS },
    },
    series: [
      { type: 'heatmap', name: SHARE_NAME, xAxisIndex: 0, yAxisIndex: 0, data: h.cells, progressive: 0, emphasis: { disabled: true } },
      {
        type: 'line',
        name: ZERO_NAME,
        xAxisIndex: 1,
        yAxisIndex: 1,
        showSymbol: h.zeros.length <= 60,
        color,
        lineStyle: { width: 1.5, color },
        data: h.zeros.map((z, b): [number, number | null] => [b, z]),
      },
    ],
  };
}
