// The ONE definition of the network spec `vglab-network/1`: a graph of nodes and
// edges, validated by zod. Everything else (validation messages, the designer's
// palette and inspector, the native plan compiler's limits) reads from here.
//
// Shapes: a node's output is [batch][features], or a sequence [batch][time][features]
// when the input node has a `sequence_length`. `features` and the time axis are
// inferred along the edges by validate.ts: recurrent nodes (rnn, lstm, gru) read a
// sequence and return either every hidden state or only the last one; every other
// layer acts on each timestep alike and keeps the time axis. Parameter tensors are
// flat, row-major, PyTorch layout (a dense weight is [units][in], a recurrent
// weight_ih is [G*hidden_size][in]).
//
// Adding a node type: add its params schema and node schema below, list it in
// NODE_TYPE_LIST and in `nodeSchema`, and give it a NODE_TYPES entry; the compiler
// points at every place that is still missing.
import { z } from 'zod';

// ---- limits (the native plan compiler repeats these; keep the two in step) --------

/** At most this many nodes in one network. */
export const MAX_NODES = 512;
/** At most this many edges (each node takes at most two inputs). */
export const MAX_EDGES = 2 * MAX_NODES;
/** Largest `units` / `features` / `in_features` of any node. */
export const MAX_FEATURES = 65_536;
/** Largest total number of trainable parameter values in one network. */
export const MAX_PARAMETERS = 50_000_000;
/** Largest `sequence_length` of the input (timesteps per sample). */
export const MAX_SEQUENCE_LENGTH = 10_000;
/** Largest `hidden_size` of a recurrent node. */
export const MAX_HIDDEN_SIZE = 4096;

export const NETWORK_FORMAT = 'vglab-network/1';

/** Node ids: 1 to 64 characters, letters, digits, `_`, `.` and `-`. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export const NODE_TYPE_LIST = [
  'input',
  'dense',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'elu',
  'gelu',
  'softplus',
  'linear',
  'batchnorm',
  'layernorm',
  'dropout',
  'add',
  'rnn',
  'lstm',
  'gru',
] as const;
export type NodeType = (typeof NODE_TYPE_LIST)[number];

/** Node types that run over the time axis of a sequence, carrying a hidden state. */
export const RECURRENT_TYPES = ['rnn', 'lstm', 'gru'] as const;
export type RecurrentType = (typeof RECURRENT_TYPES)[number];

export function isRecurrentType(type: string): type is RecurrentType {
  return (RECURRENT_TYPES as readonly string[]).includes(type);
}

/**
 * The gate blocks of each recurrent type, in PyTorch's row order: block k holds rows
 * [k*H, (k+1)*H) of weight_ih, weight_hh, bias_ih and bias_hh (H = hidden_size).
 * `activation` is the squashing function applied to the block ('sigmoid' gates lie
 * in (0, 1), 'tanh' candidates in (-1, 1)); an rnn's single block uses its
 * `nonlinearity` (tanh or relu).
 */
export const RECURRENT_GATES = {
  rnn: [{ name: 'h', label: 'hidden state', activation: 'nonlinearity' }],
  lstm: [
    { name: 'i', label: 'input gate', activation: 'sigmoid' },
    { name: 'f', label: 'forget gate', activation: 'sigmoid' },
    { name: 'g', label: 'cell candidate', activation: 'tanh' },
    { name: 'o', label: 'output gate', activation: 'sigmoid' },
  ],
  gru: [
    { name: 'r', label: 'reset gate', activation: 'sigmoid' },
    { name: 'z', label: 'update gate', activation: 'sigmoid' },
    { name: 'n', label: 'new state candidate', activation: 'tanh' },
  ],
} as const satisfies Record<RecurrentType, readonly { name: string; label: string; activation: string }[]>;

/** G: gate blocks per recurrent type (1 rnn, 4 lstm, 3 gru). */
export const GATE_COUNT: { readonly [T in RecurrentType]: number } = {
  rnn: RECURRENT_GATES.rnn.length,
  lstm: RECURRENT_GATES.lstm.length,
  gru: RECURRENT_GATES.gru.length,
};

export const LOSS_TYPES = ['softmax_cross_entropy', 'mse', 'bce_with_logits'] as const;
export type LossType = (typeof LOSS_TYPES)[number];

