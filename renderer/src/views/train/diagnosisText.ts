/**
 * The diagnosis panel's own words (the findings bring theirs from
 * core/diagnosis/texts.ts): the status line, and the label of a run made by a fix.
 */
import type { DiagnosisStatus, Severity } from '../../../../core/diagnosis/diagnose.ts';

export const STATUS_WORDS: Record<DiagnosisStatus, string> = {
  healthy: 'Healthy',
  vanishing: 'Vanishing gradient',
  exploding: 'Exploding gradient',
  diverged: 'Diverged',
  'not-enough-data': 'Waiting for traced steps',
};

export const STATUS_HINTS: Record<DiagnosisStatus, string> = {
  healthy: 'The gradient reaches every layer at a usable size.',
  vanishing: 'The gradient fades on its way back: the early layers (or early timesteps) barely learn.',
  exploding: 'The gradient grows on its way back or over training: updates are too large to be stable.',
  diverged: 'The loss stopped being a number: training cannot go on from here.',
  'not-enough-data': 'The diagnosis starts with the first traced step.',
};

export const SEVERITY_WORDS: Record<Severity, string> = {
  problem: 'Problem',
  warning: 'Warning',
  info: 'Note',
};

/** The label of the run a fix makes: "<run label> + <fix label>", cut to the 200 characters a label may have. */
export function variantLabel(runLabel: string, fixLabel: string): string {
  return `${runLabel} + ${fixLabel}`.slice(0, 200);
}
