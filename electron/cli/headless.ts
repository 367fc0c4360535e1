/**
 * What `vglab train` and `vglab run` share: reading a CSV data set, training with a
 * progress bar (Ctrl-C, or the time cap, stops after the current step), writing the
 * trace files, and the one-line summary with its exit code.
 */
import { TIME_CAP_OPTION_HELP, timeCapMessage, timeCapMsFromMinutes } from '../../core/training/timeCap.ts';
import { lastEvaluation } from '../../core/traces/evaluation.ts';
import { type PreparedRun, type TrainedRun, TrainInputError, trainPrepared } from '../engine/trainer.ts';
import { ProgressBar } from './progress.ts';

// The CSV loader lives with the engine now (the lab's engine host reads CSV files too).
export { loadCsvDataset, type CsvChoice } from '../engine/csvDataset.ts';

/** A run trained headless; `stopReason` when the time cap stopped it. */
export interface HeadlessRun extends TrainedRun {
  stopReason?: string;
}

/** --time-cap in minutes -> milliseconds (0: no cap); TrainInputError naming the option otherwise. */
export function timeCapOption(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const ms = timeCapMsFromMinutes(raw);
  if (ms === null) throw new TrainInputError(`--time-cap: "${raw}" is not ${TIME_CAP_OPTION_HELP}`);
  return ms;
}

/**
 * Trains with a progress bar on a terminal; Ctrl-C cancels after the current step,
 * and so does the time cap (ms of training; 0: none), which gives the run its reason.
 */
export async function trainWithProgress(run: PreparedRun, timeCapMs = 0): Promise<HeadlessRun> {
  const bar = new ProgressBar(run.settings.steps, process.stderr);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  let capped = false;
  const reachCap = () => {
    capped = true;
    abort.abort();
  };
  const cap = timeCapMs > 0 ? setTimeout(reachCap, timeCapMs) : null;
  process.once('SIGINT', onSigint);
  try {
    const trained = await trainPrepared(run, { signal: abort.signal, onChunk: (_c, done) => bar.update(done) });
    if (!capped || trained.result.stopped !== 'cancelled') return trained;
    return { ...trained, stopReason: timeCapMessage(timeCapMs, trained.result.steps, run.settings.steps) };
  } finally {
    if (cap) clearTimeout(cap);
    process.off('SIGINT', onSigint);
    bar.done();
  }
}

/** The last evaluation of the held-out test rows, when the run kept some (accuracy left out for a regression). */
function finalTest(traces: TrainedRun['traces']): { test_step?: number; test_loss?: number; test_accuracy?: number } {
  const last = lastEvaluation(traces.evaluation);
  if (!last) return {};
  return { test_step: last.step, test_loss: last.loss, ...(last.accuracy === undefined ? {} : { test_accuracy: last.accuracy }) };
}

/**
 * Prints the one-line JSON summary of a finished run and returns its exit code
 * (3: diverged; 4: stopped at the time cap, whose reason also goes to stderr).
 */
export function reportRun(trained: HeadlessRun, out: string | null): number {
  const { result, traces, stopReason } = trained;
  const loss = traces.metrics.loss;
  if (stopReason) process.stderr.write(`vglab: ${stopReason}\n`);
  const summary = {
    steps: result.steps,
    stopped: result.stopped,
    ...(stopReason ? { stop_reason: stopReason } : {}),
    ...(result.divergence ? { divergence: result.divergence } : {}),
    first_loss: loss[0],
    last_loss: loss[loss.length - 1],
    ...finalTest(traces),
    out,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return result.stopped === 'diverged' ? 3 : stopReason ? 4 : 0;
}