/**
 * Weight initialisation schemes of a dense layer. For the xavier / he / lecun
 * families `init_scale` multiplies the scheme's standard deviation (a gain); for
 * `normal` it is the standard deviation, for `uniform` the half-width of
 * U(-init_scale, init_scale); `zeros` ignores it.
 */
export const INIT_SCHEMES = [
  'xavier_uniform',
  'xavier_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'normal',
  'uniform',
  'zeros',
] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

/**
 * Schemes of a recurrent node's `init` (for weight_ih): the dense schemes plus
 * `pytorch_default`, PyTorch's U(-1/sqrt(H), 1/sqrt(H)) with H = hidden_size
 * (init_scale multiplies the bound). The fans of the xavier / he / lecun schemes
 * are those of the whole matrix: fan_in = its columns, fan_out = its G*H rows.
 *
 * The biases follow `init`: under `pytorch_default` bias_ih and bias_hh are drawn
 * from U(-1/sqrt(H), 1/sqrt(H)) (not scaled), under any other scheme they start
 * at 0; an lstm then adds `forget_bias` to rows [H, 2H) of bias_ih (the forget gate).
 */
export const RECURRENT_INIT_SCHEMES = ['pytorch_default', ...INIT_SCHEMES] as const;
export type RecurrentInitScheme = (typeof RECURRENT_INIT_SCHEMES)[number];

/**
 * Schemes of `recurrent_init` (for weight_hh): those of `init` plus `orthogonal`,
 * which makes each H x H gate block an independent random orthogonal matrix times
 * init_scale (a gain), so repeated multiplication by the block keeps a vector's length.
 */
export const RECURRENT_HH_INIT_SCHEMES = [...RECURRENT_INIT_SCHEMES, 'orthogonal'] as const;
export type RecurrentHhInitScheme = (typeof RECURRENT_HH_INIT_SCHEMES)[number];

/** What a recurrent node outputs: only its last hidden state, or the hidden state of every timestep. */
export const RECURRENT_RETURNS = ['last', 'sequence'] as const;
export type RecurrentReturn = (typeof RECURRENT_RETURNS)[number];

/** The squashing function of an rnn's hidden state. */
export const RNN_NONLINEARITIES = ['tanh', 'relu'] as const;

/** Values a node's params take when the spec leaves them out. */
export const PARAM_DEFAULTS = {
  dense: { bias: true, init: 'xavier_uniform', init_scale: 1 },
  leaky_relu: { slope: 0.01 },
  elu: { alpha: 1 },
  batchnorm: { eps: 1e-5, momentum: 0.1 },
  layernorm: { eps: 1e-5 },
  dropout: { p: 0.5 },
  rnn: { return: 'last', nonlinearity: 'tanh', init: 'pytorch_default', recurrent_init: 'pytorch_default', init_scale: 1 },
  lstm: { return: 'last', init: 'pytorch_default', recurrent_init: 'pytorch_default', init_scale: 1, forget_bias: 0 },
  gru: { return: 'last', init: 'pytorch_default', recurrent_init: 'pytorch_default', init_scale: 1 },
} as const satisfies Partial<Record<NodeType, Record<string, number | boolean | string>>>;

// ---- leaf schemas ------------------------------------------------------------------
// Each message is a predicate ("must be ..."); validate.ts puts the node and the
// field in front of it: `node "d3": units must be a positive integer`.

export function formatCount(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

function positiveInt(max: number) {
  const msg = 'must be a positive integer';
  return z
    .number({ error: msg })
    .int({ error: msg })
    .min(1, { error: msg })
    .max(max, { error: `must be at most ${formatCount(max)}` });
}

function finiteNumber() {
  return z.number({ error: 'must be a finite number' });
}

function positiveNumber() {
  const msg = 'must be a positive number';
  return z.number({ error: msg }).gt(0, { error: msg });
}

/** A gain, standard deviation or half-width of an init scheme (see INIT_SCHEMES). */
function initScale() {
  return z
    .number({ error: 'must be a finite number, 0 or more' })
    .min(0, { error: 'must be a finite number, 0 or more' });
}

function boolean() {
  return z.boolean({ error: 'must be true or false' });
}

/**
 * A flat array of finite numbers. Checked with one loop (not one zod schema per
 * element) because a dense weight can hold millions of values; reports the first
 * bad element only.
 */
function flatNumbers() {
  return z
    .custom<number[]>((v) => Array.isArray(v), { error: 'must be a flat array of numbers' })
    .superRefine((values, ctx) => {
      for (let i = 0; i < values.length; i++) {
        const v: unknown = values[i];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          const got = Array.isArray(v) ? 'an array (weights are flat)' : JSON.stringify(v) ?? String(v);
          ctx.addIssue({ code: 'custom', message: `must be a finite number (got ${got})`, path: [i] });
          return;
        }
      }
    });
}

