// What the designer says about each node type: the palette's groups and the
// tooltips, the params a new node starts with, and the one-line summary a node
// shows on the canvas. The facts (types, categories, defaults) come from
// core/network/spec.ts; only the words live here.
import {
  NODE_TYPES,
  NODE_TYPE_LIST,
  PARAM_DEFAULTS,
  type NetworkSpecInput,
  type NodeCategory,
  type NodeType,
} from '../../../core/network/spec.ts';

export type SpecNode = NetworkSpecInput['nodes'][number];

/** MIME type of a palette item's drag payload (the node type); the canvas accepts only this. */
export const NODE_DRAG_MIME = 'application/x-vglab-node-type';

export function isNodeType(value: string): value is NodeType {
  return (NODE_TYPE_LIST as readonly string[]).includes(value);
}

/** One sentence per node type, shown as the palette tooltip and in the inspector. */
export const NODE_DESCRIPTIONS: { readonly [T in NodeType]: string } = {
  input: 'Where the data enters: its number of features, and a sequence length for data that unfolds in time.',
  dense: 'A fully connected layer: every output is a weighted sum of all inputs plus a bias.',
  sigmoid: 'Squashes each value into (0, 1). Its slope is at most 0.25, so deep stacks shrink the gradient fast.',
  tanh: 'Squashes each value into (-1, 1). Steeper than the sigmoid (slope up to 1), but it still saturates.',
  relu: 'Keeps positive values and zeroes the rest. Slope 1 where active, so gradients pass unshrunk.',
  leaky_relu: 'Like ReLU, but negative values keep a small slope, so a unit never goes completely dead.',
  elu: 'Identity for positive values, a smooth exponential curve below zero.',
  gelu: 'A smooth ReLU: each value is weighted by how likely a standard normal lies below it.',
  softplus: 'A smooth ReLU, log(1 + e^x); its slope is a sigmoid.',
  linear: 'Passes values through unchanged; a placeholder or an explicit "no activation".',
  batchnorm: 'Normalises each feature over the batch, then rescales it with learned gamma and beta.',
  layernorm: 'Normalises the features of each sample, then rescales them with learned gamma and beta.',
  dropout: 'During training, zeroes each value with probability p and scales the rest up to compensate.',
  add: 'Adds two inputs of equal width: the join of a skip (residual) connection.',
  rnn: 'A plain recurrent layer: one hidden state updated at every timestep through a tanh or ReLU.',
  lstm: 'A recurrent layer with input, forget and output gates around a cell state that carries memory.',
  gru: 'A recurrent layer with reset and update gates; lighter than an LSTM.',
};

/** The type's name on a canvas card: its label without the parenthetical ("Add", "Linear"). */
export function cardLabel(type: NodeType): string {
  return NODE_TYPES[type].label.replace(/\s*\(.*\)$/, '');
}

/** Palette groups, in display order. */
export const CATEGORY_LABELS: { readonly [C in NodeCategory]: string } = {
  input: 'Input',
  layer: 'Layers',
  recurrent: 'Recurrent',
  activation: 'Activations',
  normalization: 'Normalisation',
  regularization: 'Regularisation',
  join: 'Skip connections',
};

/** One colour per category: the stripe on a canvas node and its minimap dot (readable on light and dark). */
export const CATEGORY_COLORS: { readonly [C in NodeCategory]: string } = {
  input: '#2e7d32',
  layer: '#1e6fd9',
  recurrent: '#8e44ad',
  activation: '#ef6c00',
  normalization: '#00838f',
  regularization: '#7a7a7a',
  join: '#c2185b',
};

export interface PaletteGroup {
  category: NodeCategory;
  label: string;
  types: NodeType[];
}

/** Every node type, grouped by category (group order of CATEGORY_LABELS, type order of NODE_TYPE_LIST). */
export function paletteGroups(): PaletteGroup[] {
  return (Object.keys(CATEGORY_LABELS) as NodeCategory[])
    .map((category) => ({
      category,
      label: CATEGORY_LABELS[category],
      types: NODE_TYPE_LIST.filter((t) => NODE_TYPES[t].category === category),
    }))
    .filter((g) => g.types.length > 0);
}

/** Sizes a new node starts with for the params that have no default. */
const STARTING_SIZES = { features: 2, units: 32, hidden_size: 32 } as const;

/**
 * The params of a freshly dropped node: its required sizes filled in, every
 * defaulted param written out (so the inspector shows the engine's values).
 */
export function defaultParams(type: NodeType): Record<string, unknown> {
  const defaults: Record<string, unknown> = { ...((PARAM_DEFAULTS as Partial<Record<NodeType, object>>)[type] ?? {}) };
  for (const key of NODE_TYPES[type].paramKeys) {
    if (key in STARTING_SIZES) defaults[key] = STARTING_SIZES[key as keyof typeof STARTING_SIZES];
  }
  return defaults;
}

/** A new node of `type` with default params. */
export function newNode(type: NodeType, id: string): SpecNode {
  return { id, type, params: defaultParams(type) } as SpecNode;
}

function paramsOf(node: SpecNode): Record<string, unknown> {
  return (node.params ?? {}) as Record<string, unknown>;
}

/**
 * The few params worth reading on the canvas ("32 units", "he_normal", "T = 50"),
 * defaults included; the inspector shows the rest.
 */
export function nodeSummary(node: SpecNode): string[] {
  const p = paramsOf(node);
  const parts: string[] = [];
  switch (node.type) {
    case 'input':
      parts.push(`${String(p.features ?? '?')} features`);
      if (p.sequence_length !== undefined) parts.push(`T = ${String(p.sequence_length)}`);
      break;
    case 'dense':
      parts.push(`${String(p.units ?? '?')} units`);
      parts.push(String(p.init ?? PARAM_DEFAULTS.dense.init));
      if (p.bias === false) parts.push('no bias');
      break;
    case 'rnn':
    case 'lstm':
    case 'gru': {
      parts.push(`hidden ${String(p.hidden_size ?? '?')}`);
      if (node.type === 'rnn') parts.push(String(p.nonlinearity ?? PARAM_DEFAULTS.rnn.nonlinearity));
      parts.push(`returns ${String(p.return ?? 'last')}`);
      break;
    }
    case 'leaky_relu':
      parts.push(`slope ${String(p.slope ?? PARAM_DEFAULTS.leaky_relu.slope)}`);
      break;
    case 'elu':
      parts.push(`alpha ${String(p.alpha ?? PARAM_DEFAULTS.elu.alpha)}`);
      break;
    case 'dropout':
      parts.push(`p = ${String(p.p ?? PARAM_DEFAULTS.dropout.p)}`);
      break;
    default:
      break;
  }
  return parts;
}
