// The ONE definition of every trace metric: what the engine records per traced
// step, how it is stored, and the words a student sees in the tooltip. The native
// recorder computes exactly these; the charts and the report read labels and
// tooltips from here.
//
// Storage is column-wise: one Float32Array per metric, row-major
// [tracedStep][entity], where the entity is a node (nodeIds order), a parameter
// tensor (paramNames order) or nothing (one column per step). Recurrent nodes add
// RECURRENT_METRICS, stored the same way over their own entities (every timestep,
// every gate, every recurrent node): see RecurrentColumns at the end of this file.
import {
  RECURRENT_GATES,
  isRecurrentNode,
  type NetworkNode,
  type NetworkSpec,
  type NodeType,
  type RecurrentType,
} from '../network/spec.ts';
import type { NetworkPlan } from '../network/validate.ts';
import type { EvaluationColumns } from './evaluation.ts';

export type MetricScope = 'node' | 'param' | 'step';

export interface TraceMetric {
  id: string;
  scope: MetricScope;
  /** Short name for legends and axis titles. */
  label: string;
  /** Unit or kind of number, shown beside values ('' when it has none). */
  unit: string;
  /** Plain words: what is measured, over what, and how to read it. */
  tooltip: string;
  /** True when the values span orders of magnitude and read best on a log axis. */
  logScale: boolean;
}

export const TRACE_METRICS = [
  {
    id: 'out_grad_norm',
    scope: 'node',
    label: 'Gradient reaching the layer',
    unit: 'L2 norm',
    tooltip:
      'How strongly the loss reacts to this layer\'s output: the length (L2 norm) of dL/d(output), taken over ' +
      'every unit and every example of the batch at once. It is the signal backpropagation carries down to this ' +
      'layer. Read the layers from the output back to the input: if the value drops by a factor at every layer ' +
      'until it is many powers of ten smaller, the gradient is vanishing and the early layers barely learn; if it ' +
      'grows, it is exploding.',
    logScale: true,
  },
  {
    id: 'act_mean',
    scope: 'node',
    label: 'Activation mean',
    unit: '',
    tooltip:
      'The average of this layer\'s outputs over all units and all examples of the batch. A sigmoid layer sitting ' +
      'near 0 or 1, or a value that drifts far from zero layer after layer, hints that the next layers receive ' +
      'lopsided inputs.',
    logScale: false,
  },
  {
    id: 'act_std',
    scope: 'node',
    label: 'Activation spread',
    unit: 'std',
    tooltip:
      'The standard deviation of this layer\'s outputs over all units and all examples of the batch: how different ' +
      'the values are from each other. If it shrinks toward 0 from layer to layer, the signal is fading on the way ' +
      'forward; if it grows, it is blowing up. Good initialisation keeps it roughly level.',
    logScale: true,
  },
  {
    id: 'saturated_frac',
    scope: 'node',
    label: 'Saturated / dead',
    unit: 'fraction',
    tooltip:
      'For sigmoid and tanh: the share of outputs (all units, all examples) within 0.01 of the flat ends of the ' +
      'curve, where the slope is nearly zero and almost no gradient passes. For ReLU-type layers: the share of ' +
      'units whose output is 0 or less for every example of the batch, "dead" units that pass no gradient at all. ' +
      '0 is healthy, 1 means the whole layer is stuck. Empty for other layers.',
    logScale: false,
  },
  {
    id: 'grad_norm',
    scope: 'param',
    label: 'Weight gradient',
    unit: 'L2 norm',
    tooltip:
      'The length (L2 norm over all its entries) of the gradient of the loss with respect to this weight tensor, ' +
      'for this batch. It sets how far the optimiser wants to move these weights. Compare it across layers: a ' +
      'first layer whose value is thousands of times smaller than the last one learns thousands of times slower.',
    logScale: true,
  },
  {
    id: 'param_norm',
    scope: 'param',
    label: 'Weight size',
    unit: 'L2 norm',
    tooltip:
      'The length (L2 norm over all its entries) of this weight tensor itself, before this step\'s update. It ' +
      'shows the scale the initialisation gave the layer and how training changes it: steady growth can mean the ' +
      'learning rate is too high or nothing holds the weights back.',
    logScale: true,
  },
  {
    id: 'grad_mean_abs',
    scope: 'param',
    label: 'Mean |gradient|',
    unit: '',
    tooltip:
      'The average size of one gradient entry of this tensor (mean of |g| over all entries). Unlike the norm it ' +
      'does not grow with the number of weights, so wide and narrow layers can be compared directly.',
    logScale: true,
  },
  {
    id: 'grad_max_abs',
    scope: 'param',
    label: 'Largest |gradient|',
    unit: '',
    tooltip:
      'The largest gradient entry of this tensor, in absolute value. Far above the mean it means a few weights get ' +
      'almost all the signal; a sudden jump is the first sign of an exploding gradient that clipping would catch.',
    logScale: true,
  },
  {
    id: 'update_ratio',
    scope: 'param',
    label: 'Update / weight',
    unit: 'ratio',
    tooltip:
      'How much this step changed the tensor, relative to its size: ||weights after - weights before|| / ||weights ' +
      'before||. Around 0.001 is a common rule of thumb for healthy training. Much smaller (1e-6 or less) means ' +
      'the layer is effectively frozen, for example because its gradient vanished; much larger means the step size ' +
      'is too big for it.',
    logScale: true,
  },
  {
    id: 'loss',
    scope: 'step',
    label: 'Loss',
    unit: '',
    tooltip:
      'The training loss of this step\'s batch (the mean over its examples). It should go down; a flat loss while ' +
      'the early layers\' gradients are tiny is what a vanishing gradient looks like from the outside.',
    logScale: false,
  },
  {
    id: 'accuracy',
    scope: 'step',
    label: 'Accuracy',
    unit: 'fraction',
    tooltip:
      'The share of predictions in this step\'s batch that are right: the largest output picks the class (softmax ' +
      'cross-entropy), or an output above 0 means class 1 (binary cross-entropy). Empty for regression (mse).',
    logScale: false,
  },
] as const satisfies readonly TraceMetric[];

