// Starting networks for the lab's classic experiments, as pure functions of a few
// sizes. Each returns a complete `vglab-network/1` spec that validateNetwork
// accepts for every size inside its template's limits (tested), written with its params
// spelled out so the inspector shows what the engine will use.
//
// Ids follow the examples in examples/*.vglab: "x" for the input, "dense1",
// "sigmoid1", ... numbered from the input, "logits" or "sum" for the output.

import { MAX_HIDDEN_SIZE, MAX_SEQUENCE_LENGTH, NETWORK_FORMAT, type NetworkSpecInput, type RecurrentType } from './spec.ts';

type SpecNode = NetworkSpecInput['nodes'][number];
type SpecEdge = NetworkSpecInput['edges'][number];

export const TEMPLATE_IDS = ['deep_sigmoid', 'deep_relu_he', 'residual_mlp', 'rnn_adding', 'lstm_adding', 'gru_adding'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** Sizes a template reads; each template ignores those it has no use for. */
export interface TemplateOptions {
  /** Hidden layers (MLPs), residual blocks, or stacked recurrent layers. */
  depth: number;
  /** Units per hidden layer, or the recurrent hidden size. */
  width: number;
  /** Timesteps per sample (recurrent templates). */
  sequenceLength: number;
}

export type TemplateLimits = { readonly [K in keyof TemplateOptions]: { min: number; max: number } };

/**
 * Slider ranges of the MLP templates; every spec inside them validates (50 layers of
 * 512 units hold about 13 million parameters, under MAX_PARAMETERS).
 */
export const MLP_LIMITS: TemplateLimits = {
  depth: { min: 1, max: 50 },
  width: { min: 1, max: 512 },
  sequenceLength: { min: 1, max: 1 },
};

/** Slider ranges of the recurrent templates: a few stacked layers, up to 1000 timesteps. */
export const RECURRENT_LIMITS: TemplateLimits = {
  depth: { min: 1, max: 4 },
  width: { min: 1, max: Math.min(256, MAX_HIDDEN_SIZE) },
  sequenceLength: { min: 1, max: Math.min(1000, MAX_SEQUENCE_LENGTH) },
};

export interface TemplateInfo {
  id: TemplateId;
  label: string;
  /** One or two sentences for the picker: what the student will see. */
  description: string;
  /** Which sliders matter. */
  uses: readonly (keyof TemplateOptions)[];
  defaults: TemplateOptions;
  limits: TemplateLimits;
  /** Builds the spec; `options` must already lie inside `limits` (see buildTemplate). */
  build: (options: TemplateOptions) => NetworkSpecInput;
}

/** Two input features, two classes: the shape of the lab's 2-D classification sets. */
const MLP_INPUTS = 2;
const MLP_CLASSES = 2;
/** The adding problem feeds (value, marker) pairs. */
const ADDING_FEATURES = 2;

function clampInt(v: number, min: number, max: number): number {
  const n = Number.isFinite(v) ? Math.round(v) : min;
  return Math.min(max, Math.max(min, n));
}

/** Options rounded and clamped into `limits`, so a slider can never build an invalid spec. */
export function normalizeTemplateOptions(
  options: Partial<TemplateOptions>,
  defaults: TemplateOptions,
  limits: TemplateLimits,
): TemplateOptions {
  const pick = (key: keyof TemplateOptions) => clampInt(options[key] ?? defaults[key], limits[key].min, limits[key].max);
  return { depth: pick('depth'), width: pick('width'), sequenceLength: pick('sequenceLength') };
}

function normalized(id: TemplateId, options: Partial<TemplateOptions>): TemplateOptions {
  const info = TEMPLATES[id];
  return normalizeTemplateOptions(options, info.defaults, info.limits);
}

function dense(id: string, units: number, init: 'xavier_uniform' | 'he_normal'): SpecNode {
  return { id, type: 'dense', params: { units, bias: true, init, init_scale: 1 } };
}

/** A chain x -> [dense_i -> act_i] * depth -> logits, the classic deep MLP. */
function deepMlp(name: string, act: 'sigmoid' | 'relu', init: 'xavier_uniform' | 'he_normal', o: TemplateOptions): NetworkSpecInput {
  const nodes: SpecNode[] = [{ id: 'x', type: 'input', params: { features: MLP_INPUTS } }];
  const edges: SpecEdge[] = [];
  let prev = 'x';
  for (let i = 1; i <= o.depth; i++) {
    nodes.push(dense(`dense${i}`, o.width, init), { id: `${act}${i}`, type: act, params: {} });
    edges.push({ from: prev, to: `dense${i}` }, { from: `dense${i}`, to: `${act}${i}` });
    prev = `${act}${i}`;
  }
  nodes.push(dense('logits', MLP_CLASSES, init));
  edges.push({ from: prev, to: 'logits' });
  return { format: NETWORK_FORMAT, name, nodes, edges, loss: { type: 'softmax_cross_entropy' } };
}

/** `depth` sigmoid layers with Xavier init: the textbook case of vanishing gradients. */
export function deepSigmoidMlp(options: Partial<TemplateOptions> = {}): NetworkSpecInput {
  const o = normalized('deep_sigmoid', options);
  return deepMlp(`Deep sigmoid MLP (${o.depth} x ${o.width})`, 'sigmoid', 'xavier_uniform', o);
}

/** The same chain with ReLU and He initialisation, which keeps the gradient's size. */
export function deepReluHeMlp(options: Partial<TemplateOptions> = {}): NetworkSpecInput {
  const o = normalized('deep_relu_he', options);
  return deepMlp(`Deep ReLU MLP with He init (${o.depth} x ${o.width})`, 'relu', 'he_normal', o);
}

/**
 * x -> stem dense(width) -> depth blocks h = h + relu(dense(h)) -> logits. Each
 * block's add node takes the block's output and the skip from the block's input, so
 * the gradient has a path around every layer.
 */
export function residualMlp(options: Partial<TemplateOptions> = {}): NetworkSpecInput {
  const o = normalized('residual_mlp', options);
  const nodes: SpecNode[] = [{ id: 'x', type: 'input', params: { features: MLP_INPUTS } }, dense('stem', o.width, 'he_normal')];
  const edges: SpecEdge[] = [{ from: 'x', to: 'stem' }];
  let prev = 'stem';
  for (let i = 1; i <= o.depth; i++) {
    const [d, r, a] = [`dense${i}`, `relu${i}`, `add${i}`];
    nodes.push(dense(d, o.width, 'he_normal'), { id: r, type: 'relu', params: {} }, { id: a, type: 'add', params: {} });
    edges.push({ from: prev, to: d }, { from: d, to: r }, { from: r, to: a }, { from: prev, to: a });
    prev = a;
  }
  nodes.push(dense('logits', MLP_CLASSES, 'he_normal'));
  edges.push({ from: prev, to: 'logits' });
  return {
    format: NETWORK_FORMAT,
    name: `Residual MLP (${o.depth} blocks x ${o.width})`,
    nodes,
    edges,
    loss: { type: 'softmax_cross_entropy' },
  };
}

function recurrentNode(cell: RecurrentType, id: string, hidden: number, last: boolean): SpecNode {
  const common = {
    hidden_size: hidden,
    return: last ? ('last' as const) : ('sequence' as const),
    init: 'pytorch_default' as const,
    recurrent_init: 'pytorch_default' as const,
    init_scale: 1,
  };
  if (cell === 'rnn') return { id, type: 'rnn', params: { ...common, nonlinearity: 'tanh' } };
  // A forget-gate bias of 1 is the usual LSTM start: the cell keeps its memory at first.
  if (cell === 'lstm') return { id, type: 'lstm', params: { ...common, forget_bias: 1 } };
  return { id, type: 'gru', params: common };
}

/**
 * The adding problem: a sequence of (value, marker) pairs, the target is the sum of
 * the two marked values, which may lie far back in time. `depth` recurrent layers
 * are stacked (all but the last return the whole sequence), then dense(1) and mse.
 */
export function recurrentAdding(cell: RecurrentType, options: Partial<TemplateOptions> = {}): NetworkSpecInput {
  const o = normalized(`${cell}_adding`, options);
  const nodes: SpecNode[] = [
    { id: 'x', type: 'input', params: { features: ADDING_FEATURES, sequence_length: o.sequenceLength } },
  ];
  const edges: SpecEdge[] = [];
  let prev = 'x';
  for (let i = 1; i <= o.depth; i++) {
    // One layer keeps the examples' plain id ("lstm"); a stack numbers them.
    const id = o.depth === 1 ? cell : `${cell}${i}`;
    nodes.push(recurrentNode(cell, id, o.width, i === o.depth));
    edges.push({ from: prev, to: id });
    prev = id;
  }
  nodes.push(dense('sum', 1, 'xavier_uniform'));
  edges.push({ from: prev, to: 'sum' });
  const label = { rnn: 'Plain tanh RNN', lstm: 'LSTM', gru: 'GRU' }[cell];
  return {
    format: NETWORK_FORMAT,
    name: `${label} on the adding problem (T = ${o.sequenceLength})`,
    nodes,
    edges,
    loss: { type: 'mse' },
  };
}

const MLP_DEFAULTS: TemplateOptions = { depth: 10, width: 32, sequenceLength: 1 };
const RNN_DEFAULTS: TemplateOptions = { depth: 1, width: 32, sequenceLength: 50 };

/** Every template, in the picker's order. */
export const TEMPLATES: { readonly [K in TemplateId]: TemplateInfo } = {
  deep_sigmoid: {
    id: 'deep_sigmoid',
    label: 'Deep sigmoid MLP',
    description:
      'Many dense layers, each squashed by a sigmoid. The gradient shrinks at every layer, so the first layers barely learn.',
    uses: ['depth', 'width'],
    defaults: MLP_DEFAULTS,
    limits: MLP_LIMITS,
    build: (o) => deepSigmoidMlp(o),
  },
  deep_relu_he: {
    id: 'deep_relu_he',
    label: 'Deep ReLU MLP, He init',
    description: 'The same stack with ReLU and weights scaled for it. The gradient keeps its size through the layers.',
    uses: ['depth', 'width'],
    defaults: MLP_DEFAULTS,
    limits: MLP_LIMITS,
    build: (o) => deepReluHeMlp(o),
  },
  residual_mlp: {
    id: 'residual_mlp',
    label: 'Residual MLP',
    description: 'Dense + ReLU blocks with a skip connection around each, so the gradient has a short path to every layer.',
    uses: ['depth', 'width'],
    defaults: MLP_DEFAULTS,
    limits: MLP_LIMITS,
    build: (o) => residualMlp(o),
  },
  rnn_adding: {
    id: 'rnn_adding',
    label: 'RNN on the adding problem',
    description: 'A plain tanh recurrent layer must remember two marked numbers across the sequence. Long sequences defeat it.',
    uses: ['sequenceLength', 'width', 'depth'],
    defaults: RNN_DEFAULTS,
    limits: RECURRENT_LIMITS,
    build: (o) => recurrentAdding('rnn', o),
  },
  lstm_adding: {
    id: 'lstm_adding',
    label: 'LSTM on the adding problem',
    description: 'The same task with an LSTM, whose gated cell state lets the gradient travel back through many steps.',
    uses: ['sequenceLength', 'width', 'depth'],
    defaults: RNN_DEFAULTS,
    limits: RECURRENT_LIMITS,
    build: (o) => recurrentAdding('lstm', o),
  },
  gru_adding: {
    id: 'gru_adding',
    label: 'GRU on the adding problem',
    description: 'The same task with a GRU: fewer gates than an LSTM, and also built to carry the gradient through time.',
    uses: ['sequenceLength', 'width', 'depth'],
    defaults: RNN_DEFAULTS,
    limits: RECURRENT_LIMITS,
    build: (o) => recurrentAdding('gru', o),
  },
};

export const TEMPLATE_LIST: readonly TemplateInfo[] = TEMPLATE_IDS.map((id) => TEMPLATES[id]);

/** The spec of template `id` for the given sizes (clamped into the template's limits). */
export function buildTemplate(id: TemplateId, options: Partial<TemplateOptions> = {}): NetworkSpecInput {
  return TEMPLATES[id].build(normalized(id, options));
}
