/**
 * `vglab train NETWORK.json`: trains a network headless on a built-in data set or a
 * CSV file and writes its traces (JSON and CSV) into --out.
 */
import { readFileSync } from 'node:fs';

import { makeDataset } from '../../core/datasets/catalog.ts';
import { DatasetError } from '../../core/datasets/generators.ts';
import { TableError } from '../../core/datasets/table.ts';
import { prepareRun, TrainInputError } from '../engine/trainer.ts';
import { exitWith } from './exit.ts';
import { writeTraceFiles } from '../export/writeTraceFiles.ts';
import { loadCsvDataset, reportRun, timeCapOption, trainWithProgress } from './headless.ts';

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
  testFraction: string;
  clipNorm?: string;
  histogram: boolean;
  memoryCap: string;
  /** Minutes of training before the run stops between two steps (default: no cap). */
  timeCap?: string;
  out?: string;
  /** Also write the trace tables as Parquet. */
  parquet?: boolean;
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

/** --test-fraction: a share of the rows from 0 up to 0.9 (TrainInputError naming the option otherwise). */
export function testFractionOption(raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v > 0.9) {
    throw new TrainInputError(
      `--test-fraction: "${raw}" is not a share of the rows from 0 to 0.9 (e.g. 0.2 holds a fifth of the rows out for testing)`,
    );
  }
  return v;
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
    const testFraction = testFractionOption(o.testFraction);
    const seed = number('seed', o.seed);
    // A standardized CSV is scaled by the training rows alone when a test part is held out.
    const dataset = o.csv ? loadCsvDataset(o.csv, o, o.csv, { testFraction, seed }) : makeDataset(o.dataset, parseDataOptions(o.data));
    const settings = {
      optimizer: { type: o.optimizer, lr: number('lr', o.lr) },
      steps: number('steps', o.steps),
      batch_size: number('batch-size', o.batchSize),
      trace_every: number('trace-every', o.traceEvery),
      seed,
      test_fraction: testFraction,
      histogram: o.histogram,
      ...(o.clipNorm !== undefined ? { clip_norm: number('clip-norm', o.clipNorm) } : {}),
    };
    const memoryCapBytes = number('memory-cap', o.memoryCap) * 1024 * 1024;
    if (!(memoryCapBytes > 0)) throw new TrainInputError('--memory-cap must be a positive number of MiB');
    const timeCapMs = timeCapOption(o.timeCap);
    const run = prepareRun(network, settings, dataset, { memoryCapBytes });
    const trained = await trainWithProgress(run, timeCapMs);
    if (o.out) writeTraceFiles(o.out, trained.traces, { parquet: o.parquet });
    code = reportRun(trained, o.out ?? null);
  } catch (e) {
    failure = e;
  }
  exitWith(() => {
    if (failure) throw failure;
    return code;
  }, TrainInputError, DatasetError, TableError);
}
