/**
 * Theory next to measurement: the most the activations alone could let through
 * (the product of their derivative maxima, activationCurves.ts), drawn over the
 * measured gradient reaching each layer at one traced row. Backpropagation
 * multiplies one derivative per activation it passes, so after k sigmoid layers at
 * most 0.25^k of the gradient is left, before the weights are counted; ReLU's and
 * tanh's bound stays 1. Where the measured line falls below the bound, the weights
 * (or units away from the steepest point) take the rest.
 */
import type { EChartsOption } from 'echarts';

import { activationCurve, activationOfNode } from '../network/activationCurves.ts';
import type { NetworkSpecInput } from '../network/spec.ts';
import { traceMetric, type TraceColumns } from '../traces/metrics.ts';
import { depthColor, formatLogTick, formatValue, logSafe, metricAxisName } from './style.ts';

/** What derivativeBoundProfile reads of a spec: its nodes (types, activation params) and edges. */
export type BoundSpec = Pick<NetworkSpecInput, 'nodes' | 'edges'>;

/** The most node `node` can multiply a gradient passing back through it by, counting activations only (1 for the rest). */
function nodeGain(node: BoundSpec['nodes'][number] | undefined): number {
  const act = node ? activationOfNode(node) : null;
  return act ? activationCurve(act.kind, act.params).derivativeMax : 1;
}

/**
 * For each node of `nodeIds` (plan order, the output last): the bound on
 * ||dL/d(its output)|| / ||dL/d(network output)|| that the activations alone set,
 * ignoring the weights. Walking back from the output, passing an activation node
 * multiplies by its derivative maximum (sigmoid 0.25, tanh 1, ...); where paths
 * join again (a residual add feeds two nodes) the bounds of the paths add, which
 * is the triangle inequality and why a skip connection keeps the bound near 1.
 * A chain input, d1, s1, ..., d5, s5, out of five dense + sigmoid pairs gives 1 for
 * s5 and out, 0.25 for d5 and s4, 0.25^2 for d4 and s3, ... 0.25^5 for d1 and the input.
 * NaN for nodes the output does not depend on. An LSTM or GRU (no single curve)
 * counts as 1.
 */
export function derivativeBoundProfile(spec: BoundSpec, nodeIds: readonly string[]): Float64Array {
  const n = nodeIds.length;
  const index = new Map(nodeIds.map((id, k) => [id, k]));
  const byId = new Map(spec.nodes.map((node) => [node.id, node]));
  const inputs: number[][] = nodeIds.map(() => []);
  for (const e of spec.edges) {
    const from = index.get(e.from);
    const to = index.get(e.to);
    if (from !== undefined && to !== undefined) inputs[to].push(from);
  }
  const bound = new Float64Array(n);
  if (n === 0) return bound;
  bound[n - 1] = 1;
  // Plan order is topological, so every consumer is final before its inputs are reached.
  for (let k = n - 1; k >= 0; k--) {
    if (bound[k] === 0) continue;
    const passed = bound[k] * nodeGain(byId.get(nodeIds[k]));
    for (const i of inputs[k]) bound[i] += passed;
  }
  for (let k = 0; k < n; k++) if (bound[k] === 0) bound[k] = Number.NaN;
  return bound;
}

export interface TheoryOverlayOptions {
  title?: string;
  /**
   * The node whose measured norm anchors the bound: the last hidden layer (the node
   * before the output) when absent, or the output when the network has one node.
   */
  anchor?: string;
  /** Node ids left out of the chart (e.g. the input node); nodes with no positive measured value are left out anyway. */
  exclude?: readonly string[];
}

/**
 * Measured gradient reaching each layer (out_grad_norm at traced row `row`) and the
 * activation bound anchored at the last hidden layer (measured(anchor) x
 * profile(k) / profile(anchor), drawn for the anchor and the layers before it),
 * x the layers in plan order, log y axis. Throws RangeError for a row out of range
 * or an anchor that is not a node.
 */
export function theoryOverlayOption(
  cols: TraceColumns,
  spec: BoundSpec,
  row: number,
  options: TheoryOverlayOptions = {},
): EChartsOption {
  if (!Number.isInteger(row) || row < 0 || row >= cols.steps.length) {
    throw new RangeError(`traced row ${row} is out of range; these traces have ${cols.steps.length} rows`);
  }
  const m = traceMetric('out_grad_norm');
  const n = cols.nodeIds.length;
  const profile = derivativeBoundProfile(spec, cols.nodeIds);
  const anchor = options.anchor === undefined ? Math.max(0, n - 2) : cols.nodeIds.indexOf(options.anchor);
  if (anchor < 0) throw new RangeError(`anchor "${options.anchor}" is not a node of these traces`);
  const measured = cols.nodeIds.map((_, k) => logSafe(cols.metrics.out_grad_norm[row * n + k]));
  const excluded = new Set(options.exclude ?? []);
  const shown = cols.nodeIds.map((_, k) => k).filter((k) => !excluded.has(cols.nodeIds[k]) && measured[k] !== null);
  const base = measured[anchor];
  const bound = shown.map((k) =>
    base !== null && k <= anchor && Number.isFinite(profile[k]) ? logSafe((base * profile[k]) / profile[anchor]) : null,
  );
  const title = options.title ?? `${m.label} against the activation bound, step ${cols.steps[row]}`;
  const boundName = 'Bound from activation slopes';
  const measuredName = `Measured: ${m.label}`;
  const color = depthColor(0, 2);
  const boundColor = depthColor(1, 2);
  const explain =
    `The dashed line starts from the measured value at ${cols.nodeIds[anchor]} and multiplies, layer by layer toward ` +
    'the input, the largest slope of every activation passed (0.25 for a sigmoid, 1 for tanh and ReLU), ignoring the weights.';
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: { enabled: true, label: { description: `${title}. ${explain} ${m.tooltip}` } },
    legend: { type: 'plain', bottom: 0, itemGap: 24, data: [measuredName, boundName] },
    grid: { left: 70, right: 30, top: 50, bottom: 105 },
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    xAxis: {
      type: 'category',
      name: 'Layer (input → output)',
      nameLocation: 'middle',
      nameGap: 60,
      data: shown.map((k) => cols.nodeIds[k]),
      axisLabel: { rotate: 30, interval: 0 },
    },
    yAxis: { type: 'log', name: metricAxisName(m), nameLocation: 'middle', nameGap: 55, axisLabel: { formatter: formatLogTick } },
    series: [
      {
        type: 'line',
        name: measuredName,
        color,
        symbolSize: 6,
        lineStyle: { width: 2, color },
        data: shown.map((k) => measured[k]),
      },
      {
        type: 'line',
        name: boundName,
        color: boundColor,
        symbol: 'none',
        lineStyle: { width: 1.5, type: 'dashed', color: boundColor },
        data: bound,
      },
    ],
  };
}