export const nodeIdSchema = z
  .string({ error: 'must be a string' })
  .regex(NODE_ID_PATTERN, { error: 'must be 1 to 64 letters, digits, "_", "." or "-"' });

// ---- params and weights per node type ------------------------------------------------

const noParams = z.strictObject({}).prefault({});
const noWeights = z.strictObject({});

// Params with a required key have no default object; the message shows an example.
// Without sequence_length the input is [batch][features]; with it, a sequence
// [batch][sequence_length][features] (features per timestep).
const inputParams = z.strictObject(
  { features: positiveInt(MAX_FEATURES), sequence_length: positiveInt(MAX_SEQUENCE_LENGTH).optional() },
  { error: 'must be an object such as {"features": 2}' },
);

const denseParams = z.strictObject(
  {
    units: positiveInt(MAX_FEATURES),
    in_features: positiveInt(MAX_FEATURES).optional(),
    bias: boolean().default(PARAM_DEFAULTS.dense.bias),
    init: z
      .enum(INIT_SCHEMES, { error: `must be one of ${INIT_SCHEMES.join(', ')}` })
      .default(PARAM_DEFAULTS.dense.init),
    init_scale: initScale().default(PARAM_DEFAULTS.dense.init_scale),
  },
  { error: 'must be an object such as {"units": 32}' },
);
const denseWeights = z.strictObject({ weight: flatNumbers().optional(), bias: flatNumbers().optional() });

const leakyReluParams = z
  .strictObject({ slope: finiteNumber().default(PARAM_DEFAULTS.leaky_relu.slope) })
  .prefault({});
const eluParams = z.strictObject({ alpha: finiteNumber().default(PARAM_DEFAULTS.elu.alpha) }).prefault({});

const batchnormParams = z
  .strictObject({
    eps: positiveNumber().default(PARAM_DEFAULTS.batchnorm.eps),
    momentum: z
      .number({ error: 'must be a number from 0 to 1' })
      .min(0, { error: 'must be a number from 0 to 1' })
      .max(1, { error: 'must be a number from 0 to 1' })
      .default(PARAM_DEFAULTS.batchnorm.momentum),
  })
  .prefault({});
const batchnormWeights = z.strictObject({
  gamma: flatNumbers().optional(),
  beta: flatNumbers().optional(),
  running_mean: flatNumbers().optional(),
  running_var: flatNumbers().optional(),
});

const layernormParams = z
  .strictObject({ eps: positiveNumber().default(PARAM_DEFAULTS.layernorm.eps) })
  .prefault({});
const layernormWeights = z.strictObject({ gamma: flatNumbers().optional(), beta: flatNumbers().optional() });

const dropoutParams = z
  .strictObject({
    p: z
      .number({ error: 'must be a number from 0 up to (not including) 1' })
      .min(0, { error: 'must be a number from 0 up to (not including) 1' })
      .lt(1, { error: 'must be a number from 0 up to (not including) 1' })
      .default(PARAM_DEFAULTS.dropout.p),
  })
  .prefault({});

function oneOf<const V extends readonly [string, ...string[]]>(values: V) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

// Keys shared by rnn, lstm and gru, in inspector order.
function recurrentParams<T extends RecurrentType>(type: T) {
  const d = PARAM_DEFAULTS[type];
  return {
    hidden_size: positiveInt(MAX_HIDDEN_SIZE),
    return: oneOf(RECURRENT_RETURNS).default(d.return),
    init: oneOf(RECURRENT_INIT_SCHEMES).default(d.init),
    recurrent_init: oneOf(RECURRENT_HH_INIT_SCHEMES).default(d.recurrent_init),
    init_scale: initScale().default(d.init_scale),
  };
}
const recurrentExample = { error: 'must be an object such as {"hidden_size": 32}' };

