/** Words and numbers about a run for lists and labels (pure, so tests can read them). */
import type { RunState, RunSummary } from '../../../../core/api/labApi.ts';
import { formatValue } from '../../../../core/charts/style.ts';

export const STATE_WORDS: Record<RunState, string> = {
  created: 'Ready',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Stopped',
  diverged: 'Diverged',
  failed: 'Failed',
};

/** "1,234 / 5,000 steps" with grouping that does not depend on the locale. */
export function stepsText(run: Pick<RunSummary, 'stepsDone' | 'steps'>): string {
  const g = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${g(run.stepsDone)} / ${g(run.steps)} steps`;
}

export function lossText(run: Pick<RunSummary, 'lastLoss'>): string {
  return run.lastLoss === undefined ? '–' : formatValue(run.lastLoss);
}

/**
 * The latest test figures of a run that holds rows out: "test loss 0.412, 87.5% right"
 * (no accuracy for a regression); null without a test evaluation.
 */
export function testText(run: Pick<RunSummary, 'lastTest'>): string | null {
  const t = run.lastTest;
  if (!t) return null;
  const right = t.accuracy === undefined ? '' : `, ${(100 * t.accuracy).toFixed(1)}% right`;
  return `test loss ${formatValue(t.loss)}${right}`;
}

/** Why the run ended badly or early, if it did (a run stopped by the student needs no words). */
export function problemText(run: Pick<RunSummary, 'state' | 'divergence' | 'error' | 'stopReason'>): string | null {
  if (run.state === 'diverged') return run.divergence ?? 'Training diverged.';
  if (run.state === 'failed') return run.error ?? 'The run failed.';
  if (run.state === 'cancelled' && run.stopReason) return run.stopReason;
  return null;
}
