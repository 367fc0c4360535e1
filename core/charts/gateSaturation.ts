/**
 * Gate saturation of one LSTM or GRU node over training (gate_saturation): one line
 * per gate, the share of its values at the ends of their range at each traced step,
 * on a 0..1 axis. An rnn node has no gates and no such chart.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';

import { RECURRENT_GATES } from '../network/spec.ts';
import { recurrentMetric, recurrentSpan, recurrentWidth, type TraceColumns } from '../traces/metrics.ts';
import { STEP_AXIS_ID } from './cursor.ts';
import { DEFAULT_MAX_POINTS, decimatePairs } from './decimate.ts';
import { formatValue, metricAxisName } from './style.ts';

/**
 * Shown behind "What is this?" and in the chart's aria description: the metric's
 * definition, then how to read this chart of it.
 */
export const GATE_SATURATION_HELP =
  `${recurrentMetric('gate_saturation').tooltip} ` +
  'Each line is one gate of the chosen layer, over the training steps. Lines that climb towards 1 early in ' +
  'training, for the input or output gate of an LSTM or the reset gate of a GRU, mean those gates have become ' +
  'on/off switches and the gradient through them is fading; a forget gate (f) or update gate (z) high and steady ' +
  'is the layer choosing to remember.';

/** A colour per gate, the same for a gate wherever it is drawn; the tanh candidates are dashed. */
const GATE_COLORS: Record<string, string> = {
  i: '#1f77b4',
  f: '#2ca02c',
  g: '#9467bd',
  o: '#ff7f0e',
  r: '#d62728',
  z: '#17becf',
  n: '#8c564b',
};

/** The recurrent nodes of these traces that have gates (lstm, gru), in plan order. */
export function gatedNodeIds(cols: TraceColumns): string[] {
  return (cols.recurrent?.nodes ?? []).filter((n) => n.gates.length > 0).map((n) => n.nodeId);
}

export interface GateSaturationOptions {
  title?: string;
  /** Point budget per gate (DEFAULT_MAX_POINTS); min/max decimation keeps a sudden jump visible. */
  maxPoints?: number;
}

/**
 * gate_saturation of `nodeId` (an lstm or gru of these traces) over the traced
 * steps: one line per gate, in RECURRENT_GATES order, named "forget gate (f)" etc.
 * Throws a RangeError naming the node when it is not a gated recurrent node.
 */
export function gateSaturationOption(cols: TraceColumns, nodeId: string, options: GateSaturationOptions = {}): EChartsOption {
  const rec = cols.recurrent;
  const node = rec?.nodes.find((n) => n.nodeId === nodeId);
  if (!rec || !node || node.type === 'rnn') {
    throw new RangeError(`"${nodeId}" is not an LSTM or GRU node of these traces; only they have gates`);
  }
  const m = recurrentMetric('gate_saturation');
  const { offset } = recurrentSpan(rec.nodes, nodeId, 'gate');
  const stride = recurrentWidth(rec.nodes, 'gate');
  const gates = RECURRENT_GATES[node.type];
  const budget = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const title = options.title ?? `${m.label}: ${nodeId}, per gate`;
  const column = new Float32Array(cols.steps.length);
  const names = gates.map((g) => `${g.label} (${g.name})`);
  const series: LineSeriesOption[] = gates.map((g, k) => {
    for (let r = 0; r < column.length; r++) column[r] = rec.metrics.gate_saturation[r * stride + offset + k];
    const color = GATE_COLORS[g.name];
    return {
      type: 'line',
      name: names[k],
      showSymbol: false,
      color,
      lineStyle: { width: 1.5, color, type: g.activation === 'tanh' ? 'dashed' : 'solid' },
      data: decimatePairs(column, budget, cols.steps),
    };
  });
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: { enabled: true, label: { description: `${title}. ${GATE_SATURATION_HELP}` } },
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    legend: { type: 'plain', bottom: 0, left: 10, right: 10, itemWidth: 18, itemGap: 8, data: names },
    grid: { left: 70, right: 30, top: 65, bottom: 80 },
    xAxis: { type: 'value', id: STEP_AXIS_ID, name: 'Training step', nameLocation: 'middle', nameGap: 28, min: 'dataMin', max: 'dataMax' },
    yAxis: { type: 'value', name: metricAxisName(m), nameLocation: 'middle', nameGap: 45, min: 0, max: 1 },
    series,
  };
}
