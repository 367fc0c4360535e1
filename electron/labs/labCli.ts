/**
 * `vglab run labs/LAB.json`: trains every preset of a lab headless, judges its
 * checkpoints and writes, into the output folder:
 *   checkpoints.json   every checkpoint result (and how each run ended)
 *   <preset id>/       that preset's traces (traces.json and the CSV tables)
 *   report.html        the lab report (answers only with --teacher)
 *   report.pdf         the same report as PDF, with --pdf (printed by a local Chromium)
 * and prints a one-line JSON summary. Failed checkpoints are results, not errors:
 * the exit code is 0 whenever the lab ran (1 for an invalid lab file, 2 for a bug).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { DatasetError } from '../../core/datasets/generators.ts';
import { isLabDocument, loadLab } from '../../core/labs/load.ts';
import type { Lab } from '../../core/labs/schema.ts';
import { exitWith } from '../cli/exit.ts';
import { TrainInputError } from '../engine/trainer.ts';
import { writeFileAtomic } from '../export/atomicWrite.ts';
import { writeTraceFiles } from '../export/writeTraceFiles.ts';
import { PdfExportError, writeChromiumPdf } from '../report/chromiumPdf.ts';
import { renderLabReport } from './labReport.ts';
import { runLab, type LabRunResult } from './runLab.ts';

/** A lab file that cannot be read or does not validate; the message names the field. */
export class LabFileError extends Error {}

export interface LabCommandOptions {
  out?: string;
  teacher?: boolean;
  /** Also write each preset's trace tables as Parquet. */
  parquet?: boolean;
  /** Also write report.pdf (the same report, printed by a local Chromium). */
  pdf?: boolean;
}

export const LAB_RESULTS_FORMAT = 'vglab-lab-results/1';

/** Reads and validates a lab file, or throws LabFileError with one line per problem, each naming its field. */
export function readLabFile(path: string): Lab {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new LabFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const loaded = loadLab(text);
  if (!loaded.ok) throw new LabFileError(`${path}: ${loaded.errors.map((x) => x.message).join(`\n${path}: `)}`);
  return loaded.lab;
}

/** Where the results go when no --out is given: `<dir>/<name>-run` for `<dir>/<name>.json`. */
export function defaultLabRunDir(labPath: string): string {
  const name = basename(labPath);
  const stem = name.toLowerCase().endsWith('.json') ? name.slice(0, -'.json'.length) : name;
  return join(dirname(labPath), `${stem}-run`);
}

/** checkpoints.json: the lab, how each preset's run ended, and every checkpoint result. */
export function labResultsJson(result: LabRunResult): string {
  const doc = {
    format: LAB_RESULTS_FORMAT,
    lab: result.lab.id,
    runs: result.runs.map((r) => ({
      preset: r.preset.id,
      label: r.label,
      steps: r.trained.result.steps,
      stopped: r.trained.result.stopped,
      ...(r.trained.result.divergence ? { divergence: r.trained.result.divergence } : {}),
      millis: Math.round(r.millis),
    })),
    checkpoints: result.checkpoints,
  };
  // NaN and infinities have no JSON form; a measurement that is not finite is written as null.
  return `${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1)}\n`;
}

/**
 * True when `path` holds a lab: JSON whose "format" starts with "vglab-lab/", or a
 * .json file that is not valid JSON at all (so the lab reader names the broken spot).
 */
export function isLabFile(path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  try {
    return isLabDocument(JSON.parse(text));
  } catch {
    return path.toLowerCase().endsWith('.json');
  }
}

/** Writes checkpoints.json, the traces of each preset and report.html into `out`; returns the summary object. */
export function writeLabResults(result: LabRunResult, out: string, options: { teacher?: boolean; parquet?: boolean } = {}): Record<string, unknown> {
  for (const r of result.runs) writeTraceFiles(join(out, r.preset.id), r.trained.traces, { parquet: options.parquet });
  writeFileAtomic(join(out, 'checkpoints.json'), labResultsJson(result));
  writeFileAtomic(join(out, 'report.html'), renderLabReport(result, { teacher: options.teacher }));
  const passed = result.checkpoints.filter((c) => c.passed).length;
  const unexpected = result.checkpoints.filter((c) => c.expected !== undefined && (c.expected === 'pass') !== c.passed).length;
  return {
    lab: result.lab.id,
    presets: result.runs.length,
    checkpoints: result.checkpoints.length,
    passed,
    failed: result.checkpoints.length - passed,
    unexpected,
    seconds: Number((result.millis / 1000).toFixed(2)),
    out,
  };
}

/** The body of `vglab run LAB.json`: exit 0 when the lab ran, 1 for an invalid lab, 2 for a bug. */
export async function runLabCommand(labPath: string, o: LabCommandOptions): Promise<void> {
  let code = 2;
  let failure: unknown;
  try {
    const lab = readLabFile(labPath);
    const out = o.out ?? defaultLabRunDir(labPath);
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    let result: LabRunResult;
    try {
      result = await runLab(lab, { signal: abort.signal });
    } finally {
      process.off('SIGINT', onSigint);
    }
    const summary = writeLabResults(result, out, { teacher: o.teacher, parquet: o.parquet });
    if (o.pdf) await writeChromiumPdf(readFileSync(join(out, 'report.html'), 'utf8'), join(out, 'report.pdf'));
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    code = 0;
  } catch (e) {
    failure = e;
  }
  exitWith(() => {
    if (failure) throw failure;
    return code;
  }, LabFileError, TrainInputError, DatasetError, PdfExportError);
}
