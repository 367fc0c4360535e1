// The LabApi: the ONE contract between the renderer and whatever serves it
// (Electron's main process over IPC, the browser-mode server over a WebSocket,
// the CLI in-process). Every method and every event stream is listed here once,
// with the zod schema of what a caller may send. LabService (electron/service)
// implements LAB_METHODS as a LabHandlers object, so adding a method here breaks
// the build until it exists there; the transports forward any method of this map
// and validate its params with the schema below before the service sees them.
//
// Results are typed but not validated: they come from our own service.
import { z } from 'zod';

import { LabError } from './labError.ts';
import type { LabEventName, LabMethodName } from './labMethods.ts';

import type { DatasetInfo } from '../datasets/catalog.ts';
import type { ColumnSummary } from '../datasets/columnSummary.ts';
import type { CheckpointResult } from '../labs/checkpoints.ts';
import type { Lab } from '../labs/schema.ts';
import type { NetworkError, NetworkPlan } from '../network/validate.ts';
import { networkSpecSchema } from '../network/spec.ts';
import {
  designerLayoutSchema,
  MAX_CSV_BYTES,
  projectDatasetSchema,
  type Project,
  type ProjectDataset,
  type RunStatus,
} from '../project/schema.ts';
import type { TraceChunk } from '../traces/chunk.ts';
import { flattenIssues, formatPath } from '../validation/issues.ts';
import type { EvaluationFigures } from '../traces/evaluation.ts';
import type { RecurrentLayout, TraceColumns } from '../traces/metrics.ts';
import { trainingSettingsSchema, type TrainingSettings } from '../training/settings.ts';

// The names and the errors live in zod-free modules of their own; they are part of this contract.
export { isLabEvent, isLabMethod, LAB_EVENT_NAMES, LAB_METHOD_NAMES } from './labMethods.ts';
export { fromLabErrorPayload, LAB_ERROR_CODES, LabError, toLabErrorPayload, type LabErrorCode, type LabErrorPayload } from './labError.ts';

// ---- shared value types ---------------------------------------------------------------

/** Where a run is in its life (the project file's RUN_STATUSES, one definition). */
export type RunState = RunStatus;

/** The trace layout of a run: which entities its columns hold, in column order. */
export interface RunLayout {
  nodeIds: string[];
  paramNames: string[];
  recurrent: RecurrentLayout[];
  parameterCount: number;
}

/** A run as the renderer lists it; its traces travel separately (runs.traces, run.traces events). */
export interface RunSummary {
  id: string;
  label: string;
  createdAt: string;
  state: RunState;
  /** Steps trained so far, and the steps the run is set to train. */
  stepsDone: number;
  steps: number;
  network: z.output<typeof networkSpecSchema>;
  dataset: ProjectDataset;
  settings: TrainingSettings;
  /** Known once the run has been compiled (first start). */
  layout?: RunLayout;
  /** The latest loss, when a step has run. */
  lastLoss?: number;
  /** The latest evaluation of the held-out test rows (settings.test_fraction > 0), when one has been made. */
  lastTest?: EvaluationFigures;
  /** Where training diverged, in the engine's words (state 'diverged'). */
  divergence?: string;
  /** Why the run failed (state 'failed'): a bad input, or the engine host crashing. */
  error?: string;
  /**
   * Why the lab stopped the run before its steps were done (state 'cancelled'): the
   * time cap, naming the cap and the last step. Absent when the student stopped it.
   */
  stopReason?: string;
  /** The lab preset the run was made from (labs.startPreset). */
  lab?: RunLabTag;
}

/** Which lab and which of its presets a run was made from. */
export interface RunLabTag {
  labId: string;
  presetId: string;
}

/** The open project as the renderer sees it: everything but the traces. */
export interface ProjectState {
  /** The project without its runs and without the texts of its imported CSV files (they stay in the lab). */
  project: Omit<Project, 'runs' | 'csvTexts'>;
  runs: RunSummary[];
  /** The file the project was opened from or saved to; null for a new, never saved project. */
  path: string | null;
  /** Changed since it was last opened or saved. */
  dirty: boolean;
  /** A project that was migrated from an older file version when opened. */
  migratedFrom?: number;
}

export interface DatasetSummary extends Pick<DatasetInfo, 'name' | 'label' | 'description' | 'task' | 'features' | 'sequence'> {
  /** The options with their defaults filled in. */
  defaults: Record<string, unknown>;
}

