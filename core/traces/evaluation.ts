// The ONE definition of the held-out evaluation series: with a test_fraction above
// 0 a run trains on one part of its data set and, every so many steps, measures the
// network on the other part, which it never trains on. What is measured, when, and
// how the rows are stored; the engine host, the project file, the trace files and
// the charts read these definitions.
//
// Storage is column-wise like the other traces: with E evaluations,
//   steps                 Int32Array (E)    weights after this many updates (0: before the first)
//   metrics[test_loss]     Float32Array (E)  mean loss over every test row
//   metrics[test_accuracy] Float32Array (E)  share of test rows predicted right (NaN for mse)
// An evaluation at step k uses the weights the training loss of step k is computed
// with (loss[k] is the batch loss before the k-th update), so both plot on one axis.
import type { TraceMetric } from './metrics.ts';

export interface EvaluationMetric extends Omit<TraceMetric, 'scope'> {
  scope: 'evaluation';
}

export const EVALUATION_METRICS = [
  {
    id: 'test_loss',
    scope: 'evaluation',
    label: 'Test loss',
    unit: '',
    tooltip:
      'The loss over every row held out for testing (the mean over all of them), measured with the weights of that ' +
      'step and never used to train. While it falls with the training loss the network is learning something that ' +
      'carries over to data it has not seen; when the training loss keeps falling and the test loss turns up, the ' +
      'network has started to memorise its training rows (overfitting).',
    logScale: false,
  },
  {
    id: 'test_accuracy',
    scope: 'evaluation',
    label: 'Test accuracy',
    unit: 'fraction',
    tooltip:
      'The share of held-out test rows the network classifies right with the weights of that step, counted the same ' +
      'way as the training accuracy. Unlike the batch accuracy it covers every test row, so it does not jump from ' +
      'batch to batch. Empty for regression (mse).',
    logScale: false,
  },
] as const satisfies readonly EvaluationMetric[];

export type EvaluationMetricId = (typeof EVALUATION_METRICS)[number]['id'];
export const EVALUATION_METRIC_IDS: readonly EvaluationMetricId[] = EVALUATION_METRICS.map((m) => m.id);

/** The definition of evaluation metric `id`. */
export function evaluationMetric(id: EvaluationMetricId): EvaluationMetric {
  return EVALUATION_METRICS.find((m) => m.id === id)!;
}

/** A run's evaluations, one row each, in step order (see the top of this file for the shapes). */
export interface EvaluationColumns {
  steps: Int32Array;
  metrics: { [K in EvaluationMetricId]: Float32Array };
}

/** Empty evaluation columns (a run with a test part that has not been evaluated yet). */
export function emptyEvaluationColumns(): EvaluationColumns {
  const metrics = Object.fromEntries(EVALUATION_METRICS.map((m) => [m.id, new Float32Array(0)])) as EvaluationColumns['metrics'];
  return { steps: new Int32Array(0), metrics };
}

/**
 * New evaluation rows as a trace chunk carries them: `from` is the index of the
 * first of them among the run's evaluations (so a receiver sees a gap or a repeat).
 */
export interface EvaluationChunk extends EvaluationColumns {
  from: number;
}

// ---- when to evaluate ----------------------------------------------------------------------------

/** At most this many evaluations a run, besides the one after the last step. */
export const MAX_EVALUATIONS = 100;

/**
 * At most this many test rows evaluated per training row, over the run: predicting a
 * row costs about a third of training on it (a forward pass without the backward
 * pass, the traces or the update), so this keeps the evaluations themselves under
 * about 10% of the training time however large the test part is (bench/heldOut.ts
 * measures it). Each evaluation also ends a native train() call and starts another,
 * some 40 µs, which only the smallest networks (20-40 µs a step) notice.
 */
export const EVALUATED_ROWS_PER_TRAINED_ROW = 0.25;

export interface EvaluationPlanInput {
  steps: number;
  traceEvery: number;
  batchSize: number;
  /** Rows in the test part (0: nothing to evaluate). */
  testRows: number;
}

/**
 * Steps between two evaluations: a multiple of trace_every (evaluations land on
 * traced steps), at least steps / MAX_EVALUATIONS, and wide enough that the
 * evaluated rows stay within EVALUATED_ROWS_PER_TRAINED_ROW of the trained ones.
 * It depends on the settings and the data set's size only, so a run and its
 * duplicate evaluate at the same steps.
 */
export function evaluationInterval(p: EvaluationPlanInput): number {
  const bySteps = Math.ceil(p.steps / MAX_EVALUATIONS);
  const byCost = Math.ceil(p.testRows / (EVALUATED_ROWS_PER_TRAINED_ROW * p.batchSize));
  const wanted = Math.max(1, bySteps, byCost);
  return Math.ceil(wanted / p.traceEvery) * p.traceEvery;
}

/** True when step `step` (updates done) is evaluated: step 0, every interval, and the run's last step. */
export function isEvaluationStep(step: number, interval: number, steps: number): boolean {
  return step === steps || (step < steps && step % interval === 0);
}

/** The next evaluated step after `step` (at most `steps`). */
export function nextEvaluationStep(step: number, interval: number, steps: number): number {
  return Math.min(steps, (Math.floor(step / interval) + 1) * interval);
}

// ---- the latest figures ----------------------------------------------------------------------

/** One evaluation's figures as a run's summary shows them (no accuracy for a regression). */
export interface EvaluationFigures {
  step: number;
  loss: number;
  accuracy?: number;
}

/** The last evaluation of `ev` (undefined when there is none). */
export function lastEvaluation(ev: Pick<EvaluationColumns, 'steps' | 'metrics'> | undefined): EvaluationFigures | undefined {
  const last = ev ? ev.steps.length - 1 : -1;
  if (!ev || last < 0) return undefined;
  const accuracy = ev.metrics.test_accuracy[last];
  return { step: ev.steps[last], loss: ev.metrics.test_loss[last], ...(Number.isNaN(accuracy) ? {} : { accuracy }) };
}
