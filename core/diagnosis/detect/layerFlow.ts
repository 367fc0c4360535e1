// Vanishing and exploding across depth: the first hidden layer's weight gradient
// against the last hidden layer's, at the latest traced row and at initialisation.
//
// The latest ratio alone is not enough. A deep sigmoid stack can start with a ratio
// near 1e-6 and, a few hundred steps later, show a ratio near 1 while its loss still
// sits at chance: its last layers have saturated too, so every layer now gets almost
// nothing alike. So a vanished start followed by a flat loss still counts as
// vanishing, and the saturated layers are named.
import { saturationKindOf } from '../../traces/metrics.ts';
import { explodingCauses, vanishingCauses } from '../causes.ts';
import { texts } from '../texts.ts';
import { TraceReader, type LossSummary } from '../traceReader.ts';
import type { Evidence } from '../types.ts';
import { makeFinding, type DetectContext, type Detection } from './context.ts';
import { SATURATED } from './saturation.ts';

export interface LayerFlow {
  first: string;
  last: string;
  /** first / last gradient. */
  ratio: number;
  step: number;
  evidence: Evidence;
}

/** Training steps before a flat loss counts as a plateau rather than a slow start. */
const PLATEAU_MIN_STEPS = 50;
/** The loss counts as flat when its recent mean is above this share of its initial mean. */
const PLATEAU_SHARE = 0.95;

/**
 * First vs last hidden layer at `row`, by weight gradient (or, when those are not
 * traced, by out_grad_norm); null when the network has fewer than two hidden layers
 * or nothing usable was recorded.
 */
export function measureLayerFlow(ctx: DetectContext, row: number): LayerFlow | null {
  const hidden = ctx.anatomy.hidden;
  if (hidden.length < 2 || row < 0) return null;
  const first = hidden[0];
  const last = hidden[hidden.length - 1];
  const step = ctx.traces.stepOf(row);
  const g1 = ctx.traces.layerGrad(first, row);
  const g2 = ctx.traces.layerGrad(last, row);
  if (!Number.isNaN(g1) && !Number.isNaN(g2)) {
    const ratio = ratioOf(g1, g2);
    if (Number.isNaN(ratio)) return null;
    const values = { [TraceReader.weightName(first)]: g1, [TraceReader.weightName(last)]: g2, ratio };
    return { first: first.id, last: last.id, ratio, step, evidence: { metrics: ['grad_norm'], row, step, values } };
  }
  const o1 = ctx.traces.node(first.id, 'out_grad_norm', row);
  const o2 = ctx.traces.node(last.id, 'out_grad_norm', row);
  const ratio = ratioOf(o1, o2);
  if (Number.isNaN(ratio)) return null;
  const values = { [first.id]: o1, [last.id]: o2, ratio };
  return { first: first.id, last: last.id, ratio, step, evidence: { metrics: ['out_grad_norm'], row, step, values } };
}

/**
 * a / b, or NaN when it says nothing: a missing value, or a last layer whose gradient
 * is exactly 0 (a dead layer blocks the path, which the saturation check reports; it
 * is not an explosion in the first layer).
 */
function ratioOf(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || b === 0) return Number.NaN;
  return a / b;
}

export function lossIsFlat(loss: LossSummary): boolean {
  const done = loss.firstNonFinite < 0 ? loss.steps : loss.firstNonFinite;
  return done >= PLATEAU_MIN_STEPS && Number.isFinite(loss.recent) && loss.recent > PLATEAU_SHARE * loss.initial;
}

/** Sigmoid / tanh nodes saturated at `row`, in plan order. */
function saturatedBounded(ctx: DetectContext, row: number): string[] {
  return ctx.plan.order.filter((id) => {
    const node = ctx.anatomy.byId.get(id);
    if (!node || saturationKindOf(node) !== 'bounded') return false;
    return ctx.traces.node(id, 'saturated_frac', row) >= SATURATED;
  });
}

export function detectLayerFlow(ctx: DetectContext): Detection[] {
  const now = measureLayerFlow(ctx, ctx.latest);
  if (!now) return [];
  const init = ctx.latest > 0 ? measureLayerFlow(ctx, 0) : now;
  const initRatio = init ? init.ratio : null;
  const { vanishRatio, explodeRatio } = ctx.options;
  const nodeIds = [now.first, now.last];
  const f = texts.findings;

  if (now.ratio < vanishRatio) {
    const finding = makeFinding(ctx, {
      kind: 'vanishing-layers',
      severity: 'problem',
      title: f.vanishingLayers.title(),
      explanation: f.vanishingLayers.explanation({ ...now, initRatio }),
      nodeIds,
      evidence: now.evidence,
      causes: vanishingCauses(ctx),
    });
    return [{ finding, verdict: 'vanishing' }];
  }
  if (now.ratio > explodeRatio) {
    const finding = makeFinding(ctx, {
      kind: 'exploding-layers',
      severity: 'problem',
      title: f.explodingLayers.title(),
      explanation: f.explodingLayers.explanation({ ...now, initRatio }),
      nodeIds,
      evidence: now.evidence,
      causes: explodingCauses(ctx, false),
    });
    return [{ finding, verdict: 'exploding' }];
  }
  if (!init || initRatio === null) return [];

  const loss = ctx.traces.lossSummary();
  if (init.ratio < vanishRatio && lossIsFlat(loss)) {
    const saturated = saturatedBounded(ctx, ctx.latest);
    const evidence: Evidence = {
      ...init.evidence,
      metrics: [...init.evidence.metrics, 'loss', ...(saturated.length > 0 ? (['saturated_frac'] as const) : [])],
      values: { ...init.evidence.values, 'initial loss': loss.initial, 'recent loss': loss.recent },
    };
    const finding = makeFinding(ctx, {
      kind: 'vanishing-stuck',
      severity: 'problem',
      title: f.vanishingStuck.title(),
      explanation: f.vanishingStuck.explanation({ ...now, initRatio: init.ratio, lossFrom: loss.initial, lossTo: loss.recent, saturated }),
      nodeIds: [...nodeIds, ...saturated.filter((id) => !nodeIds.includes(id))],
      evidence,
      causes: vanishingCauses(ctx),
    });
    return [{ finding, verdict: 'vanishing' }];
  }
  if (init.ratio < vanishRatio) {
    const finding = makeFinding(ctx, {
      kind: 'vanishing-at-init',
      severity: 'info',
      title: f.vanishingAtInit.title(),
      explanation: f.vanishingAtInit.explanation({ ...now, initRatio: init.ratio, lossFrom: loss.initial, lossTo: loss.recent }),
      nodeIds,
      evidence: init.evidence,
      causes: vanishingCauses(ctx),
    });
    return [{ finding, verdict: null }];
  }
  if (init.ratio > explodeRatio) {
    const finding = makeFinding(ctx, {
      kind: 'exploding-at-init',
      severity: 'warning',
      title: f.explodingAtInit.title(),
      explanation: f.explodingAtInit.explanation({ ...now, initRatio: init.ratio }),
      nodeIds,
      evidence: init.evidence,
      causes: explodingCauses(ctx, false),
    });
    return [{ finding, verdict: null }];
  }
  return [];
}
