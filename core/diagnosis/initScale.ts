// Is each dense layer's initial weight scale right for its fan-in and the activation
// after it? A layer multiplies the spread of the signal (forward) and of the
// gradient (backward) by about std(w) * sqrt(fan): He's sqrt(2 / fan_in) keeps it
// level through ReLU, which zeroes half the signal; Xavier's sqrt(2 / (fan_in +
// fan_out)) keeps it level through tanh-like units. Over a deep stack the per-layer
// factors multiply, so a small mismatch becomes orders of magnitude.
import type { InitScheme, NodeOf } from '../network/spec.ts';
import { HE_ACTIVATIONS, type WeightedLayer } from './anatomy.ts';

export interface InitAssessment {
  id: string;
  scheme: InitScheme;
  scale: number;
  /** Standard deviation of the weights the scheme draws. */
  std: number;
  /** The standard deviation the activation after the layer wants (He for ReLU-like, Xavier otherwise). */
  idealStd: number;
  /** std / idealStd: below 1 the layer shrinks the signal, above 1 it amplifies it. */
  ratio: number;
  /** The scheme that would give ratio 1. */
  suggested: 'he_normal' | 'xavier_uniform';
  /** True when the activation after it is ReLU-like. */
  reluLike: boolean;
}

export interface InitVerdict {
  direction: 'too-small' | 'too-large';
  /** The layers whose scale points that way, in plan order. */
  layers: InitAssessment[];
  /** Product of the per-layer ratios over the stack: the factor the whole stack is off by. */
  factor: number;
  /** Every flagged layer is Xavier-initialised in front of a ReLU-like activation. */
  xavierWithRelu: boolean;
}

/** The stack is flagged once its layers together are off by this factor (or one layer alone is). */
const STACK_FACTOR = 10;
/** A layer counts toward a flagged stack when it is off by more than this. */
const LAYER_TOLERANCE = 1.25;

/** Standard deviation of the weights `scheme` draws with this gain / std / half-width. */
export function initStd(scheme: InitScheme, scale: number, fanIn: number, fanOut: number): number {
  switch (scheme) {
    case 'xavier_uniform':
    case 'xavier_normal':
      return scale * Math.sqrt(2 / (fanIn + fanOut));
    case 'he_uniform':
    case 'he_normal':
      return scale * Math.sqrt(2 / fanIn);
    case 'lecun_uniform':
    case 'lecun_normal':
      return scale * Math.sqrt(1 / fanIn);
    case 'normal':
      return scale;
    case 'uniform':
      return scale / Math.sqrt(3);
    case 'zeros':
      return 0;
  }
}

export function assessDenseInit(layer: WeightedLayer, node: NodeOf<'dense'>): InitAssessment {
  const reluLike = layer.activation !== null && HE_ACTIVATIONS.has(layer.activation.type);
  const fanIn = Math.max(1, layer.inFeatures);
  const fanOut = Math.max(1, layer.units);
  const { init, init_scale } = node.params;
  const std = initStd(init, init_scale, fanIn, fanOut);
  const idealStd = reluLike ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
  return {
    id: layer.id,
    scheme: init,
    scale: init_scale,
    std,
    idealStd,
    ratio: std / idealStd,
    suggested: reluLike ? 'he_normal' : 'xavier_uniform',
    reluLike,
  };
}

/**
 * Whether a stack of hidden dense layers starts too small or too large, or null
 * when it is about right. The first layer is left out of the product unless it is
 * off by STACK_FACTOR alone: its fan-in is the data's width (2 for the lab's point
 * sets), where Xavier and He differ by design and the data's own scale matters more.
 */
export function judgeInit(stack: readonly InitAssessment[]): InitVerdict | null {
  if (stack.length === 0) return null;
  const extreme = (a: InitAssessment) => a.ratio < 1 / STACK_FACTOR || a.ratio > STACK_FACTOR;
  let factor = extreme(stack[0]) ? stack[0].ratio : 1;
  for (const a of stack.slice(1)) factor *= a.ratio;
  const small = factor < 1 / STACK_FACTOR || stack.some((a) => a.ratio < 1 / STACK_FACTOR);
  const large = factor > STACK_FACTOR || stack.some((a) => a.ratio > STACK_FACTOR);
  if (!small && !large) return null;
  // A mixed stack (one layer far too small, another far too large) goes by the product.
  const direction = small && (!large || factor < 1) ? 'too-small' : 'too-large';
  const layers = stack.filter((a) => (direction === 'too-small' ? a.ratio < 1 / LAYER_TOLERANCE : a.ratio > LAYER_TOLERANCE));
  const xavierWithRelu =
    direction === 'too-small' &&
    layers.length > 0 &&
    layers.every((a) => a.reluLike && a.scale === 1 && (a.scheme === 'xavier_uniform' || a.scheme === 'xavier_normal'));
  return { direction, layers, factor, xavierWithRelu };
}