export type TraceMetricId = (typeof TRACE_METRICS)[number]['id'];
export type NodeMetricId = Extract<(typeof TRACE_METRICS)[number], { scope: 'node' }>['id'];
export type ParamMetricId = Extract<(typeof TRACE_METRICS)[number], { scope: 'param' }>['id'];
export type StepMetricId = Extract<(typeof TRACE_METRICS)[number], { scope: 'step' }>['id'];

export const TRACE_METRIC_IDS: readonly TraceMetricId[] = TRACE_METRICS.map((m) => m.id);

/** The definition of metric `id`. */
export function traceMetric(id: TraceMetricId): TraceMetric {
  return TRACE_METRICS.find((m) => m.id === id)!;
}

// ---- saturation --------------------------------------------------------------------

/** A sigmoid / tanh output this close to a bound counts as saturated. */
export const SATURATION_MARGIN = 1e-2;

export type SaturationKind = 'bounded' | 'dead';

/**
 * How saturated_frac is measured for each node type: 'bounded' (sigmoid in
 * [0, 1], tanh in [-1, 1]: share of outputs within SATURATION_MARGIN of a bound),
 * 'dead' (ReLU family: share of units whose output is <= 0 for the whole batch),
 * 'nonlinearity' (an rnn: 'bounded' with tanh, 'dead' with relu, over its hidden
 * states of every returned timestep; saturationKindOf resolves it), or null (not
 * applicable: NaN is recorded). For lstm and gru the gates tell more than the
 * output: see gate_saturation.
 */
export const SATURATION_KIND: { readonly [T in NodeType]: SaturationKind | 'nonlinearity' | null } = {
  input: null,
  dense: null,
  sigmoid: 'bounded',
  tanh: 'bounded',
  relu: 'dead',
  leaky_relu: 'dead',
  elu: 'dead',
  gelu: null,
  softplus: null,
  linear: null,
  batchnorm: null,
  layernorm: null,
  dropout: null,
  add: null,
  rnn: 'nonlinearity',
  lstm: null,
  gru: null,
};

/** How saturated_frac is measured for this node (SATURATION_KIND with an rnn's nonlinearity resolved). */
export function saturationKindOf(node: NetworkNode): SaturationKind | null {
  if (node.type === 'rnn') return node.params.nonlinearity === 'relu' ? 'dead' : 'bounded';
  const kind = SATURATION_KIND[node.type];
  return kind === 'nonlinearity' ? null : kind;
}

// ---- gradient histogram ----------------------------------------------------------------

/** Bins of the log10|g| histogram over [HIST_LO, HIST_HI). */
export const HIST_BINS = 32;
export const HIST_LO = -20;
export const HIST_HI = 4;
/** Each row of a histogram holds HIST_BINS counts, then the count of exact zeros. */
export const HIST_STRIDE = HIST_BINS + 1;
export const HIST_ZERO_INDEX = HIST_BINS;
/** Width of one bin, in powers of ten (0.75). */
export const HIST_BIN_WIDTH = (HIST_HI - HIST_LO) / HIST_BINS;

