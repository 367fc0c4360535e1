// Layers that block the gradient locally: ReLU-family layers whose units are dead
// (output 0 for the whole batch) and sigmoid / tanh layers stuck at their flat ends.
// Both read saturated_frac at the latest traced row. A layer that is almost entirely
// dead or saturated passes (almost) no gradient to anything below it, so it counts
// as vanishing; a partly affected one is a warning.
import { saturationKindOf, type SaturationKind } from '../../traces/metrics.ts';
import { initCause, learningRateTooLarge, noNormalisation, present, sigmoidChain, tanhChain } from '../causes.ts';
import { texts } from '../texts.ts';
import { makeFinding, type DetectContext, type Detection } from './context.ts';

/** From this saturated (or dead) fraction a layer is reported. */
export const SATURATED = 0.5;
/** From this fraction the layer passes almost nothing: a problem, not a warning. */
export const SEVERELY_SATURATED = 0.9;

function affected(ctx: DetectContext, kind: SaturationKind): { values: Record<string, number>; nodes: string[] } {
  const values: Record<string, number> = {};
  const nodes: string[] = [];
  for (const id of ctx.plan.order) {
    const node = ctx.anatomy.byId.get(id);
    if (!node || saturationKindOf(node) !== kind) continue;
    const frac = ctx.traces.node(id, 'saturated_frac', ctx.latest);
    if (!(frac >= SATURATED)) continue;
    values[id] = frac;
    nodes.push(id);
  }
  return { values, nodes };
}

function detectKind(ctx: DetectContext, kind: SaturationKind): Detection | null {
  const { values, nodes } = affected(ctx, kind);
  if (nodes.length === 0) return null;
  const worst = nodes.reduce((a, b) => (values[b] > values[a] ? b : a));
  const severe = values[worst] >= SEVERELY_SATURATED;
  const step = ctx.traces.stepOf(ctx.latest);
  const evidence = { metrics: ['saturated_frac' as const], row: ctx.latest, step, values };
  const words = kind === 'dead' ? texts.findings.deadRelu : texts.findings.saturatedActivations;
  const causes =
    kind === 'dead'
      ? present([learningRateTooLarge(ctx, false), initCause(ctx, 'too-large'), noNormalisation(ctx)])
      : present([sigmoidChain(ctx), tanhChain(ctx), initCause(ctx, 'too-large'), noNormalisation(ctx)]);
  const finding = makeFinding(ctx, {
    kind: kind === 'dead' ? 'dead-relu' : 'saturated-activations',
    severity: severe ? 'problem' : 'warning',
    title: words.title({ severe, count: nodes.length }),
    explanation: words.explanation({ nodes, worst, worstFraction: values[worst] }),
    nodeIds: nodes,
    evidence,
    causes,
    extraFixes: kind === 'dead' ? ['leaky-relu', 'batchnorm'] : ['relu-he', 'batchnorm'],
  });
  return { finding, verdict: severe ? 'vanishing' : null };
}

export function detectSaturation(ctx: DetectContext): Detection[] {
  return [detectKind(ctx, 'dead'), detectKind(ctx, 'bounded')].filter((d): d is Detection => d !== null);
}
