/**
 * Singular values of the input-output Jacobian: how much the network stretches or
 * squashes each direction of a small change to its input, and so how a gradient
 * coming back is scaled. Values far below 1 shrink the gradient (vanishing), far
 * above 1 blow it up; a well-conditioned network keeps them near 1. The engine
 * computes them per sample (NativeJacobianSpectra in electron/engine/addon.ts;
 * core declares the same shape structurally so it never imports electron/).
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';

import { depthColor, formatLogTick, formatValue, logSafe } from './style.ts';

/** The engine's Jacobian spectra: per sample, singular values in descending order. */
export interface JacobianSpectra {
  samples: number;
  /** (samples, k) of d output / d input, k = min(out, in); descending within each sample. */
  network: Float64Array;
  /** The same for each node's own Jacobian (input and add nodes absent). */
  nodes: Record<string, Float64Array>;
}

/** Samples drawn one line each at most; more would be a tangle (the mean and band mode reads better then). */
export const MAX_SAMPLE_LINES = 20;

const AXIS_INDEX = 'Singular value index (largest first)';
const AXIS_VALUE = 'Singular value σ';
const EXPLAIN =
  'Singular values of the Jacobian d output / d input, largest first, log scale: how much the network scales a ' +
  'small change of its input in each direction. Far below 1 a gradient passing back shrinks (vanishing), far ' +
  'above 1 it grows (exploding); near 1 it keeps its size.';

/** Per index i: geometric mean, minimum and maximum of σ_i over the samples (positive values only; NaN when none). */
export function spectrumSummary(values: Float64Array, samples: number): { mean: Float64Array; min: Float64Array; max: Float64Array } {
  const s = Math.max(1, Math.floor(samples));
  const k = Math.floor(values.length / s);
  const mean = new Float64Array(k).fill(Number.NaN);
  const min = new Float64Array(k).fill(Number.NaN);
  const max = new Float64Array(k).fill(Number.NaN);
  for (let i = 0; i < k; i++) {
    let logSum = 0;
    let count = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < s; j++) {
      const v = values[j * k + i];
      if (!(v > 0 && Number.isFinite(v))) continue;
      logSum += Math.log(v);
      count++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (count === 0) continue;
    mean[i] = Math.exp(logSum / count);
    min[i] = lo;
    max[i] = hi;
  }
  return { mean, min, max };
}

export interface SpectrumOptions {
  title?: string;
  /**
   * 'mean' (default): the geometric mean over samples (the right average of values
   * read on a log axis) with a min..max band; 'samples': one line per sample (at
   * most MAX_SAMPLE_LINES).
   */
  mode?: 'mean' | 'samples';
}

function frame(title: string): EChartsOption {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: { enabled: true, label: { description: `${title}. ${EXPLAIN}` } },
  };
}

/** A dashed line at σ = 1, where a gradient keeps its size. */
const UNIT_LINE = {
  silent: true,
  symbol: 'none',
  animation: false,
  lineStyle: { type: 'dashed' as const, color: '#555', width: 1 },
  label: { formatter: 'σ = 1', position: 'insideEndTop' as const },
  data: [{ yAxis: 1 }],
};

/** The sorted singular values of the network's Jacobian, log y axis, a dashed line at 1. */
export function spectrumOption(spectra: JacobianSpectra, options: SpectrumOptions = {}): EChartsOption {
  const mode = options.mode ?? 'mean';
  const s = Math.max(1, spectra.samples);
  const k = Math.floor(spectra.network.length / s);
  const title = options.title ?? `Jacobian singular values (${spectra.samples} sample${spectra.samples === 1 ? '' : 's'})`;
  const x = (i: number) => i + 1;
  let series: LineSeriesOption[];
  let legend: string[];
  if (mode === 'samples') {
    const lines = Math.min(s, MAX_SAMPLE_LINES);
    series = Array.from({ length: lines }, (_, j): LineSeriesOption => {
      const color = depthColor(j, lines);
      return {
        type: 'line',
        name: `sample ${j + 1}`,
        color,
        showSymbol: k <= 40,
        symbolSize: 4,
        lineStyle: { width: 1.2, color },
        data: Array.from({ length: k }, (_, i): [number, number | null] => [x(i), logSafe(spectra.network[j * k + i])]),
      };
    });
    legend = series.map((l) => String(l.name));
  } else {
    const { mean, min, max } = spectrumSummary(spectra.network, s);
    const color = depthColor(0, 2);
    // The band: an invisible line at the minimum and, stacked on it, the max - min difference filled.
    // Stacking adds in data space, so the top edge lands on the maximum on a log axis too.
    series = [
      {
        type: 'line',
        name: 'min',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
        data: Array.from(min, (v, i): [number, number | null] => [x(i), logSafe(v)]),
      },
      {
        type: 'line',
        name: 'Range over samples',
        stack: 'band',
        symbol: 'none',
        color,
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.18 },
        data: Array.from(max, (v, i): [number, number | null] => [x(i), Number.isNaN(v) ? null : v - min[i]]),
      },
      {
        type: 'line',
        name: 'Geometric mean over samples',
        color,
        showSymbol: k <= 40,
        symbolSize: 4,
        lineStyle: { width: 2, color },
        data: Array.from(mean, (v, i): [number, number | null] => [x(i), logSafe(v)]),
        markLine: UNIT_LINE,
      },
    ];
    legend = ['Geometric mean over samples', 'Range over samples'];
  }
  if (mode === 'samples' && series.length > 0) series[0] = { ...series[0], markLine: UNIT_LINE };
  return {
    ...frame(title),
    legend: { type: 'plain', bottom: 0, left: 10, right: 10, itemGap: 24, data: legend },
    grid: { left: 70, right: 30, top: 50, bottom: 55 + 22 * Math.ceil(legend.length / 7) },
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    xAxis: { type: 'value', name: AXIS_INDEX, nameLocation: 'middle', nameGap: 28, min: 1, max: Math.max(1, k), minInterval: 1 },
    yAxis: { type: 'log', name: AXIS_VALUE, nameLocation: 'middle', nameGap: 55, axisLabel: { formatter: formatLogTick } },
    series,
  };
}