const rnnParams = z.strictObject(
  { ...recurrentParams('rnn'), nonlinearity: oneOf(RNN_NONLINEARITIES).default(PARAM_DEFAULTS.rnn.nonlinearity) },
  recurrentExample,
);
const lstmParams = z.strictObject(
  { ...recurrentParams('lstm'), forget_bias: finiteNumber().default(PARAM_DEFAULTS.lstm.forget_bias) },
  recurrentExample,
);
const gruParams = z.strictObject(recurrentParams('gru'), recurrentExample);
const recurrentWeights = z.strictObject({
  weight_ih: flatNumbers().optional(),
  weight_hh: flatNumbers().optional(),
  bias_ih: flatNumbers().optional(),
  bias_hh: flatNumbers().optional(),
});

function node<T extends NodeType, P extends z.ZodType, W extends z.ZodType>(type: T, params: P, weights: W) {
  return z.strictObject({ id: nodeIdSchema, type: z.literal(type), params, weights: weights.optional() });
}

/** One schema per node type, keyed by type. */
export const NODE_SCHEMAS = {
  input: node('input', inputParams, noWeights),
  dense: node('dense', denseParams, denseWeights),
  sigmoid: node('sigmoid', noParams, noWeights),
  tanh: node('tanh', noParams, noWeights),
  relu: node('relu', noParams, noWeights),
  leaky_relu: node('leaky_relu', leakyReluParams, noWeights),
  elu: node('elu', eluParams, noWeights),
  gelu: node('gelu', noParams, noWeights),
  softplus: node('softplus', noParams, noWeights),
  linear: node('linear', noParams, noWeights),
  batchnorm: node('batchnorm', batchnormParams, batchnormWeights),
  layernorm: node('layernorm', layernormParams, layernormWeights),
  dropout: node('dropout', dropoutParams, noWeights),
  add: node('add', noParams, noWeights),
  rnn: node('rnn', rnnParams, recurrentWeights),
  lstm: node('lstm', lstmParams, recurrentWeights),
  gru: node('gru', gruParams, recurrentWeights),
} satisfies Record<NodeType, z.ZodType>;

export const nodeSchema = z.discriminatedUnion('type', [
  NODE_SCHEMAS.input,
  NODE_SCHEMAS.dense,
  NODE_SCHEMAS.sigmoid,
  NODE_SCHEMAS.tanh,
  NODE_SCHEMAS.relu,
  NODE_SCHEMAS.leaky_relu,
  NODE_SCHEMAS.elu,
  NODE_SCHEMAS.gelu,
  NODE_SCHEMAS.softplus,
  NODE_SCHEMAS.linear,
  NODE_SCHEMAS.batchnorm,
  NODE_SCHEMAS.layernorm,
  NODE_SCHEMAS.dropout,
  NODE_SCHEMAS.add,
  NODE_SCHEMAS.rnn,
  NODE_SCHEMAS.lstm,
  NODE_SCHEMAS.gru,
]);

export const edgeSchema = z.strictObject({
  from: z.string({ error: 'must be a node id (a string)' }),
  to: z.string({ error: 'must be a node id (a string)' }),
});

export const lossSchema = z.strictObject({
  type: z.enum(LOSS_TYPES, { error: `must be one of ${LOSS_TYPES.join(', ')}` }),
});

export const networkSpecSchema = z.strictObject({
  format: z.literal(NETWORK_FORMAT, { error: `must be "${NETWORK_FORMAT}"` }),
  name: z.string({ error: 'must be a string' }).optional(),
  nodes: z
    .array(nodeSchema, { error: 'must be an array of nodes' })
    .max(MAX_NODES, { error: `must hold at most ${MAX_NODES} nodes` }),
  edges: z
    .array(edgeSchema, { error: 'must be an array of {"from", "to"} objects' })
    .max(MAX_EDGES, { error: `must hold at most ${formatCount(MAX_EDGES)} edges` }),
  loss: lossSchema,
});

/** A parsed spec, defaults filled in. */
export type NetworkSpec = z.output<typeof networkSpecSchema>;
/** A spec as written (defaults may be left out). */
export type NetworkSpecInput = z.input<typeof networkSpecSchema>;
export type NetworkNode = NetworkSpec['nodes'][number];
export type NetworkEdge = NetworkSpec['edges'][number];
export type NodeOf<T extends NodeType> = Extract<NetworkNode, { type: T }>;
export type NodeParams<T extends NodeType> = NodeOf<T>['params'];

// Compile-time check that the list and the union name the same types.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const nodeTypesMatch: SameKeys<NetworkNode['type'], NodeType> = true;
void nodeTypesMatch;

// ---- metadata per node type ------------------------------------------------------------

