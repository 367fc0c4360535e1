// The likely causes of a symptom in THIS network: each is read off the spec and the
// settings (how many sigmoid layers, which init at which fan-in, whether anything
// normalises or skips), names the nodes, and lists the fixes that address it.
// The detectors say which causes fit their symptom; this file says whether each one
// is present and in what words.
import { activationCurve } from '../network/activationCurves.ts';
import type { NetworkSpec } from '../network/spec.ts';
import type { NetworkPlan } from '../network/validate.ts';
import type { OptimizerType, TrainingSettings } from '../training/settings.ts';
import type { NetworkAnatomy } from './anatomy.ts';
import { assessDenseInit, judgeInit, type InitVerdict } from './initScale.ts';
import { texts } from './texts.ts';
import type { Cause, CauseId, FixId } from './types.ts';

/** Hidden layers from which a plain stack counts as deep (no normalisation, no skips). */
export const DEEP_STACK = 6;
/** Sigmoid layers from which the 0.25-per-layer bound is worth telling. */
const SIGMOID_CHAIN = 2;
/** Tanh layers from which a chain of them is a likely cause. */
const TANH_CHAIN = 3;
/** Timesteps from which a plain rnn counts as a long recurrence. */
export const LONG_SEQUENCE = 20;
/** Learning rates from which dead units are blamed on the step size (per optimiser). */
const HIGH_LR: { readonly [K in OptimizerType]: number } = { sgd: 0.5, momentum: 0.1, adam: 0.01 };

export const CAUSE_FIXES: { readonly [K in CauseId]: readonly FixId[] } = {
  'sigmoid-chain': ['relu-he', 'batchnorm', 'residual'],
  'tanh-chain': ['relu-he', 'batchnorm', 'residual'],
  'init-too-small': ['standard-init'],
  'init-too-large': ['standard-init'],
  'xavier-with-relu': ['standard-init'],
  'no-normalisation': ['batchnorm'],
  'no-skip-connections': ['residual'],
  'long-plain-recurrence': ['lstm', 'gru'],
  'low-forget-bias': ['forget-bias'],
  'no-clipping': ['clip-gradients'],
  'learning-rate-too-large': ['lower-learning-rate'],
};

/** What the cause checks read. */
export interface CauseContext {
  spec: NetworkSpec;
  plan: NetworkPlan;
  settings: TrainingSettings;
  anatomy: NetworkAnatomy;
  /** The verdict on the hidden dense layers' initial scale (null: about right). */
  init: InitVerdict | null;
}

export function judgeNetworkInit(spec: NetworkSpec, anatomy: NetworkAnatomy): InitVerdict | null {
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const stack = anatomy.hidden.flatMap((layer) => {
    const node = byId.get(layer.id);
    return node?.type === 'dense' ? [assessDenseInit(layer, node)] : [];
  });
  return judgeInit(stack);
}

function cause(id: CauseId, title: string, explanation: string, nodeIds: string[]): Cause {
  return { id, title, explanation, nodeIds, fixIds: [...CAUSE_FIXES[id]] };
}

function hiddenDense(ctx: CauseContext): string[] {
  return ctx.anatomy.hidden.filter((l) => l.type === 'dense').map((l) => l.id);
}

export function sigmoidChain(ctx: CauseContext): Cause | null {
  const nodes = ctx.anatomy.sigmoid;
  if (nodes.length < SIGMOID_CHAIN) return null;
  const bound = activationCurve('sigmoid').derivativeMax ** nodes.length;
  const t = texts.causes.sigmoidChain;
  return cause('sigmoid-chain', t.title({ count: nodes.length }), t.explanation({ nodes, bound }), [...nodes]);
}

export function tanhChain(ctx: CauseContext): Cause | null {
  const nodes = ctx.anatomy.tanh;
  if (nodes.length < TANH_CHAIN) return null;
  const t = texts.causes.tanhChain;
  return cause('tanh-chain', t.title({ count: nodes.length }), t.explanation({ nodes }), [...nodes]);
}