/** What the lab read from a CSV data set (datasets.importCsv, and the preview of a CSV set). */
export interface CsvFacts {
  fileName: string;
  /** Every column of the file: the features in file order, then the target. */
  columns: string[];
  targetName: string;
  /** Data rows of the file (the header not counted). */
  rows: number;
  task: 'classification' | 'regression';
  /** Classification: the class names, in the order of their indices; regression: none. */
  classNames: string[];
  /** UTF-8 bytes of the embedded text; absent for a file read from beside the project. */
  bytes?: number;
  /** Each feature's smallest, mean and largest value over every row (as trained: standardized when asked). */
  summary: ColumnSummary[];
  /** Classification: rows per class, by class index. */
  classCounts: number[];
}

/** An imported CSV file: the data set choice that trains on it (the project embeds its text) and what was read. */
export interface CsvImport {
  dataset: ProjectDataset;
  facts: CsvFacts;
}

/** Rows of a data set for a preview plot (at most the requested number). */
export interface DatasetPreview {
  name: string;
  task: 'classification' | 'regression';
  rows: number;
  totalRows: number;
  features: number;
  /** Timesteps per row for a sequence set. */
  steps?: number;
  classes: number;
  x: Float32Array;
  y: Float32Array;
  /** One name per feature (per timestep for a sequence set). */
  featureNames: string[];
  /** A CSV data set: what was read from the file. */
  csv?: CsvFacts;
}

export type NetworkCheck =
  | { ok: true; plan: NetworkPlan }
  | { ok: false; errors: NetworkError[] };

export interface ExampleProject {
  /** File name without the extension; what project.openExample takes. */
  id: string;
  name: string;
  description: string;
}

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
}

export interface RecoveryOffer {
  /** The project file the recovery belongs to (null: an untitled project). */
  path: string | null;
  recoveryPath: string;
  name: string;
  modifiedAt: string;
}

/** What is serving the lab: decides which controls the renderer shows (e.g. native dialogs). */
export interface AppInfo {
  mode: 'desktop' | 'browser' | 'headless';
  version: string;
  /** The SIMD instruction set the engine dispatched to. */
  isa: string;
  /** Native open/save dialogs exist (desktop only); browser mode uploads and downloads instead. */
  dialogs: boolean;
}

/** A lab the Labs view offers (labs.list). */
export interface LabListing {
  id: string;
  title: string;
  summary: string;
  /** Shipped with the app (labs/*.json), or opened from a file this session. */
  source: 'bundled' | 'file';
}

/**
 * One checkpoint on one preset (labs.checkpoints): the evaluator's result, the run
 * it read, and a verdict for a badge. 'not-yet': there is no finished run of the
 * preset (none, or it is still training), so the result is provisional.
 */
export interface LabCheckpointResult extends CheckpointResult {
  runId: string | null;
  verdict: 'passed' | 'failed' | 'not-yet';
}

export interface ExportResult {
  files: string[];
}

