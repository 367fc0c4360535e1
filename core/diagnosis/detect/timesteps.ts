// Vanishing and exploding through time, per recurrent layer: ||dL/dh_t|| at the
// first timestep against the last at the latest traced row, and the horizon, how
// many steps back from the end the gradient stays above recurrentFraction of its
// final value. A plain rnn that loses it is a problem; an LSTM or GRU that does may
// still be learning to forget on purpose, so for those it is a warning.
import { learningRateTooLarge, longPlainRecurrence, lowForgetBias, noClipping, present } from '../causes.ts';
import { texts } from '../texts.ts';
import { makeFinding, type DetectContext, type Detection } from './context.ts';

export interface TimeProfile {
  /** g[0] / g[T-1]. */
  ratio: number;
  /** Timesteps counted back from the last whose gradient stays at or above the fraction (T when all do). */
  horizon: number;
  time: number;
  first: number;
  last: number;
}

/** The profile of one curve of ||dL/dh_t||; null when it is too short or its last value is not positive. */
export function timeProfile(g: ArrayLike<number>, fraction: number): TimeProfile | null {
  const time = g.length;
  if (time < 2) return null;
  const last = g[time - 1];
  if (!(last > 0) || !Number.isFinite(last)) return null;
  const threshold = fraction * last;
  let horizon = 0;
  for (let t = time - 1; t >= 0 && g[t] >= threshold; t--) horizon++;
  const ratio = g[0] / last;
  return Number.isNaN(ratio) ? null : { ratio, horizon, time, first: g[0], last };
}

export function detectTimesteps(ctx: DetectContext): Detection[] {
  const out: Detection[] = [];
  const { recurrentFraction: fraction, explodeRatio } = ctx.options;
  const step = ctx.traces.stepOf(ctx.latest);
  const f = texts.findings;
  for (const layer of ctx.anatomy.recurrent) {
    const g = ctx.traces.timesteps(layer.id, ctx.latest);
    const p = g && timeProfile(g, fraction);
    if (!p) continue;
    const node = layer.id;
    const evidence = {
      metrics: ['timestep_grad_norm' as const],
      row: ctx.latest,
      step,
      values: { 't=0': p.first, [`t=${p.time - 1}`]: p.last, ratio: p.ratio, horizon: p.horizon },
    };
    if (p.ratio < fraction) {
      const finding = makeFinding(ctx, {
        kind: 'vanishing-through-time',
        node,
        severity: layer.type === 'rnn' ? 'problem' : 'warning',
        title: f.vanishingThroughTime.title({ node }),
        explanation: f.vanishingThroughTime.explanation({ node, ratio: p.ratio, horizon: p.horizon, time: p.time, fraction, step }),
        nodeIds: [node],
        evidence,
        causes: present([longPlainRecurrence(ctx, node), lowForgetBias(ctx, node)]),
      });
      out.push({ finding, verdict: 'vanishing' });
    } else if (p.ratio > explodeRatio) {
      const perStep = p.ratio ** (1 / (p.time - 1));
      const finding = makeFinding(ctx, {
        kind: 'exploding-through-time',
        node,
        severity: 'problem',
        title: f.explodingThroughTime.title({ node }),
        explanation: f.explodingThroughTime.explanation({ node, ratio: p.ratio, perStep, time: p.time, step }),
        nodeIds: [node],
        evidence,
        causes: present([noClipping(ctx), longPlainRecurrence(ctx, node), learningRateTooLarge(ctx, false)]),
      });
      out.push({ finding, verdict: 'exploding' });
    } else {
      const finding = makeFinding(ctx, {
        kind: 'recurrent-horizon',
        node,
        severity: 'info',
        title: f.recurrentHorizon.title({ node }),
        explanation: f.recurrentHorizon.explanation({ node, horizon: p.horizon, time: p.time, fraction, ratio: p.ratio }),
        nodeIds: [node],
        evidence,
        causes: [],
      });
      out.push({ finding, verdict: null });
    }
  }
  return out;
}