/** Per node: the largest singular value of its own Jacobian, geometric mean over samples, and its range. */
export function nodeMaxSingular(spectra: JacobianSpectra, nodeIds?: readonly string[]): { id: string; mean: number; min: number; max: number }[] {
  const ids = (nodeIds ?? Object.keys(spectra.nodes)).filter((id) => spectra.nodes[id] !== undefined);
  const s = Math.max(1, spectra.samples);
  return ids.map((id) => {
    const v = spectra.nodes[id];
    const k = Math.floor(v.length / s);
    // Each sample's values are descending, so its largest is its first.
    const largest = new Float64Array(k > 0 ? s : 0);
    for (let j = 0; j < largest.length; j++) largest[j] = v[j * k];
    const { mean, min, max } = spectrumSummary(largest, largest.length);
    return { id, mean: mean[0] ?? Number.NaN, min: min[0] ?? Number.NaN, max: max[0] ?? Number.NaN };
  });
}

export interface NodeSpectrumOptions {
  title?: string;
  /** Node order (plan order); the keys of spectra.nodes when absent. Ids without a spectrum are skipped. */
  nodeIds?: readonly string[];
}

/**
 * One bar per node: the largest singular value of its own Jacobian (geometric mean
 * over samples), on a log scale drawn as log10 heights around σ = 1 so bars below
 * 1 point down and bars above point up, and the dashed line is where a layer
 * passes a gradient at its size at most.
 */
export function nodeSpectrumOption(spectra: JacobianSpectra, options: NodeSpectrumOptions = {}): EChartsOption {
  const rows = nodeMaxSingular(spectra, options.nodeIds);
  const n = rows.length;
  const logs = rows.map((r) => (r.mean > 0 && Number.isFinite(r.mean) ? Math.log10(r.mean) : null));
  const finite = logs.filter((v): v is number => v !== null);
  const lo = Math.min(0, Math.floor(Math.min(...finite, 0) - 1e-6));
  const hi = Math.max(0, Math.ceil(Math.max(...finite, 0) + 1e-6));
  const title = options.title ?? 'Largest singular value of each layer';
  return {
    ...frame(title),
    grid: { left: 70, right: 30, top: 50, bottom: 80 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (p: unknown) => {
        const items = (Array.isArray(p) ? p : [p]) as { dataIndex: number }[];
        const r = rows[items[0]?.dataIndex ?? -1];
        if (!r) return '';
        return `${r.id}<br/>σ max: ${formatValue(r.mean)}<br/>over samples: ${formatValue(r.min)} – ${formatValue(r.max)}`;
      },
    },
    xAxis: {
      type: 'category',
      name: 'Layer (input → output)',
      nameLocation: 'middle',
      nameGap: 60,
      data: rows.map((r) => r.id),
      axisLabel: { rotate: 30, interval: 0 },
    },
    yAxis: {
      type: 'value',
      name: 'Largest σ, log scale',
      nameLocation: 'middle',
      nameGap: 55,
      min: lo,
      max: hi === lo ? lo + 1 : hi,
      interval: 1,
      axisLabel: { formatter: (v: number) => formatLogTick(10 ** v) },
    },
    series: [
      {
        type: 'bar',
        name: 'Largest σ',
        data: logs.map((v, k) => ({ value: v, itemStyle: { color: depthColor(k, n) } })),
        markLine: { ...UNIT_LINE, label: { ...UNIT_LINE.label, position: 'insideStartTop' }, data: [{ yAxis: 0 }] },
      },
    ],
  };
}
