/**
 * Heatmaps of per-entity trace values over the traced steps (STYLE rule 13: pure
 * option builders, rendered by the app and, as SVG, by the report). The layer x
 * step heatmap of the gradient reaching each layer is built here, and so is the
 * shared machinery the saturation and timestep heatmaps reuse: traced rows are
 * grouped into at most `maxColumns` buckets (and at most `maxCells` cells in all),
 * so a 50,000-step run stays a few thousand cells that ECharts draws at 60 fps.
 *
 * A heatmap on a cartesian grid needs two category axes (ECharts' rule). The step
 * axis therefore lists the first training step of each bucket and carries the id
 * STEP_AXIS_ID, which is what withStepCursor (cursor.ts) needs to place the cursor.
 */
import type { EChartsOption, HeatmapSeriesOption } from 'echarts';

import { traceMetric, type TraceColumns } from '../traces/metrics.ts';
import { STEP_AXIS_ID } from './cursor.ts';
import { rowBuckets } from './decimate.ts';
import { depthColor, formatValue, metricAxisName } from './style.ts';

/** Default cap on step buckets (columns): about one per pixel of a wide chart. */
export const DEFAULT_MAX_COLUMNS = 1000;
/** Default cap on cells of one heatmap. */
export const DEFAULT_MAX_CELLS = 200_000;

/** One row of cells: the mean over the columns [start, end) of a traced row. */
export interface ColumnGroup {
  start: number;
  end: number;
}

/**
 * A (S, stride) row-major matrix over S traced rows (a metric column of
 * TraceColumns, a recurrent column, ...) and the column groups to draw, bottom
 * to top.
 */
export interface StepMatrix {
  /** Training step of each traced row, increasing. */
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
  stride: number;
  groups: readonly ColumnGroup[];
  /**
   * 'log10': a cell is log10 of the mean of the positive, finite v of its bucket
   * (0 cannot sit on a log scale); 'value': the mean of the finite v. A cell with
   * nothing to average is left out (a gap). The mean, not the mean of the logs:
   * it needs no logarithm per value (a 50,000-step run has a million of them) and
   * a one-step spike, the first sign of an explosion, stays visible in its bucket.
   */
  scale: 'log10' | 'value';
}

export interface HeatmapBudget {
  /** At most this many step buckets (DEFAULT_MAX_COLUMNS). */
  maxColumns?: number;
  /** At most this many cells in all (DEFAULT_MAX_CELLS). */
  maxCells?: number;
}

/** A bucketed heatmap: cells [bucket, group, value], and each bucket's first and last training step. */
export interface StepHeatmapCells {
  firstSteps: number[];
  lastSteps: number[];
  cells: [number, number, number][];
  /** Extremes of the cell values; NaN when there are no cells. */
  min: number;
  max: number;
  /** Cells per group (a group with 0 had nothing to draw). */
  counts: Int32Array;
}

/** Step buckets for `groups` rows of cells within a budget. */
export function stepBucketCount(rows: number, groups: number, budget: HeatmapBudget = {}): number {
  const maxColumns = budget.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const maxCells = budget.maxCells ?? DEFAULT_MAX_CELLS;
  return Math.max(1, Math.min(rows, maxColumns, Math.floor(maxCells / Math.max(1, groups))));
}

