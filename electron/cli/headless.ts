/**
 * What `vglab train` and `vglab run` share: reading a CSV data set, training with a
 * progress bar (Ctrl-C stops after the current step), writing the trace files, and
 * the one-line summary with its exit code.
 */
import { type PreparedRun, type TrainedRun, trainPrepared } from '../engine/trainer.ts';
import { ProgressBar } from './progress.ts';

// The CSV loader lives with the engine now (the lab's engine host reads CSV files too).
export { loadCsvDataset, type CsvChoice } from '../engine/csvDataset.ts';

/** Trains with a progress bar on a terminal; Ctrl-C cancels after the current step. */
export async function trainWithProgress(run: PreparedRun): Promise<TrainedRun> {
  const bar = new ProgressBar(run.settings.steps, process.stderr);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await trainPrepared(run, { signal: abort.signal, onChunk: (_c, done) => bar.update(done) });
  } finally {
    process.off('SIGINT', onSigint);
    bar.done();
  }
}

/** Prints the one-line JSON summary of a finished run and returns its exit code (3: diverged). */
export function reportRun(trained: TrainedRun, out: string | null): number {
  const { result, traces } = trained;
  const loss = traces.metrics.loss;
  const summary = {
    steps: result.steps,
    stopped: result.stopped,
    ...(result.divergence ? { divergence: result.divergence } : {}),
    first_loss: loss[0],
    last_loss: loss[loss.length - 1],
    out,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return result.stopped === 'diverged' ? 3 : 0;
}