/** The two forms of a report: one self-contained web page, or that page printed to PDF. */
export const REPORT_FORMATS = ['html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report to download (browser mode): its file name and the page. */
export interface ReportHtmlFile {
  fileName: string;
  html: string;
}

/** A report printed to PDF, to download (browser mode): its file name and the PDF's bytes. */
export interface ReportPdfFile {
  fileName: string;
  pdf: Uint8Array;
}

/** A run's trace files as one zip archive, to download (browser mode): its file name and bytes. */
export interface TraceArchiveFile {
  fileName: string;
  zip: Uint8Array;
}

/** A run's network as a PyTorch module, to download (browser mode): its file name and the Python source. */
export interface PytorchSourceFile {
  fileName: string;
  text: string;
}

/** A trained network's outputs (runs.predict). */
export interface Prediction {
  /** (rows, outputs) row-major: the network's raw outputs (logits for a classifier). */
  output: Float32Array;
  /** Values per row (output features, times timesteps for a sequence output). */
  outputs: number;
}

/** Singular values of the input-output Jacobian, per sample (runs.jacobian). */
export interface JacobianSpectra {
  samples: number;
  /** (samples, k) of d output / d input, k = min(outputs, inputs); descending within each sample. */
  network: Float64Array;
  /** The same for each node's own Jacobian, by node id (input and add nodes absent). */
  nodes: Record<string, Float64Array>;
}

/**
 * A classifier's predictions over a grid of its two input features (runs.decisionBoundary).
 * Grid point i = iy * nx + ix lies at (xMin + ix * (xMax - xMin) / (nx - 1), yMin + iy * ...):
 * both ends included, the data's range widened by 10% on each side.
 */
export interface DecisionBoundary {
  grid: { xMin: number; xMax: number; yMin: number; yMax: number; nx: number; ny: number };
  /**
   * (nx * ny, classes) row-major. A softmax classifier: the softmax of its outputs,
   * each row summing to 1. A sigmoid (bce) output: one column, the probability of class 1.
   */
  probabilities: Float32Array;
  /** Columns of `probabilities`. */
  classes: number;
  /** The data set's rows (every k-th beyond ~2,000): x (rows, 2) row-major, y the class index of each. */
  points: { x: Float32Array; y: Float32Array; rows: number };
}

// ---- methods ----------------------------------------------------------------------------

const runId = z.string({ error: 'must be a run id (a string)' }).min(1, { error: 'must be a run id' });
const filePath = z.string({ error: 'must be a file path (a string)' }).min(1, { error: 'must be a file path' });
const none = z.strictObject({}, { error: 'takes no parameters: send {}' });
const labId = z.string({ error: 'must be an id (a string)' }).min(1, { error: 'must be an id' }).max(64, { error: 'must be at most 64 characters' });
/** The runs a project report shows, in this order; absent: every run with traces. */
const reportRunIds = z.array(runId).max(100, { error: 'at most 100 runs fit in one report' }).optional();
/** Trace exports: also each table as a .parquet file. */
const parquetFlag = z.boolean({ error: 'must be true or false' }).optional();
const reportFormat = z.enum(REPORT_FORMATS, { error: 'must be "html" or "pdf"' });
/** The longest answer to one lab question. */
export const MAX_ANSWER_CHARS = 20_000;

const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/** The most rows runs.predict takes at once, and the most values of x (64 MB of float32). */
export const MAX_PREDICT_ROWS = 1_000_000;
export const MAX_PREDICT_VALUES = 16 * 1024 * 1024;

/**
 * Network inputs: a Float32Array (IPC and the WebSocket codec carry typed arrays) or
 * a plain list of numbers (a JSON client), as a Float32Array of finite values.
 */
const networkInput = z
  .custom<Float32Array | number[]>((v) => v instanceof Float32Array || Array.isArray(v), {
    error: 'must be a Float32Array or a list of numbers',
  })
  .transform((v, ctx) => {
    if (v.length > MAX_PREDICT_VALUES) {
      ctx.issues.push({ code: 'custom', input: v, message: `holds ${v.length} values; at most ${MAX_PREDICT_VALUES} are taken at once` });
      return z.NEVER;
    }
    const x = v instanceof Float32Array ? v : Float32Array.from(v, Number);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) {
        ctx.issues.push({ code: 'custom', input: v, path: [i], message: `must be a finite number (got ${String(v[i])})` });
        return z.NEVER;
      }
    }
    return x;
  });

/** How a CSV file is read (the csv part of csvDatasetSchema, less the file's name and text). */
const csvChoiceShape = {
  target: z.string({ error: 'must be a column name' }).min(1, { error: 'must be a column name' }).optional(),
  standardize: z.boolean({ error: 'must be true or false' }).default(false),
  sequenceColumn: z.string({ error: 'must be a column name' }).min(1, { error: 'must be a column name' }).optional(),
};

/**
 * Every method: its params schema. The result type of each is in LabResults. Names
 * are "area.verb"; the transports send exactly these strings.
 */