export const GRAD_HISTOGRAM = {
  id: 'grad_hist',
  scope: 'param',
  label: 'Gradient magnitudes',
  unit: 'count per bin of log10|g|',
  tooltip:
    'How many gradient entries of this tensor fall at each order of magnitude: a histogram of log10|g| from 1e-20 ' +
    'to 1e4 in 32 bins (four bins for every three powers of ten), plus a separate count of entries that are ' +
    'exactly 0. A hump sliding to the left over the layers, toward 1e-10 and below, shows the gradient vanishing; ' +
    'a tall zero count in a ReLU layer shows dead units.',
  logScale: false,
} as const satisfies TraceMetric;

/**
 * The histogram slot of one gradient value g: HIST_ZERO_INDEX for g = 0, else the
 * bin of log10|g|, values below 1e-20 in bin 0 and values of 1e4 or more (and
 * infinities) in the last bin. NaN is counted nowhere (returns -1).
 */
export function histogramSlot(g: number): number {
  if (Number.isNaN(g)) return -1;
  if (g === 0) return HIST_ZERO_INDEX;
  const bin = Math.floor((Math.log10(Math.abs(g)) - HIST_LO) / HIST_BIN_WIDTH);
  return Math.min(HIST_BINS - 1, Math.max(0, bin));
}

/** The lower edge of bin `b` in log10 units (HIST_LO + b * HIST_BIN_WIDTH). */
export function histogramBinStart(b: number): number {
  return HIST_LO + b * HIST_BIN_WIDTH;
}

// ---- column-wise storage ------------------------------------------------------------------

/**
 * All traces of one run, column by column. With S traced rows, T training steps, N
 * nodes and P parameter tensors:
 *   metrics[node metric]  Float32Array (S, N)
 *   metrics[param metric] Float32Array (S, P)
 *   metrics[step metric]  Float32Array (T): loss and accuracy are kept for every step,
 *                         traced or not, and indexed by step number
 *   histogram             Uint32Array  (S, P, HIST_STRIDE), or empty when histograms are off
 *   recurrent             RECURRENT_METRICS of the rnn / lstm / gru nodes (RecurrentColumns:
 *                         (S, all their timesteps), (S, all their gates), (S, nodes));
 *                         absent, or with no nodes, when the network has none
 *   evaluation            the held-out test part's loss and accuracy (./evaluation.ts); absent when
 *                         the run keeps no test part (test_fraction 0) or has not evaluated yet
 * NaN marks a value that does not apply (saturated_frac of a dense node, accuracy under mse).
 */
export interface TraceColumns {
  /** Training step of each traced row, increasing. */
  steps: Int32Array;
  nodeIds: string[];
  /** "<nodeId>.<weightName>", e.g. "d1.weight". */
  paramNames: string[];
  metrics: { [K in TraceMetricId]: Float32Array };
  histogram: Uint32Array;
  /** Recurrent nodes' traces, on the same traced rows as `steps`. */
  recurrent?: RecurrentColumns;
  /** Evaluations of the held-out test part, on steps of their own (EvaluationColumns.steps). */
  evaluation?: EvaluationColumns;
}

/** Number of entities of a scope in `cols` (1 for step metrics). */
export function entityCount(cols: Pick<TraceColumns, 'nodeIds' | 'paramNames'>, scope: MetricScope): number {
  if (scope === 'node') return cols.nodeIds.length;
  if (scope === 'param') return cols.paramNames.length;
  return 1;
}

/**
 * Zero-filled columns for `rows` traced steps (histogram storage only when
 * `histogram`; recurrent columns for the nodes of `recurrent`, see recurrentLayouts).
 */
export function allocateTraceColumns(
  rows: number,
  nodeIds: string[],
  paramNames: string[],
  histogram: boolean,
  stepCount = rows,
  recurrent: readonly RecurrentLayout[] = [],
): TraceColumns {
  const ids = { nodeIds: [...nodeIds], paramNames: [...paramNames] };
  const metrics = Object.fromEntries(
    TRACE_METRICS.map((m) => [m.id, new Float32Array(m.scope === 'step' ? stepCount : rows * entityCount(ids, m.scope))]),
  ) as TraceColumns['metrics'];
  return {
    steps: new Int32Array(rows),
    ...ids,
    metrics,
    histogram: new Uint32Array(histogram ? rows * paramNames.length * HIST_STRIDE : 0),
    recurrent: allocateRecurrentColumns(rows, recurrent),
  };
}

