// Fixes to the training settings rather than the network: clip the gradient's norm,
// or take smaller steps.
import type { TrainingSettings } from '../../training/settings.ts';
import { texts } from '../texts.ts';
import type { Fix } from '../types.ts';

/** The clip_norm the clipping fix sets: the whole gradient is rescaled to at most this length. */
export const CLIP_NORM = 1;
/** The learning-rate fix divides by this. */
export const LR_DIVISOR = 10;

/** Turns on gradient clipping at CLIP_NORM; null when clipping is already on. */
export function clipGradientsFix(settings: TrainingSettings): Fix | null {
  if (settings.clip_norm !== undefined) return null;
  return {
    id: 'clip-gradients',
    label: texts.fixes.clipGradients.label({ norm: CLIP_NORM }),
    description: texts.fixes.clipGradients.description({ norm: CLIP_NORM }),
    apply: (spec, s) => ({ spec, settings: { ...s, clip_norm: CLIP_NORM } }),
  };
}

/** lr / LR_DIVISOR, rounded to 12 digits so the settings show 0.0003, not 0.00030000000000000003. */
function lowered(lr: number): number {
  return Number((lr / LR_DIVISOR).toPrecision(12));
}

/** Divides the learning rate by LR_DIVISOR. */
export function lowerLearningRateFix(settings: TrainingSettings): Fix {
  const from = settings.optimizer.lr;
  const to = lowered(from);
  return {
    id: 'lower-learning-rate',
    label: texts.fixes.lowerLearningRate.label({ to }),
    description: texts.fixes.lowerLearningRate.description({ from, to }),
    apply: (spec, s) => ({ spec, settings: { ...s, optimizer: { ...s.optimizer, lr: lowered(s.optimizer.lr) } } }),
  };
}