export const LAB_METHODS = {
  'app.info': none,

  'datasets.list': none,
  'datasets.preview': z.strictObject({
    dataset: projectDatasetSchema,
    maxRows: z.number().int().min(1).max(100_000).default(1000),
  }),

  /**
   * Reads a CSV file's text (browser mode's upload) with the engine's parser and keeps
   * it with the open project; the result's data set trains on it once the project
   * takes it (project.update). The text may be at most MAX_CSV_BYTES (UTF-8).
   */
  'datasets.importCsv': z.strictObject({
    fileName: z.string({ error: 'must be a file name' }).min(1, { error: 'must be a file name' }).max(1000),
    // Room beyond the cap, so the service can say how large the file is.
    text: z.string({ error: 'must be the text of a CSV file' }).max(4 * MAX_CSV_BYTES),
    ...csvChoiceShape,
  }),
  /** Desktop: the native open dialog, then datasets.importCsv of the chosen file; null when the user cancels. */
  'datasets.importCsvDialog': z.strictObject({ ...csvChoiceShape }),

  'network.check': z.strictObject({ network: z.unknown() }),

  'project.get': none,
  'project.new': z.strictObject({ name: z.string().max(200).optional() }),
  'project.open': z.strictObject({ path: filePath }),
  /** Desktop: shows the native open dialog; null when the user cancels. */
  'project.openDialog': none,
  /** Opens a project from its text (browser mode's upload); it is then untitled. */
  'project.openText': z.strictObject({ text: z.string().max(512 * 1024 * 1024), fileName: z.string().max(1000) }),
  'project.examples': none,
  'project.openExample': z.strictObject({ id: z.string().min(1).max(200) }),
  'project.update': z.strictObject({
    name: z.string({ error: 'must be a string' }).max(200, { error: 'must be at most 200 characters' }).optional(),
    network: networkSpecSchema.optional(),
    dataset: projectDatasetSchema.optional(),
    settings: trainingSettingsSchema.optional(),
    description: z.string().max(10_000).optional(),
    designer: designerLayoutSchema.optional(),
  }),
  /** Saves to the project's path (an untitled project needs saveAs). */
  'project.save': none,
  'project.saveAs': z.strictObject({ path: filePath }),
  /** Desktop: native save dialog, then save; null when the user cancels. */
  'project.saveDialog': none,
  /**
   * The project file's text, for browser mode's download. `asSaved`: the download
   * is the student's Save, so the project counts as saved (no unsaved mark, no autosave).
   */
  'project.serialize': z.strictObject({ asSaved: z.boolean().default(false) }),
  'project.recent': none,
  /** Autosaves left by a session that ended without saving. */
  'project.recoveries': none,
  'project.recover': z.strictObject({ recoveryPath: filePath }),
  'project.discardRecovery': z.strictObject({ recoveryPath: filePath }),

  'runs.list': none,
  /** A new run from the project's network, data set and settings, each replaceable (for "duplicate with one change"). */
  'runs.create': z.strictObject({
    label: z.string().max(200).optional(),
    network: networkSpecSchema.optional(),
    dataset: projectDatasetSchema.optional(),
    settings: trainingSettingsSchema.optional(),
  }),
  'runs.start': z.strictObject({ runId }),
  'runs.pause': z.strictObject({ runId }),
  'runs.resume': z.strictObject({ runId }),
  /** Trains `steps` steps (default 1) of a created or paused run, then pauses. */
  'runs.step': z.strictObject({ runId, steps: z.number().int().min(1).max(1_000_000).default(1) }),
  'runs.stop': z.strictObject({ runId }),
  /** Starts again from fresh weights: the traces so far are dropped. */
  'runs.restart': z.strictObject({ runId }),
  'runs.delete': z.strictObject({ runId }),
  'runs.rename': z.strictObject({ runId, label: z.string().max(200) }),
  /** All traces of a run so far. */
  'runs.traces': z.strictObject({ runId }),
  /**
   * The run's network's outputs for `rows` rows of inputs, x (rows, input width)
   * row-major. A paused or finished run (a finished one keeps its weights); not while it trains.
   */
  'runs.predict': z.strictObject({
    runId,
    x: networkInput,
    rows: wholeNumber(1, MAX_PREDICT_ROWS),
  }),
  /** Jacobian singular values at `samples` rows of the run's own data set, spread evenly over it. */
  'runs.jacobian': z.strictObject({
    runId,
    samples: wholeNumber(1, 64).default(16),
  }),
  /** Class probabilities over a resolution x resolution grid of a 2-feature classification data set. */
  'runs.decisionBoundary': z.strictObject({
    runId,
    resolution: wholeNumber(10, 200).default(60),
  }),

  /** Trace files (traces.json, steps.csv, ...) into a folder; `parquet`: each table also as a .parquet file. */
  'export.traces': z.strictObject({ runId, dir: filePath, parquet: parquetFlag }),
  /** The same trace files as one zip archive, to download; inside, a folder named like the archive holds them. */
  'export.tracesArchive': z.strictObject({ runId, parquet: parquetFlag }),
  /** Desktop: the native save dialog, then that zip archive written to the chosen path; null when the user cancels. */
  'export.tracesDialog': z.strictObject({ runId, parquet: parquetFlag }),
  /**
   * The report of the project's runs written to `path`: a PDF when the path ends in
   * .pdf, else one self-contained HTML page. `runIds`: the runs to include, in that
   * order (default every run with traces).
   */
  'export.report': z.strictObject({ path: filePath, runIds: reportRunIds }),
  /** The report of the project's runs as an HTML page, to preview or download. */
  'export.reportHtml': z.strictObject({ runIds: reportRunIds }),
  /** The same report printed to PDF (the desktop's own printer, else a local Chromium; 'unsupported' without one). */
  'export.reportPdf': z.strictObject({ runIds: reportRunIds }),
  /** Desktop: the native save dialog, then export.report to the chosen path; null when the user cancels. */
  'export.reportDialog': z.strictObject({ runIds: reportRunIds, format: reportFormat }),
  /**
   * The run's network as a PyTorch module (one Python file) with the run's weights, bit
   * for bit. A finished or paused run; 'conflict' when it has no weights (not trained, training).
   */
  'export.pytorch': z.strictObject({ runId, path: filePath }),
  /** The same PyTorch module as text, to download. */
  'export.pytorchSource': z.strictObject({ runId }),
  /** Desktop: the native save dialog, then export.pytorch to the chosen path; null when the user cancels. */
  'export.pytorchDialog': z.strictObject({ runId }),

  /** The bundled labs and those opened this session. */
  'labs.list': none,
  'labs.open': z.strictObject({ id: labId }),
  /** A lab file's text (an upload, or a file the desktop read); it joins labs.list as 'file'. */
  'labs.openText': z.strictObject({ text: z.string().max(4 * 1024 * 1024), fileName: z.string().max(1000) }),
  /** A run of the preset (its network, data set and settings), tagged with the lab, started at once. */
  'labs.startPreset': z.strictObject({ labId, presetId: labId }),
  /** Every checkpoint on the latest run of each of its presets in the project. */
  'labs.checkpoints': z.strictObject({ labId }),
  /** The student's answers by question id; stored in the project (labProgress). */
  'labs.saveAnswers': z.strictObject({
    labId,
    answers: z.record(z.string().max(64), z.string().max(MAX_ANSWER_CHARS, { error: `must be at most ${MAX_ANSWER_CHARS} characters` })),
  }),
  /** The lab's report as one HTML page: checkpoints, runs, questions with the student's answers. */
  'labs.exportReport': z.strictObject({ labId, teacher: z.boolean().default(false) }),
  /** The lab's report printed to PDF, to download. */
  'labs.exportReportPdf': z.strictObject({ labId, teacher: z.boolean().default(false) }),
  /** The lab's report written to `path`: PDF when it ends in .pdf, else HTML. */
  'labs.saveReport': z.strictObject({ labId, teacher: z.boolean().default(false), path: filePath }),
  /** Desktop: the native save dialog, then labs.saveReport to the chosen path; null when the user cancels. */
  'labs.saveReportDialog': z.strictObject({ labId, teacher: z.boolean().default(false), format: reportFormat }),
} as const;