/** Value of metric `id` at traced row `row` (for step metrics: at training step `row`) for entity index `entity`. */
export function metricAt(cols: TraceColumns, id: TraceMetricId, row: number, entity = 0): number {
  const width = entityCount(cols, traceMetric(id).scope);
  return cols.metrics[id][row * width + entity];
}

/** One metric's series over the traced rows (step metrics: over every step) for one entity (a copy). */
export function metricSeries(cols: TraceColumns, id: TraceMetricId, entity = 0): Float32Array {
  const scope = traceMetric(id).scope;
  const width = entityCount(cols, scope);
  const rows = scope === 'step' ? cols.metrics[id].length : cols.steps.length;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = cols.metrics[id][r * width + entity];
  return out;
}

/** The HIST_STRIDE counts of parameter `param` at traced row `row` (a view, not a copy). */
export function histogramAt(cols: TraceColumns, row: number, param: number): Uint32Array {
  const start = (row * cols.paramNames.length + param) * HIST_STRIDE;
  return cols.histogram.subarray(start, start + HIST_STRIDE);
}

// ---- recurrent nodes: per timestep, per gate, per node ----------------------------------------

/**
 * Scopes of the recurrent metrics. Their entities are those of the recurrent nodes
 * (rnn, lstm, gru) in plan order, one node's entries after the other's:
 *   'timestep'  every timestep t of every recurrent node (T values per node, T = the
 *               length of the sequence it reads)
 *   'gate'      every gate of every lstm and gru (RECURRENT_GATES order: lstm i, f, g, o;
 *               gru r, z, n; an rnn has none)
 *   'recurrent' one value per recurrent node
 */
export type RecurrentMetricScope = 'timestep' | 'gate' | 'recurrent';

export interface RecurrentMetric extends Omit<TraceMetric, 'scope'> {
  scope: RecurrentMetricScope;
  /** The recurrent node types that record it; NaN is stored for the others (scope 'recurrent'). */
  appliesTo: readonly RecurrentType[];
}

export const RECURRENT_METRICS = [
  {
    id: 'timestep_grad_norm',
    scope: 'timestep',
    appliesTo: ['rnn', 'lstm', 'gru'],
    label: 'Gradient reaching each timestep',
    unit: 'L2 norm',
    tooltip:
      'How strongly the loss reacts to the hidden state the layer had after reading step t: the length (L2 norm) ' +
      'of dL/dh_t over every hidden unit and every example of the batch. It counts every path from h_t to the ' +
      'loss: through the later steps (h_t feeds h_t+1, and so on) and, when the layer returns the whole sequence, ' +
      'straight through the output at step t. Read it from the last step back to the first: a curve that falls ' +
      'by the same factor at every step, down by many powers of ten, is a gradient vanishing through time, and the ' +
      'network cannot learn what the early steps said. LSTM and GRU gates are meant to keep this curve flat.',
    logScale: true,
  },
  {
    id: 'gate_saturation',
    scope: 'gate',
    appliesTo: ['lstm', 'gru'],
    label: 'Saturated gate values',
    unit: 'fraction',
    tooltip:
      'For each gate of an LSTM or GRU, the share of its values (every unit, every example, every timestep) that ' +
      'sit within 0.01 of the ends of their range: 0 or 1 for the sigmoid gates, -1 or 1 for the tanh candidate ' +
      '(LSTM g, GRU n). A saturated gate is a hard switch with almost no slope, so little gradient flows through ' +
      'it. That is not always bad: a forget gate (LSTM f) stuck near 1, or an update gate (GRU z) near 1, passes ' +
      'the memory on unchanged and lets the gradient travel far back in time.',
    logScale: false,
  },
  {
    id: 'cell_norm',
    scope: 'recurrent',
    appliesTo: ['lstm'],
    label: 'Cell state size',
    unit: 'L2 norm',
    tooltip:
      'The size of an LSTM\'s memory at the end of the sequence: the length (L2 norm) of the last cell state ' +
      'c_T-1 over every unit and every example of the batch. The cell is the LSTM\'s long-term store, and the ' +
      'forget gate decides how much of it survives each step. Watch it over training: steady growth means the ' +
      'cell piles up information without forgetting; a value near 0 means nothing is carried to the end. Empty ' +
      'for RNN and GRU layers, which have no cell.',
    logScale: true,
  },
] as const satisfies readonly RecurrentMetric[];

