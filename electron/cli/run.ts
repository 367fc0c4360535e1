/**
 * `vglab run PROJECT.vglab`: trains a saved project headless with its own network,
 * data set and settings, and writes the traces (JSON and CSV) and an HTML report
 * (with --pdf the same report as PDF too, printed by a local Chromium).
 * `vglab run labs/LAB.json` runs a guided lab instead (electron/labs/labCli.ts).
 *
 * Output folder: --out, else `<project file name without .vglab>-run` beside the
 * project file (examples/lstm-adding.vglab -> examples/lstm-adding-run/). The file
 * name rather than the project's display name, which may hold any character.
 */
import { basename, dirname, join } from 'node:path';

import { makeDataset } from '../../core/datasets/catalog.ts';
import type { Dataset } from '../../core/datasets/dataset.ts';
import { DatasetError } from '../../core/datasets/generators.ts';
import { TableError } from '../../core/datasets/table.ts';
import { PROJECT_EXTENSION, type Project } from '../../core/project/schema.ts';
import { csvBytesDataset } from '../engine/csvDataset.ts';
import { prepareRun, TrainInputError } from '../engine/trainer.ts';
import { writeFileAtomic } from '../export/atomicWrite.ts';
import { openProject } from '../project/projectFile.ts';
import { PdfExportError, writeChromiumPdf } from '../report/chromiumPdf.ts';
import { renderRunReport } from '../report/htmlReport.ts';
import { exitWith } from './exit.ts';
import { writeTraceFiles } from '../export/writeTraceFiles.ts';
import { loadCsvDataset, reportRun, timeCapOption, trainWithProgress } from './headless.ts';
import { isLabFile, LabFileError, runLabCommand } from '../labs/labCli.ts';

export interface RunCommandOptions {
  steps?: string;
  out?: string;
  csv?: string;
  /** Minutes of training before the run stops between two steps (default: no cap). */
  timeCap?: string;
  /** Lab files only: put the answer key in the report. */
  teacher?: boolean;
  /** Also write the trace tables as Parquet. */
  parquet?: boolean;
  /** Also write report.pdf, printed by a local Chromium. */
  pdf?: boolean;
}

/** Where `vglab run` writes when no --out is given: `<dir>/<name>-run` for `<dir>/<name>.vglab`. */
export function defaultRunDir(projectPath: string): string {
  const name = basename(projectPath);
  const stem = name.toLowerCase().endsWith(PROJECT_EXTENSION) ? name.slice(0, -PROJECT_EXTENSION.length) : name;
  return join(dirname(projectPath), `${stem}-run`);
}

function wholeNumber(name: string, raw: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < 1) throw new TrainInputError(`--${name}: "${raw}" is not a whole number of 1 or more`);
  return v;
}

/**
 * The project's data set: generated when built in; an imported CSV from the text the
 * project embeds (--csv replaces it); a CSV the project only names, from --csv.
 */
function projectDataset(project: Project, csvPath: string | undefined): Dataset {
  const d = project.dataset;
  if (!('csv' in d)) {
    if (csvPath) throw new TrainInputError(`--csv: this project trains on the built-in "${d.name}" data set, not a CSV file`);
    return makeDataset(d.name, d.options);
  }
  const embedded = d.csv.sha256 !== undefined ? project.csvTexts?.[d.csv.sha256] : undefined;
  // A standardized CSV is scaled by the training rows of the run's split, as in the app.
  const heldOut = { testFraction: project.settings.test_fraction, seed: project.settings.seed };
  if (!csvPath && embedded !== undefined) return csvBytesDataset(new TextEncoder().encode(embedded), d.csv, d.csv.fileName, heldOut);
  if (!csvPath) {
    throw new TrainInputError(
      `this project trains on the CSV file "${d.csv.fileName}", which it does not embed; pass it with --csv FILE`,
    );
  }
  return loadCsvDataset(csvPath, d.csv, csvPath, heldOut);
}

/** `vglab run FILE`: a lab file (its "format" is vglab-lab/...) runs as a lab, anything else as a project. */
export async function runCommand(projectPath: string, o: RunCommandOptions): Promise<void> {
  if (isLabFile(projectPath)) {
    const misplaced = o.steps !== undefined ? '--steps' : o.csv !== undefined ? '--csv' : null;
    if (misplaced) {
      exitWith(() => {
        throw new LabFileError(`${misplaced} does not apply to a lab: each preset of the lab states its own settings and data set`);
      }, LabFileError);
      return;
    }
    if (o.timeCap !== undefined) {
      exitWith(() => {
        throw new LabFileError('--time-cap applies to a project; a lab file trains each of its presets in full');
      }, LabFileError);
      return;
    }
    await runLabCommand(projectPath, { out: o.out, teacher: o.teacher, parquet: o.parquet, pdf: o.pdf });
    return;
  }
  await runProjectCommand(projectPath, o);
}

async function runProjectCommand(projectPath: string, o: RunCommandOptions): Promise<void> {
  let code = 2;
  let failure: unknown;
  try {
    const opened = openProject(projectPath);
    if (!opened.ok) throw new TrainInputError(opened.error);
    const project = opened.project;
    const steps = o.steps !== undefined ? wholeNumber('steps', o.steps) : project.settings.steps;
    const timeCapMs = timeCapOption(o.timeCap);
    const dataset = projectDataset(project, o.csv);
    const run = prepareRun(project.network, { ...project.settings, steps }, dataset);

    const trained = await trainWithProgress(run, timeCapMs);
    const { result, traces } = trained;
    const out = o.out ?? defaultRunDir(projectPath);
    writeTraceFiles(out, traces, { parquet: o.parquet });
    const report = renderRunReport({
      projectName: project.name,
      network: run.spec,
      settings: run.settings,
      dataset: project.dataset,
      result,
      traces,
    });
    writeFileAtomic(join(out, 'report.html'), report);
    if (o.pdf) await writeChromiumPdf(report, join(out, 'report.pdf'));
    code = reportRun(trained, out);
  } catch (e) {
    failure = e;
  }
  exitWith(() => {
    if (failure) throw failure;
    return code;
  }, TrainInputError, DatasetError, TableError, PdfExportError);
}
