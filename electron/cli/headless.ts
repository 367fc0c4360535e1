/**
 * What `vglab train` and `vglab run` share: reading a CSV data set, training with a
 * progress bar (Ctrl-C stops after the current step), writing the trace files, and
 * the one-line summary with its exit code.
 */
import { readFileSync } from 'node:fs';

import type { Dataset } from '../../core/datasets/dataset.ts';
import { datasetFromTable, sequencesFromTable } from '../../core/datasets/table.ts';
import { loadAddon } from '../engine/addon.ts';
import { type PreparedRun, type TrainedRun, TrainInputError, trainPrepared } from '../engine/trainer.ts';
import { ProgressBar } from './progress.ts';

export interface CsvChoice {
  target?: string;
  standardize?: boolean;
  sequenceColumn?: string;
}

/** A CSV file as a data set: one sample per row, or sequences in long layout. */
export function loadCsvDataset(path: string, choice: CsvChoice): Dataset {
  if (choice.sequenceColumn && choice.standardize) {
    // Standardising would rescale the sequence ids too; scale the features before export instead.
    throw new TrainInputError('--standardize cannot be combined with --sequence-column');
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new TrainInputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const parsed = loadAddon().parseCsv(bytes, {
    ...(choice.target ? { target: choice.target } : {}),
    standardize: choice.standardize ?? false,
  });
  const table = { ...parsed, name: path };
  return choice.sequenceColumn ? sequencesFromTable(table, choice.sequenceColumn) : datasetFromTable(table);
}

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