export type RecurrentMetricId = (typeof RECURRENT_METRICS)[number]['id'];
export const RECURRENT_METRIC_IDS: readonly RecurrentMetricId[] = RECURRENT_METRICS.map((m) => m.id);

/** The definition of recurrent metric `id`. */
export function recurrentMetric(id: RecurrentMetricId): RecurrentMetric {
  return RECURRENT_METRICS.find((m) => m.id === id)!;
}

/** One recurrent node as its traces see it. */
export interface RecurrentLayout {
  nodeId: string;
  type: RecurrentType;
  /** T: timesteps of the sequence the node reads (its input's time); its entries in the 'timestep' scope. */
  time: number;
  /** Its entries in the 'gate' scope (lstm i, f, g, o; gru r, z, n; rnn none). */
  gates: string[];
}

/** The recurrent nodes of a validated network, in plan order: the entities of the recurrent metrics. */
export function recurrentLayouts(spec: NetworkSpec, plan: NetworkPlan): RecurrentLayout[] {
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const out: RecurrentLayout[] = [];
  for (const id of plan.order) {
    const node = byId.get(id)!;
    if (!isRecurrentNode(node)) continue;
    const gates = node.type === 'rnn' ? [] : RECURRENT_GATES[node.type].map((g) => g.name);
    out.push({ nodeId: id, type: node.type, time: plan.time[plan.inputs[id][0]], gates });
  }
  return out;
}

function entriesOf(node: RecurrentLayout, scope: RecurrentMetricScope): number {
  return scope === 'timestep' ? node.time : scope === 'gate' ? node.gates.length : 1;
}

/** Values per traced row of a recurrent scope: total timesteps, total gates, or the node count. */
export function recurrentWidth(nodes: readonly RecurrentLayout[], scope: RecurrentMetricScope): number {
  return nodes.reduce((sum, n) => sum + entriesOf(n, scope), 0);
}

/** Where node `nodeId`'s entries sit within one traced row of a recurrent scope. */
export function recurrentSpan(
  nodes: readonly RecurrentLayout[],
  nodeId: string,
  scope: RecurrentMetricScope,
): { offset: number; width: number } {
  let offset = 0;
  for (const n of nodes) {
    if (n.nodeId === nodeId) return { offset, width: entriesOf(n, scope) };
    offset += entriesOf(n, scope);
  }
  throw new RangeError(`"${nodeId}" is not a recurrent node of these traces`);
}

/**
 * The recurrent traces of a run, with S traced rows (the same rows as
 * TraceColumns.steps), row-major [tracedStep][entity], entities as in
 * RecurrentMetricScope:
 *   timestep_grad_norm Float32Array (S, sum of T)      t = 0 is the state after the first input step
 *   gate_saturation    Float32Array (S, sum of gates)
 *   cell_norm          Float32Array (S, recurrent nodes)  NaN for rnn and gru
 */
export interface RecurrentColumns {
  nodes: RecurrentLayout[];
  metrics: { [K in RecurrentMetricId]: Float32Array };
}

/** Zero-filled recurrent columns for `rows` traced steps (NaN cell_norm for nodes without a cell). */
export function allocateRecurrentColumns(rows: number, nodes: readonly RecurrentLayout[]): RecurrentColumns {
  const copy = nodes.map((n) => ({ ...n, gates: [...n.gates] }));
  const metrics = Object.fromEntries(
    RECURRENT_METRICS.map((m) => [m.id, new Float32Array(rows * recurrentWidth(copy, m.scope))]),
  ) as RecurrentColumns['metrics'];
  copy.forEach((n, k) => {
    if (n.type === 'lstm') return;
    for (let r = 0; r < rows; r++) metrics.cell_norm[r * copy.length + k] = Number.NaN;
  });
  return { nodes: copy, metrics };
}

/**
 * Node `nodeId`'s values of recurrent metric `id` at traced row `row` (a view, not a
 * copy): T values of timestep_grad_norm (index t), one per gate of gate_saturation,
 * or the single cell_norm.
 */
export function recurrentValues(cols: RecurrentColumns, id: RecurrentMetricId, nodeId: string, row: number): Float32Array {
  const scope = recurrentMetric(id).scope;
  const { offset, width } = recurrentSpan(cols.nodes, nodeId, scope);
  const start = row * recurrentWidth(cols.nodes, scope) + offset;
  return cols.metrics[id].subarray(start, start + width);
}

/** The label of each gate of a recurrent type ("forget gate", ...), for legends. */
export function gateLabels(type: RecurrentType): string[] {
  return type === 'rnn' ? [] : RECURRENT_GATES[type].map((g) => g.label);
}