/** Averages `m` into step buckets (one pass over the matrix, row by row so memory is read in order). */
export function bucketStepMatrix(m: StepMatrix, budget: HeatmapBudget = {}): StepHeatmapCells {
  const rows = m.steps.length;
  const g = m.groups.length;
  const bounds = rowBuckets(rows, stepBucketCount(rows, g, budget));
  const buckets = bounds.length - 1;
  const sums = new Float64Array(g);
  const ns = new Int32Array(g);
  const counts = new Int32Array(g);
  const cells: [number, number, number][] = [];
  const firstSteps: number[] = new Array(buckets);
  const lastSteps: number[] = new Array(buckets);
  const log = m.scale === 'log10';
  // Locals and flat group bounds keep the inner loop free of property lookups (it reads S x columns values).
  const values = m.values;
  const stride = m.stride;
  const starts = Int32Array.from(m.groups, (gr) => gr.start);
  const ends = Int32Array.from(m.groups, (gr) => gr.end);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < buckets; b++) {
    const r0 = bounds[b];
    const r1 = bounds[b + 1];
    firstSteps[b] = m.steps[r0];
    lastSteps[b] = m.steps[r1 - 1];
    sums.fill(0);
    ns.fill(0);
    for (let r = r0; r < r1; r++) {
      const base = r * stride;
      for (let k = 0; k < g; k++) {
        const end = base + ends[k];
        let sum = 0;
        let count = 0;
        for (let c = base + starts[k]; c < end; c++) {
          const v = values[c];
          if (log) {
            if (v > 0 && v < Number.POSITIVE_INFINITY) {
              sum += v;
              count++;
            }
          } else if (v === v && v !== Number.POSITIVE_INFINITY && v !== Number.NEGATIVE_INFINITY) {
            sum += v;
            count++;
          }
        }
        sums[k] += sum;
        ns[k] += count;
      }
    }
    for (let k = 0; k < g; k++) {
      if (ns[k] === 0) continue;
      const v = log ? Math.log10(sums[k] / ns[k]) : sums[k] / ns[k];
      cells.push([b, k, v]);
      counts[k]++;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { firstSteps, lastSteps, cells, min: cells.length ? min : Number.NaN, max: cells.length ? max : Number.NaN, counts };
}

/** The words around a step heatmap. */
export interface StepHeatmapText {
  title: string;
  /** The metric's tooltip, for screen readers (aria description). */
  description: string;
  /** Name of the y axis and the labels of its rows, bottom to top (one per group). */
  yName: string;
  yLabels: readonly string[];
  /** What the colour shows (the metric's axis name). */
  colourName: string;
  /** Fixed colour range (e.g. [0, 1] for fractions); the data's extremes when absent. */
  range?: [number, number];
}

/** Colours of the visual map, low to high: the depth palette's blue to red (style.ts). */
export const HEATMAP_COLORS = [0, 1, 2, 3, 4].map((k) => depthColor(k, 5));

/** Formats a cell value for tooltips and the visual map: log10 values as the number they stand for. */
function cellFormatter(scale: StepMatrix['scale']): (v: number) => string {
  return scale === 'log10' ? (v) => formatValue(10 ** v) : (v) => formatValue(v);
}

function stepRange(first: number, last: number): string {
  return first === last ? `step ${first}` : `steps ${first}–${last}`;
}

/**
 * The option of a bucketed step heatmap: x the step buckets (category axis tagged
 * STEP_AXIS_ID), y the groups, colour the cell value with a visual map at the right.
 */
export function stepHeatmapOption(h: StepHeatmapCells, text: StepHeatmapText, scale: StepMatrix['scale']): EChartsOption {
  const fmt = cellFormatter(scale);
  const [lo, hi] = text.range ?? [Number.isNaN(h.min) ? 0 : h.min, Number.isNaN(h.max) ? 1 : Math.max(h.max, h.min + 1e-9)];
  const series: HeatmapSeriesOption = {
    type: 'heatmap',
    name: text.colourName,
    data: h.cells,
    progressive: 0, // draw every cell in one frame: the budget already bounds them
    emphasis: { disabled: true },
  };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    // The subtitle names what the colour shows, so an exported image explains its colour bar.
    title: { text: text.title, subtext: `Colour: ${text.colourName}`, left: 'center', textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11 } },
    aria: { enabled: true, label: { description: `${text.title}. ${text.description}` } },
    grid: { left: 90, right: 100, top: 80, bottom: 55 },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const value = (p as { value?: [number, number, number] }).value;
        if (!value) return '';
        const [b, k, v] = value;
        return `${text.yLabels[k]}<br/>${stepRange(h.firstSteps[b], h.lastSteps[b])}<br/>${text.colourName}: ${fmt(v)}`;
      },
    },
    xAxis: {
      type: 'category',
      id: STEP_AXIS_ID,
      name: 'Training step',
      nameLocation: 'middle',
      nameGap: 30,
      data: h.firstSteps,
      splitArea: { show: false },
    },
    yAxis: {
      type: 'category',
      name: text.yName,
      nameLocation: 'middle',
      nameGap: 70,
      data: [...text.yLabels],
      axisLabel: { interval: 'auto' },
    },
    visualMap: {
      type: 'continuous',
      min: lo,
      max: hi,
      dimension: 2,
      calculable: false,
      orient: 'vertical',
      right: 10,
      top: 'middle',
      itemHeight: 160,
      text: [fmt(hi), fmt(lo)],
      inRange: { color: HEATMAP_COLORS },
    },
    series: [series],
  };
}

export interface LayerHeatmapOptions extends HeatmapBudget {
  title?: string;
  /** Node ids left out whatever their values (e.g. the input node). */
  exclude?: readonly string[];
}

/**
 * The gradient reaching each layer over training: y the layers in plan order
 * (input side at the bottom), x the traced steps in buckets, colour log10 of
 * the mean out_grad_norm over a bucket. Nodes with no positive value at
 * all (the input node, NaN columns) get no row; 0 and NaN cells are gaps.
 */
export function layerHeatmapOption(cols: TraceColumns, options: LayerHeatmapOptions = {}): EChartsOption {
  const m = traceMetric('out_grad_norm');
  const n = cols.nodeIds.length;
  const excluded = new Set(options.exclude ?? []);
  const groups: ColumnGroup[] = [];
  const ids: string[] = [];
  cols.nodeIds.forEach((id, k) => {
    if (excluded.has(id)) return;
    groups.push({ start: k, end: k + 1 });
    ids.push(id);
  });
  const all = bucketStepMatrix({ steps: cols.steps, values: cols.metrics.out_grad_norm, stride: n, groups, scale: 'log10' }, options);
  const h = dropEmptyGroups(all);
  const labels = ids.filter((_, k) => all.counts[k] > 0);
  return stepHeatmapOption(
    h,
    {
      title: options.title ?? `${m.label}, per layer over training`,
      description: m.tooltip,
      yName: 'Layer (input → output)',
      yLabels: labels,
      colourName: metricAxisName(m),
    },
    'log10',
  );
}

/** `h` without the groups that got no cell, the remaining groups renumbered in order. */
export function dropEmptyGroups(h: StepHeatmapCells): StepHeatmapCells {
  const index = new Int32Array(h.counts.length);
  let next = 0;
  for (let k = 0; k < h.counts.length; k++) index[k] = h.counts[k] > 0 ? next++ : -1;
  if (next === h.counts.length) return h;
  return {
    ...h,
    cells: h.cells.map(([b, k, v]): [number, number, number] => [b, index[k], v]),
    counts: h.counts.filter((c) => c > 0),
  };
}