/**
 * How the engine fills a tensor the spec does not give: 'init' draws it by the
 * node's scheme (a recurrent weight_hh by `recurrent_init`, its biases as
 * RECURRENT_INIT_SCHEMES describes), 'zeros' and 'ones' are constant.
 */
export type TensorFill = 'init' | 'zeros' | 'ones';

export interface TensorInfo<T extends NodeType = NodeType> {
  /** Key in `weights` and suffix of the trace name "<nodeId>.<name>". */
  name: string;
  /** Shape from the node's input width and its output width ("units"). */
  shape: (inFeatures: number, units: number) => number[];
  fill: TensorFill;
  /** Present only when this returns true (a dense bias when `bias` is set). */
  present?: (params: NodeParams<T>) => boolean;
}

export type NodeCategory = 'input' | 'layer' | 'recurrent' | 'activation' | 'normalization' | 'regularization' | 'join';

/**
 * What a node does with the time axis of a sequence: 'source' (the input: it starts
 * one when it has a sequence_length), 'per_step' (acts on every timestep alike and
 * keeps the axis; without one it acts on the plain [batch][features] tensor), or
 * 'recurrent' (needs a sequence; returns a sequence or only the last step).
 */
export type TimeAxisRole = 'source' | 'per_step' | 'recurrent';

export interface NodeTypeInfo<T extends NodeType = NodeType> {
  type: T;
  label: string;
  category: NodeCategory;
  /** True when the node has trainable parameter tensors. */
  hasParameters: boolean;
  /** Keys of its `params` object (hyper-parameters such as units or slope), in inspector order. */
  paramKeys: readonly string[];
  /** Trainable tensors, with their shapes. */
  parameters: readonly TensorInfo<T>[];
  /** State that is saved but not trained (batchnorm running statistics). */
  buffers: readonly TensorInfo<T>[];
  /** Number of incoming edges it takes. */
  inputs: 0 | 1 | 2;
  /** What it does with the time axis of a sequence. */
  timeAxis: TimeAxisRole;
  /** Output width from the input width (for `input`, inFeatures is 0). */
  outFeatures: (inFeatures: number, params: NodeParams<T>) => number;
}

const same = (inFeatures: number) => inFeatures;
const perFeature = (_in: number, units: number) => [units];

function activation<T extends NodeType>(type: T, label: string, paramKeys: readonly string[] = []): NodeTypeInfo<T> {
  return {
    type,
    label,
    category: 'activation',
    hasParameters: false,
    paramKeys,
    parameters: [],
    buffers: [],
    inputs: 1,
    timeAxis: 'per_step',
    outFeatures: same,
  };
}

// weight_ih [G*H][in], weight_hh [G*H][H], bias_ih and bias_hh [G*H], with H = units.
function recurrent<T extends RecurrentType>(type: T, label: string, paramKeys: readonly string[]): NodeTypeInfo<T> {
  const g = GATE_COUNT[type];
  return {
    type,
    label,
    category: 'recurrent',
    hasParameters: true,
    paramKeys,
    parameters: [
      { name: 'weight_ih', shape: (inFeatures, units) => [g * units, inFeatures], fill: 'init' },
      { name: 'weight_hh', shape: (_in, units) => [g * units, units], fill: 'init' },
      { name: 'bias_ih', shape: (_in, units) => [g * units], fill: 'init' },
      { name: 'bias_hh', shape: (_in, units) => [g * units], fill: 'init' },
    ],
    buffers: [],
    inputs: 1,
    timeAxis: 'recurrent',
    outFeatures: (_in, p) => (p as { hidden_size: number }).hidden_size,
  };
}

