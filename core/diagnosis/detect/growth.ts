// Runaway training: a loss that became NaN or infinite (diverged), and a whole
// gradient whose norm has grown by orders of magnitude since the first traced steps
// (exploding over time, whatever its distribution across layers).
import { explodingCauses, initCause, learningRateTooLarge, noClipping, present } from '../causes.ts';
import { texts } from '../texts.ts';
import type { Evidence } from '../types.ts';
import { makeFinding, type DetectContext, type Detection } from './context.ts';

/**
 * The first traced rows: the smallest whole-gradient norm among them is the baseline
 * the latest is compared with (the smallest, so growth that starts at once still counts;
 * growthRatio is orders of magnitude, far above one batch's noise).
 */
const BASELINE_ROWS = 3;

export function detectDivergence(ctx: DetectContext): Detection[] {
  const loss = ctx.traces.lossSummary();
  if (loss.firstNonFinite < 0) return [];
  const step = loss.firstNonFinite;
  const values: Record<string, number> = { loss: loss.nonFiniteValue };
  if (step > 0) values['previous loss'] = ctx.traces.traces.metrics.loss[step - 1];
  const evidence: Evidence = { metrics: ['loss'], row: -1, step, values };
  const words = texts.findings.diverged;
  const finding = makeFinding(ctx, {
    kind: 'diverged',
    severity: 'problem',
    title: words.title(),
    explanation: words.explanation({ step, value: loss.nonFiniteValue }),
    nodeIds: [],
    evidence,
    causes: present([learningRateTooLarge(ctx, true), noClipping(ctx), initCause(ctx, 'too-large')]),
  });
  return [{ finding, verdict: 'diverged' }];
}

function smallest(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length === 0 ? Number.NaN : Math.min(...finite);
}

export function detectGrowth(ctx: DetectContext): Detection[] {
  if (ctx.latest < 1) return [];
  const baselineRows = Array.from({ length: Math.min(BASELINE_ROWS, ctx.latest) }, (_, r) => r);
  const from = smallest(baselineRows.map((r) => ctx.traces.totalGrad(r)));
  const to = ctx.traces.totalGrad(ctx.latest);
  if (!(from > 0) || !Number.isFinite(from) || Number.isNaN(to)) return [];
  const runaway = !Number.isFinite(to) || to > ctx.options.growthRatio * from;
  if (!runaway) return [];
  const step = ctx.traces.stepOf(ctx.latest);
  const evidence: Evidence = {
    metrics: ['grad_norm'],
    row: ctx.latest,
    step,
    values: { 'gradient norm at start': from, 'gradient norm now': to, growth: to / from },
  };
  const words = texts.findings.explodingGrowth;
  const finding = makeFinding(ctx, {
    kind: 'exploding-growth',
    severity: 'problem',
    title: words.title(),
    explanation: words.explanation({ from, to, step }),
    nodeIds: [],
    evidence,
    causes: explodingCauses(ctx, true),
  });
  return [{ finding, verdict: 'exploding' }];
}
