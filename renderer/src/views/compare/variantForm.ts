/**
 * The "duplicate with a change" form's fields (as typed: strings, '' meaning
 * "keep") turned into RunChanges, with a message per field that cannot be one.
 * A value equal to the run's own is no change (so the copy's label never claims one).
 */
import type { RunSummary } from '../../../../core/api/labApi.ts';
import type { ActivationKind } from '../../../../core/network/activationCurves.ts';
import type { InitScheme } from '../../../../core/network/spec.ts';
import { HIDDEN_ACTIVATIONS, INIT_SCHEMES, OPTIMIZER_TYPES, type RunChange } from '../../../../core/network/variants.ts';
import { MAX_BATCH_SIZE, MAX_STEPS, type OptimizerType } from '../../../../core/training/settings.ts';

export interface VariantFields {
  activation: string;
  init: string;
  lr: string;
  optimizer: string;
  batch_size: string;
  steps: string;
  /** A norm to clip to; "0" turns clipping off. */
  clip_norm: string;
}

export type VariantField = keyof VariantFields;

export function emptyFields(): VariantFields {
  return { activation: '', init: '', lr: '', optimizer: '', batch_size: '', steps: '', clip_norm: '' };
}

export interface FieldsResult {
  changes: RunChange[];
  /** Messages by field, for the field's own error text. */
  errors: Partial<Record<VariantField, string>>;
}

function number(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function wholeIn(text: string, min: number, max: number): number | null {
  const n = number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** The changes the filled-in fields ask for, against `run`'s own values. */
export function changesFromFields(f: VariantFields, run: Pick<RunSummary, 'settings'>): FieldsResult {
  const changes: RunChange[] = [];
  const errors: FieldsResult['errors'] = {};
  const s = run.settings;
  if ((HIDDEN_ACTIVATIONS as readonly string[]).includes(f.activation)) {
    changes.push({ kind: 'activation', to: f.activation as ActivationKind });
  }
  if ((INIT_SCHEMES as readonly string[]).includes(f.init)) changes.push({ kind: 'init', to: f.init as InitScheme });
  if (f.lr.trim() !== '') {
    const lr = number(f.lr);
    if (!(lr > 0) || !Number.isFinite(lr)) errors.lr = 'must be a positive number, e.g. 0.01';
    else if (lr !== s.optimizer.lr) changes.push({ kind: 'lr', to: lr });
  }
  if ((OPTIMIZER_TYPES as readonly string[]).includes(f.optimizer) && f.optimizer !== s.optimizer.type) {
    changes.push({ kind: 'optimizer', to: f.optimizer as OptimizerType });
  }
  if (f.batch_size.trim() !== '') {
    const b = wholeIn(f.batch_size, 1, MAX_BATCH_SIZE);
    if (b === null) errors.batch_size = `must be a whole number from 1 to ${MAX_BATCH_SIZE}`;
    else if (b !== s.batch_size) changes.push({ kind: 'batch_size', to: b });
  }
  if (f.steps.trim() !== '') {
    const n = wholeIn(f.steps, 1, MAX_STEPS);
    if (n === null) errors.steps = `must be a whole number from 1 to ${MAX_STEPS}`;
    else if (n !== s.steps) changes.push({ kind: 'steps', to: n });
  }
  if (f.clip_norm.trim() !== '') {
    const c = number(f.clip_norm);
    if (!(c >= 0) || !Number.isFinite(c)) errors.clip_norm = 'must be a positive number, or 0 for no clipping';
    else if (c === 0 && s.clip_norm !== undefined) changes.push({ kind: 'clip_norm', to: null });
    else if (c > 0 && c !== s.clip_norm) changes.push({ kind: 'clip_norm', to: c });
  }
  return { changes, errors };
}
