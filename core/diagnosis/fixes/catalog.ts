// Every fix by id, and the one place that turns a list of fix ids into the Fix
// objects a finding offers: each built against this network (null when it would
// change nothing here), deduplicated, in a fixed order from the most to the least
// far-reaching, so the buttons do not jump around between updates.
import type { NetworkSpec } from '../../network/spec.ts';
import type { TrainingSettings } from '../../training/settings.ts';
import type { Fix, FixId } from '../types.ts';
import { leakyReluFix, reluHeFix } from './activations.ts';
import { standardInitFix } from './init.ts';
import { batchnormFix } from './normalisation.ts';
import { forgetBiasFix, gruFix, lstmFix } from './recurrent.ts';
import { residualFix } from './residual.ts';
import { clipGradientsFix, lowerLearningRateFix } from './training.ts';

type FixBuilder = (spec: NetworkSpec, settings: TrainingSettings) => Fix | null;

export const FIX_BUILDERS: { readonly [K in FixId]: FixBuilder } = {
  'relu-he': (spec) => reluHeFix(spec),
  'standard-init': (spec) => standardInitFix(spec),
  batchnorm: (spec) => batchnormFix(spec),
  residual: (spec) => residualFix(spec),
  lstm: (spec) => lstmFix(spec),
  gru: (spec) => gruFix(spec),
  'forget-bias': (spec) => forgetBiasFix(spec),
  'leaky-relu': (spec) => leakyReluFix(spec),
  'clip-gradients': (_spec, settings) => clipGradientsFix(settings),
  'lower-learning-rate': (_spec, settings) => lowerLearningRateFix(settings),
};

/** Display order of the fixes. */
export const FIX_ORDER = Object.keys(FIX_BUILDERS) as FixId[];

/**
 * The fixes with these ids that apply to this network, each once, in FIX_ORDER.
 * `cache` lets the findings of one diagnosis share each Fix (they are built once).
 */
export function buildFixes(
  ids: readonly FixId[],
  spec: NetworkSpec,
  settings: TrainingSettings,
  cache: Map<FixId, Fix | null> = new Map(),
): Fix[] {
  const wanted = new Set(ids);
  const out: Fix[] = [];
  for (const id of FIX_ORDER) {
    if (!wanted.has(id)) continue;
    if (!cache.has(id)) cache.set(id, FIX_BUILDERS[id](spec, settings));
    const fix = cache.get(id);
    if (fix) out.push(fix);
  }
  return out;
}
