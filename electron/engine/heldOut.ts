/**
 * The held-out test part of a run (settings.test_fraction > 0): the rows the engine
 * never trains on, and their evaluation between training segments. An evaluation is
 * a forward pass in evaluation mode (predict) scored in TypeScript the way the engine
 * scores a batch (core/training/lossOnRows.ts): it computes no gradient, records no
 * trace and leaves the optimiser alone, so the training steps around it run exactly
 * as they would without it. The cadence is core/traces/evaluation.ts's.
 */
import type { Dataset } from '../../core/datasets/dataset.ts';
import type { LossType } from '../../core/network/spec.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import {
  evaluationInterval,
  isEvaluationStep,
  nextEvaluationStep,
  type EvaluationChunk,
} from '../../core/traces/evaluation.ts';
import { RECURRENT_METRIC_IDS, TRACE_METRIC_IDS } from '../../core/traces/metrics.ts';
import type { TrainingSettings } from '../../core/training/settings.ts';
import { lossOnRows } from '../../core/training/lossOnRows.ts';
import type { NativeNetwork, NativeTrainResult } from './addon.ts';

/** The test part and where its evaluations stand. */
export interface HeldOut {
  /** The test rows (x, targets), as the data set split them. */
  test: Dataset;
  loss: LossType;
  /** Outputs per row (the network's output width). */
  width: number;
  /** Steps between evaluations (evaluationInterval), and the run's steps (the last is always evaluated). */
  interval: number;
  steps: number;
  /** Evaluations made so far, and the step of the last one (-1: none yet). */
  count: number;
  lastStep: number;
  /** Traced rows streamed so far: where an evaluation-only chunk sits among the traced rows. */
  rowCursor: number;
}

/** The held-out state of a run whose test part is `test` (null when it has no rows: nothing to evaluate). */
export function heldOutFor(test: Dataset, settings: TrainingSettings, loss: LossType, width: number): HeldOut | null {
  if (test.n === 0) return null;
  const interval = evaluationInterval({
    steps: settings.steps,
    traceEvery: settings.trace_every,
    batchSize: settings.batch_size,
    testRows: test.n,
  });
  return { test, loss, width, interval, steps: settings.steps, count: 0, lastStep: -1, rowCursor: 0 };
}

/** Test loss and accuracy of `net`'s current weights (evaluation mode). */
export function scoreTestRows(net: NativeNetwork, h: Pick<HeldOut, 'test' | 'loss' | 'width'>): { loss: number; accuracy: number } {
  const output = net.predict(h.test.x, h.test.n);
  const targets = h.loss === 'softmax_cross_entropy' ? h.test.y : Float32Array.from(h.test.y);
  return lossOnRows(h.loss, output, targets, h.test.n, h.width);
}

/** One evaluation at the network's current step, as a chunk with no training steps. */
function evaluationChunk(net: NativeNetwork, h: HeldOut): TraceChunk {
  const step = net.stepsDone;
  const score = scoreTestRows(net, h);
  const evaluation: EvaluationChunk = {
    from: h.count,
    steps: Int32Array.of(step),
    metrics: { test_loss: Float32Array.of(score.loss), test_accuracy: Float32Array.of(score.accuracy) },
  };
  h.count++;
  h.lastStep = step;
  // Every metric the engine's chunks carry (the recurrent ones too, empty without recurrent nodes), empty:
  // chunks of one run merge and append alike.
  const ids = [...TRACE_METRIC_IDS, ...RECURRENT_METRIC_IDS];
  const metrics = Object.fromEntries(ids.map((id) => [id, new Float32Array(0)])) as TraceChunk['metrics'];
  return { stepFrom: step, rowFrom: h.rowCursor, steps: new Int32Array(0), metrics, histogram: new Uint32Array(0), evaluation };
}

export interface EvaluatingRun {
  net: NativeNetwork;
  heldOut: HeldOut | null;
}

/**
 * Trains `steps` more steps like net.train, evaluating the test part at its steps:
 * training stops at each evaluated step, the evaluation goes out as a chunk of its
 * own, and training goes on. `stopAsked` is read between segments (a cancel that
 * arrives as one segment ends could otherwise be lost: the engine clears its flag
 * when train() returns). Without a test part this is net.train itself.
 */
export async function trainEvaluating(
  run: EvaluatingRun,
  steps: number,
  onChunk: (chunk: TraceChunk) => void,
  stopAsked: () => boolean = () => false,
): Promise<NativeTrainResult> {
  const { net, heldOut: h } = run;
  if (!h) return net.train(steps, onChunk);
  const forward = (chunk: TraceChunk) => {
    h.rowCursor = chunk.rowFrom + chunk.steps.length;
    onChunk(chunk);
  };
  const evaluateIfDue = () => {
    const step = net.stepsDone;
    if (step > h.lastStep && isEvaluationStep(step, h.interval, h.steps)) forward(evaluationChunk(net, h));
  };
  const target = net.stepsDone + steps;
  let done = 0;
  evaluateIfDue(); // step 0: the untrained network's test loss
  while (net.stepsDone < target) {
    // Past the run's last step (never in the lab or the CLI) there is nothing left to evaluate.
    const next = nextEvaluationStep(net.stepsDone, h.interval, h.steps);
    const end = next > net.stepsDone ? Math.min(target, next) : target;
    const result = await net.train(end - net.stepsDone, forward);
    done += result.steps;
    if (result.stopped !== 'diverged') evaluateIfDue();
    if (result.stopped !== 'completed') return { ...result, steps: done };
    if (stopAsked() && net.stepsDone < target) return { steps: done, stopped: 'cancelled' };
  }
  return { steps: done, stopped: 'completed' };
}