export type LabMethod = keyof typeof LAB_METHODS;
/** What a caller passes (defaults may be left out). */
export type LabParams<M extends LabMethod> = z.input<(typeof LAB_METHODS)[M]>;
/** What the service receives, after validation filled in the defaults. */
export type LabParsedParams<M extends LabMethod> = z.output<(typeof LAB_METHODS)[M]>;

export interface LabResults {
  'app.info': AppInfo;
  'datasets.list': DatasetSummary[];
  'datasets.preview': DatasetPreview;
  'datasets.importCsv': CsvImport;
  'datasets.importCsvDialog': CsvImport | null;
  'network.check': NetworkCheck;
  'project.get': ProjectState;
  'project.new': ProjectState;
  'project.open': ProjectState;
  'project.openDialog': ProjectState | null;
  'project.openText': ProjectState;
  'project.examples': ExampleProject[];
  'project.openExample': ProjectState;
  'project.update': ProjectState;
  'project.save': ProjectState;
  'project.saveAs': ProjectState;
  'project.saveDialog': ProjectState | null;
  'project.serialize': { fileName: string; text: string };
  'project.recent': RecentProject[];
  'project.recoveries': RecoveryOffer[];
  'project.recover': ProjectState;
  'project.discardRecovery': RecoveryOffer[];
  'runs.list': RunSummary[];
  'runs.create': RunSummary;
  'runs.start': RunSummary;
  'runs.pause': RunSummary;
  'runs.resume': RunSummary;
  'runs.step': RunSummary;
  'runs.stop': RunSummary;
  'runs.restart': RunSummary;
  'runs.delete': RunSummary[];
  'runs.rename': RunSummary;
  'runs.traces': { runId: string; stepsDone: number; traces: TraceColumns | null };
  'runs.predict': Prediction;
  'runs.jacobian': JacobianSpectra;
  'runs.decisionBoundary': DecisionBoundary;
  'export.traces': ExportResult;
  'export.tracesArchive': TraceArchiveFile;
  'export.tracesDialog': ExportResult | null;
  'export.report': ExportResult;
  'export.reportHtml': ReportHtmlFile;
  'export.reportPdf': ReportPdfFile;
  'export.reportDialog': ExportResult | null;
  'export.pytorch': ExportResult;
  'export.pytorchSource': PytorchSourceFile;
  'export.pytorchDialog': ExportResult | null;
  'labs.list': LabListing[];
  'labs.open': Lab;
  'labs.openText': Lab;
  'labs.startPreset': RunSummary;
  'labs.checkpoints': LabCheckpointResult[];
  'labs.saveAnswers': ProjectState;
  'labs.exportReport': ReportHtmlFile;
  'labs.exportReportPdf': ReportPdfFile;
  'labs.saveReport': ExportResult;
  'labs.saveReportDialog': ExportResult | null;
}

