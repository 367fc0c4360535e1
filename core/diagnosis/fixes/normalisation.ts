// Inserts a batchnorm node after every hidden dense layer that has no normalisation
// yet (dense -> batchnorm -> activation, the usual order). The read-out layer is left
// alone: normalising the logits would only fight the loss. New ids follow the dense
// layer's number ("dense7" -> "bn7") and never clash with existing ones.
import { PARAM_DEFAULTS, type NetworkSpec } from '../../network/spec.ts';
import { analyseSpec } from '../anatomy.ts';
import { texts } from '../texts.ts';
import type { Fix } from '../types.ts';
import { derivedId, freshId, idsOf, insertAfter } from './edit.ts';

function batchnormTargets(spec: NetworkSpec): string[] {
  const analysed = analyseSpec(spec);
  if (!analysed) return [];
  const { anatomy, plan } = analysed;
  return anatomy.hidden.filter((l) => l.type === 'dense' && !l.normalised && l.id !== plan.output).map((l) => l.id);
}

function applyBatchnorm(spec: NetworkSpec): NetworkSpec {
  const taken = idsOf(spec);
  let out = spec;
  for (const id of batchnormTargets(spec)) {
    const bn = { id: freshId(derivedId(id, 'bn'), taken), type: 'batchnorm' as const, params: { ...PARAM_DEFAULTS.batchnorm } };
    out = insertAfter(out, id, bn);
  }
  return out;
}

/** A batchnorm after each hidden dense layer that lacks one. */
export function batchnormFix(spec: NetworkSpec): Fix | null {
  const after = batchnormTargets(spec);
  if (after.length === 0) return null;
  return {
    id: 'batchnorm',
    label: texts.fixes.batchnorm.label(),
    description: texts.fixes.batchnorm.description({ after }),
    apply: (s, settings) => ({ spec: applyBatchnorm(s), settings }),
  };
}