export const NODE_TYPES: { readonly [T in NodeType]: NodeTypeInfo<T> } = {
  input: {
    type: 'input',
    label: 'Input',
    category: 'input',
    hasParameters: false,
    paramKeys: ['features', 'sequence_length'],
    parameters: [],
    buffers: [],
    inputs: 0,
    timeAxis: 'source',
    outFeatures: (_in, p) => p.features,
  },
  dense: {
    type: 'dense',
    label: 'Dense',
    category: 'layer',
    hasParameters: true,
    paramKeys: ['units', 'in_features', 'bias', 'init', 'init_scale'],
    parameters: [
      { name: 'weight', shape: (inFeatures, units) => [units, inFeatures], fill: 'init' },
      { name: 'bias', shape: perFeature, fill: 'zeros', present: (p) => p.bias },
    ],
    buffers: [],
    inputs: 1,
    timeAxis: 'per_step',
    outFeatures: (_in, p) => p.units,
  },
  sigmoid: activation('sigmoid', 'Sigmoid'),
  tanh: activation('tanh', 'Tanh'),
  relu: activation('relu', 'ReLU'),
  leaky_relu: activation('leaky_relu', 'Leaky ReLU', ['slope']),
  elu: activation('elu', 'ELU', ['alpha']),
  gelu: activation('gelu', 'GELU'),
  softplus: activation('softplus', 'Softplus'),
  linear: activation('linear', 'Linear (identity)'),
  batchnorm: {
    type: 'batchnorm',
    label: 'Batch norm',
    category: 'normalization',
    hasParameters: true,
    paramKeys: ['eps', 'momentum'],
    parameters: [
      { name: 'gamma', shape: perFeature, fill: 'ones' },
      { name: 'beta', shape: perFeature, fill: 'zeros' },
    ],
    buffers: [
      { name: 'running_mean', shape: perFeature, fill: 'zeros' },
      { name: 'running_var', shape: perFeature, fill: 'ones' },
    ],
    inputs: 1,
    timeAxis: 'per_step',
    outFeatures: same,
  },
  layernorm: {
    type: 'layernorm',
    label: 'Layer norm',
    category: 'normalization',
    hasParameters: true,
    paramKeys: ['eps'],
    parameters: [
      { name: 'gamma', shape: perFeature, fill: 'ones' },
      { name: 'beta', shape: perFeature, fill: 'zeros' },
    ],
    buffers: [],
    inputs: 1,
    timeAxis: 'per_step',
    outFeatures: same,
  },
  dropout: {
    type: 'dropout',
    label: 'Dropout',
    category: 'regularization',
    hasParameters: false,
    paramKeys: ['p'],
    parameters: [],
    buffers: [],
    inputs: 1,
    timeAxis: 'per_step',
    outFeatures: same,
  },
  add: {
    type: 'add',
    label: 'Add (skip connection)',
    category: 'join',
    hasParameters: false,
    paramKeys: [],
    parameters: [],
    buffers: [],
    inputs: 2,
    timeAxis: 'per_step',
    outFeatures: same,
  },
  rnn: recurrent('rnn', 'RNN', ['hidden_size', 'return', 'init', 'recurrent_init', 'init_scale', 'nonlinearity']),
  lstm: recurrent('lstm', 'LSTM', ['hidden_size', 'return', 'init', 'recurrent_init', 'init_scale', 'forget_bias']),
  gru: recurrent('gru', 'GRU', ['hidden_size', 'return', 'init', 'recurrent_init', 'init_scale']),
};

// NODE_TYPES is indexed by a union, so TypeScript cannot see that a node's params
// match its entry; these helpers hold the one cast.
function infoOf(node: NetworkNode): NodeTypeInfo {
  return NODE_TYPES[node.type] as unknown as NodeTypeInfo;
}

/** True for an rnn, lstm or gru node (narrows its params). */
export function isRecurrentNode(node: NetworkNode): node is NodeOf<RecurrentType> {
  return isRecurrentType(node.type);
}

/** Output width of `node` given its input width (0 for the input node). */
export function outFeaturesOf(node: NetworkNode, inFeatures: number): number {
  return infoOf(node).outFeatures(inFeatures, node.params as never);
}

export interface NodeTensor {
  name: string;
  shape: number[];
  numel: number;
  trainable: boolean;
  fill: TensorFill;
}

/** The tensors `node` holds (trainable first, then buffers), for its widths. */
export function nodeTensors(node: NetworkNode, inFeatures: number, outFeatures: number): NodeTensor[] {
  const info = infoOf(node);
  const out: NodeTensor[] = [];
  const add = (list: readonly TensorInfo[], trainable: boolean) => {
    for (const t of list) {
      if (t.present && !t.present(node.params as never)) continue;
      const shape = t.shape(inFeatures, outFeatures);
      out.push({ name: t.name, shape, numel: shape.reduce((a, b) => a * b, 1), trainable, fill: t.fill });
    }
  };
  add(info.parameters, true);
  add(info.buffers, false);
  return out;
}

/** Every tensor name a node type may carry in `weights`. */
export function weightNamesOf(type: NodeType): string[] {
  const info = NODE_TYPES[type] as unknown as NodeTypeInfo;
  return [...info.parameters, ...info.buffers].map((t) => t.name);
}
