/**
 * `vglab train NETWORK.json`: trains a network headless on a built-in data set or a
 * CSV file and writes its traces (JSON and CSV) into --out.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DatasetError } from '../../core/datasets/generators.ts';
import { makeDataset } from '../../core/datasets/catalog.ts';
import type { Dataset } from '../../core/datasets/dataset.ts';
import { datasetFromTable, sequencesFromTable, TableError } from '../../core/datasets/table.ts';
import { loadAddon } from '../engine/addon.ts';
import { prepareRun, TrainInputError, trainPrepared } from '../engine/trainer.ts';
import { writeFileAtomic } from '../export/atomicWrite.ts';
import { tracesToCsv, tracesToJson } from '../export/traceFiles.ts';
import { exitWith } from './exit.ts';
import { ProgressBar } from './progress.ts';

export interface TrainCommandOptions {
  dataset: string;
  data?: string;
  csv?: string;
  target?: string;
  standardize?: boolean;
  sequenceColumn?: string;
  optimizer: string;
  lr: string;
  steps: string;
  batchSize: string;
  traceEvery: string;
  seed: string;
  clipNorm?: string;
  histogram: boolean;
  memoryCap: string;
  out?: string;
}

/** "n=400,noise=0.1" -> { n: 400, noise: 0.1 } (numbers where they parse, else strings). */
export function parseDataOptions(text: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!text) return out;
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new TrainInputError(`--data: "${part}" is not key=value`);
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    const n = Number(raw);
    out[key] = raw !== '' && Number.isFinite(n) ? n : raw;
  }
  return out;
}

function number(name: string, raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new TrainInputError(`--${name}: "${raw}" is not a number`);
  return v;
}

function csvDataset(path: string, o: TrainCommandOptions): Dataset {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new TrainInputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (o.sequenceColumn && o.standardize) {
    // Standardising would rescale the sequence ids too; scale the features before export instead.
    throw new TrainInputError('--standardize cannot be combined with --sequence-column');
  }
  const d = loadAddon().parseCsv(bytes, { ...(o.target ? { target: o.target } : {}), standardize: o.standardize ?? false });
  const table = { ...d, name: path };
  return o.sequenceColumn ? sequencesFromTable(table, o.sequenceColumn) : datasetFromTable(table);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TrainInputError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

export async function trainCommand(networkPath: string, o: TrainCommandOptions): Promise<void> {
  let code = 2;
  let failure: unknown;
  try {
    const network = readJson(networkPath);
    const dataset = o.csv ? csvDataset(o.csv, o) : makeDataset(o.dataset, parseDataOptions(o.data));
    const settings = {
      optimizer: { type: o.optimizer, lr: number('lr', o.lr) },
      steps: number('steps', o.steps),
      batch_size: number('batch-size', o.batchSize),
      trace_every: number('trace-every', o.traceEvery),
      seed: number('seed', o.seed),
      histogram: o.histogram,
      ...(o.clipNorm !== undefined ? { clip_norm: number('clip-norm', o.clipNorm) } : {}),
    };
    const memoryCapBytes = number('memory-cap', o.memoryCap) * 1024 * 1024;
    if (!(memoryCapBytes > 0)) throw new TrainInputError('--memory-cap must be a positive number of MiB');
    const run = prepareRun(network, settings, dataset, { memoryCapBytes });
    const bar = new ProgressBar(run.settings.steps, process.stderr);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    const trained = await trainPrepared(run, { signal: abort.signal, onChunk: (_c, done) => bar.update(done) });
    process.off('SIGINT', onSigint);
    bar.done();

    const { result, traces } = trained;
    const loss = traces.metrics.loss;
    const summary = {
      steps: result.steps,
      stopped: result.stopped,
      ...(result.divergence ? { divergence: result.divergence } : {}),
      first_loss: loss[0],
      last_loss: loss[loss.length - 1],
      out: o.out ?? null,
    };
    if (o.out) {
      mkdirSync(o.out, { recursive: true });
      writeFileAtomic(join(o.out, 'traces.json'), tracesToJson(traces));
      const csv = tracesToCsv(traces);
      writeFileAtomic(join(o.out, 'steps.csv'), csv.steps);
      writeFileAtomic(join(o.out, 'nodes.csv'), csv.nodes);
      writeFileAtomic(join(o.out, 'params.csv'), csv.params);
      if (csv.timesteps) writeFileAtomic(join(o.out, 'timesteps.csv'), csv.timesteps);
      if (csv.gates) writeFileAtomic(join(o.out, 'gates.csv'), csv.gates);
    }
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    code = result.stopped === 'diverged' ? 3 : 0;
  } catch (e) {
    failure = e;
  }
  exitWith(() => {
    if (failure) throw failure;
    return code;
  }, TrainInputError, DatasetError, TableError);
}