/** The init cause pointing `direction` ('too-small' also covers Xavier in front of ReLU), or null. */
export function initCause(ctx: CauseContext, direction: 'too-small' | 'too-large'): Cause | null {
  const v = ctx.init;
  if (!v || v.direction !== direction || v.layers.length === 0) return null;
  const nodes = v.layers.map((a) => a.id);
  if (v.xavierWithRelu) {
    const t = texts.causes.xavierWithRelu;
    return cause('xavier-with-relu', t.title(), t.explanation({ nodes, factor: v.factor }), nodes);
  }
  // The example is the layer furthest off, the one a student should look at first.
  const worst = [...v.layers].sort((a, b) => Math.abs(Math.log(b.ratio)) - Math.abs(Math.log(a.ratio)))[0];
  const example = { node: worst.id, scheme: worst.scheme, scale: worst.scale, std: worst.std, idealStd: worst.idealStd };
  const t = direction === 'too-small' ? texts.causes.initTooSmall : texts.causes.initTooLarge;
  return cause(direction === 'too-small' ? 'init-too-small' : 'init-too-large', t.title(), t.explanation({ nodes, example, factor: v.factor }), nodes);
}

export function noNormalisation(ctx: CauseContext): Cause | null {
  const dense = hiddenDense(ctx);
  if (dense.length < DEEP_STACK || ctx.anatomy.normalisation.length > 0) return null;
  const t = texts.causes.noNormalisation;
  return cause('no-normalisation', t.title(), t.explanation({ depth: dense.length }), dense);
}

export function noSkipConnections(ctx: CauseContext): Cause | null {
  const dense = hiddenDense(ctx);
  if (dense.length < DEEP_STACK || ctx.anatomy.skips.length > 0) return null;
  const t = texts.causes.noSkipConnections;
  return cause('no-skip-connections', t.title(), t.explanation({ depth: dense.length, first: dense[0] }), dense);
}

/** A plain rnn `nodeId` reading LONG_SEQUENCE steps or more. */
export function longPlainRecurrence(ctx: CauseContext, nodeId: string): Cause | null {
  const layer = ctx.anatomy.recurrent.find((r) => r.id === nodeId);
  if (!layer || layer.node.type !== 'rnn' || layer.time < LONG_SEQUENCE) return null;
  const t = texts.causes.longPlainRecurrence;
  const explanation = t.explanation({ node: nodeId, time: layer.time, nonlinearity: layer.node.params.nonlinearity });
  return cause('long-plain-recurrence', t.title(), explanation, [nodeId]);
}

/** An lstm `nodeId` whose forget gate starts below sigmoid(1). */
export function lowForgetBias(ctx: CauseContext, nodeId: string): Cause | null {
  const layer = ctx.anatomy.recurrent.find((r) => r.id === nodeId);
  if (!layer || layer.node.type !== 'lstm' || layer.node.params.forget_bias >= 1) return null;
  const bias = layer.node.params.forget_bias;
  const t = texts.causes.lowForgetBias;
  const gate = activationCurve('sigmoid').f(bias);
  return cause('low-forget-bias', t.title(), t.explanation({ node: nodeId, bias, gate }), [nodeId]);
}

export function noClipping(ctx: CauseContext): Cause | null {
  if (ctx.settings.clip_norm !== undefined) return null;
  const t = texts.causes.noClipping;
  return cause('no-clipping', t.title(), t.explanation(), []);
}

/**
 * The learning rate as a cause. `always`: for divergence and runaway growth, where
 * a smaller step is always worth trying; otherwise only above HIGH_LR.
 */
export function learningRateTooLarge(ctx: CauseContext, always: boolean): Cause | null {
  const { type, lr } = ctx.settings.optimizer;
  if (!always && lr < HIGH_LR[type]) return null;
  const t = texts.causes.learningRateTooLarge;
  return cause('learning-rate-too-large', t.title(), t.explanation({ optimizer: type, lr }), []);
}

/** The causes of gradients fading from the last hidden layers to the first. */
export function vanishingCauses(ctx: CauseContext): Cause[] {
  return present([sigmoidChain(ctx), tanhChain(ctx), initCause(ctx, 'too-small'), noNormalisation(ctx), noSkipConnections(ctx)]);
}

/** The causes of gradients growing from layer to layer or step to step. */
export function explodingCauses(ctx: CauseContext, runaway: boolean): Cause[] {
  return present([initCause(ctx, 'too-large'), noClipping(ctx), learningRateTooLarge(ctx, runaway), ...(runaway ? [] : [noNormalisation(ctx)])]);
}

export function present(causes: readonly (Cause | null)[]): Cause[] {
  return causes.filter((c): c is Cause => c !== null);
}
