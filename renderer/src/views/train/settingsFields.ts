/**
 * The number fields of the training settings form: which setting each edits, its
 * words, its input limits, and which optimisers use it (a field the chosen optimiser
 * ignores is not shown). The limits only guide the browser's spinner; the settings
 * schema decides what is valid and says why.
 */
import type { OptimizerType, TrainingSettings } from '../../../../core/training/settings.ts';

type OptimizerNumber = 'lr' | 'momentum' | 'beta1' | 'beta2' | 'eps' | 'weight_decay';
type LoopNumber = 'batch_size' | 'steps' | 'trace_every' | 'seed';

export interface NumberSetting {
  /** The field's dotted path in the settings, as the schema's messages name it. */
  field: `optimizer.${OptimizerNumber}` | LoopNumber;
  label: string;
  hint?: string;
  step: string;
  min?: number;
  max?: number;
  /** The optimisers that read this setting; absent: all of them. */
  optimizers?: readonly OptimizerType[];
}

export const OPTIMIZER_FIELDS: readonly NumberSetting[] = [
  { field: 'optimizer.lr', label: 'Learning rate', step: 'any', min: 0 },
  { field: 'optimizer.momentum', label: 'Momentum', step: '0.01', min: 0, max: 0.999, optimizers: ['momentum'] },
  {
    field: 'optimizer.beta1',
    label: 'Adam beta1',
    hint: 'How slowly the running mean of the gradient forgets (0.9 is usual)',
    step: '0.01',
    min: 0,
    max: 0.999,
    optimizers: ['adam'],
  },
  {
    field: 'optimizer.beta2',
    label: 'Adam beta2',
    hint: 'How slowly the running mean of the squared gradient forgets (0.999 is usual)',
    step: '0.001',
    min: 0,
    max: 0.9999,
    optimizers: ['adam'],
  },
  {
    field: 'optimizer.eps',
    label: 'Adam epsilon',
    hint: 'Added to the denominator so a tiny gradient never divides by zero',
    step: 'any',
    min: 0,
    optimizers: ['adam'],
  },
  {
    field: 'optimizer.weight_decay',
    label: 'Weight decay',
    hint: 'Adds this multiple of each weight to its gradient, pulling weights towards 0; 0 turns it off',
    step: 'any',
    min: 0,
  },
];

export const LOOP_FIELDS: readonly NumberSetting[] = [
  { field: 'batch_size', label: 'Batch size', step: '1', min: 1 },
  { field: 'steps', label: 'Steps', step: '1', min: 1 },
  { field: 'trace_every', label: 'Trace every (steps)', step: '1', min: 1 },
  { field: 'seed', label: 'Seed', step: '1', min: 0 },
];

/** Whether the form shows `f` while `type` is the chosen optimiser. */
export function applies(f: NumberSetting, type: OptimizerType): boolean {
  return !f.optimizers || f.optimizers.includes(type);
}

/** The setting's value (a number; `settings` as the schema returns it, defaults filled). */
export function settingValue(s: TrainingSettings, field: NumberSetting['field']): number {
  return field.startsWith('optimizer.') ? s.optimizer[field.slice(10) as OptimizerNumber] : s[field as LoopNumber];
}

/** Writes `value` to the setting (into a copy the form then validates). */
export function setSetting(s: TrainingSettings, field: NumberSetting['field'], value: number): void {
  if (field.startsWith('optimizer.')) s.optimizer[field.slice(10) as OptimizerNumber] = value;
  else s[field as LoopNumber] = value;
}

/** The input's id for a field ("optimizer.lr" -> "setting-optimizer-lr"). */
export function settingId(field: string): string {
  return `setting-${field.replace(/[._]/g, '-')}`;
}