// A compile-time check that LabResults lists exactly the methods of LAB_METHODS.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
const resultsCoverMethods: SameKeys<typeof LAB_METHODS, LabResults> = true;
void resultsCoverMethods;

// The zod-free name lists (labMethods.ts, for the preload) name exactly these methods:
// a verb added to LAB_METHODS fails the build here until it is listed there too.
const namesCoverMethods: SameKeys<typeof LAB_METHODS, Record<LabMethodName, unknown>> = true;
void namesCoverMethods;

// ---- events -----------------------------------------------------------------------------

/** A menu or shortcut command the host forwards to the renderer (the desktop's native menu). */
export const APP_COMMANDS = [
  'new',
  'open',
  'save',
  'saveAs',
  'undo',
  'redo',
  'cut',
  'copy',
  'paste',
  'delete',
  'selectAll',
  'zoomIn',
  'zoomOut',
  'fitView',
  'autoLayout',
  'runStart',
  'runPause',
  'runStep',
  'runStop',
  'showHelp',
] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

/** Every event stream the service pushes, with its payload. */
export interface LabEvents {
  /** A run changed state, or trained more steps (at most ~30 a second per run). */
  'run.updated': RunSummary;
  /** New trace data of a run, merged so that a run sends at most ~30 of these a second. */
  'run.traces': { runId: string; stepsDone: number; chunk: TraceChunk };
  /** The run list changed (created, deleted). */
  'runs.changed': RunSummary[];
  /** The project changed: opened, edited, saved, renamed. */
  'project.changed': ProjectState;
  /** A native menu item or accelerator (desktop). */
  'app.command': { command: AppCommand };
}

export type LabEvent = keyof LabEvents;
// Likewise for the event streams.
const namesCoverEvents: SameKeys<LabEvents, Record<LabEventName, unknown>> = true;
void namesCoverEvents;

/** The most messages a second a run sends of each stream (run.traces, run.updated). */
export const MAX_RUN_MESSAGES_PER_SECOND = 30;

// ---- validating params at a boundary --------------------------------------------------------

/**
 * Validates a method's params at a boundary: the parsed params (defaults filled in)
 * or a LabError whose message names the method and the field.
 */
export function parseLabParams<M extends LabMethod>(method: M, params: unknown): LabParsedParams<M> {
  const parsed = LAB_METHODS[method].safeParse(params ?? {});
  if (parsed.success) return parsed.data as LabParsedParams<M>;
  const lines = flattenIssues(parsed.error.issues).map((i) => {
    const field = formatPath(i.path);
    const message = i.keys ? `unknown field ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message;
    return field ? `${field}: ${message}` : message;
  });
  throw new LabError('invalid-input', `${method}: ${lines.join('; ')}`);
}

// ---- the shapes every host implements and every client calls -----------------------------

/** What LabService implements: one handler per method, params already validated. */
export type LabHandlers = {
  [M in LabMethod]: (params: LabParsedParams<M>) => Promise<LabResults[M]>;
};

export type LabEventListener = <E extends LabEvent>(event: E, payload: LabEvents[E]) => void;

/** What the renderer holds: the same for IPC, WebSocket and in-process. */
export interface LabClient {
  invoke<M extends LabMethod>(method: M, params: LabParams<M>): Promise<LabResults[M]>;
  /** Subscribes to one event stream; returns the unsubscribe function. */
  on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void;
}
