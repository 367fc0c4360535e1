/**
 * LabService: the lab itself, in plain Node. One implementation of every LabApi
 * method (core/api/labApi.ts), shared by the desktop app (behind the IPC adapter),
 * browser mode (behind the local server) and the CLI. Training runs live in engine
 * host processes (RunManager + electron/engineHost), so a native crash costs a run,
 * never this process or the unsaved project.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import {
  LabError,
  parseLabParams,
  type AppInfo,
  type CsvImport,
  type ExportResult,
  type LabEvent,
  type LabEventListener,
  type LabEvents,
  type LabHandlers,
  type LabMethod,
  type LabResults,
  type ProjectState,
  type ReportFormat,
} from '../../core/api/labApi.ts';
import { DATASETS, DATASET_NAMES, datasetOptions, makeDataset } from '../../core/datasets/catalog.ts';
import { decodeCsvBytes } from '../../core/datasets/csvBytes.ts';
import { csvSizeProblem } from '../../core/datasets/csvSize.ts';
import { DatasetError } from '../../core/datasets/generators.ts';
import { PytorchExportError, datasetNotes, pytorchSource } from '../../core/export/pytorch.ts';
import { pytorchFileName } from '../../core/export/pytorchFileName.ts';
import { findPreset, presetLabel, resolveNetwork } from '../../core/labs/presets.ts';
import { parseProject } from '../../core/project/migrate.ts';
import { PROJECT_EXTENSION, type Project } from '../../core/project/schema.ts';
import { validateNetwork } from '../../core/network/validate.ts';
import { DEFAULT_TIME_CAP_MINUTES } from '../../core/training/timeCap.ts';
import { loadAddon } from '../engine/addon.ts';
import type { CsvChoice } from '../engine/csvDataset.ts';
import { writeFileAtomic } from '../export/atomicWrite.ts';
import { traceArchive } from '../export/traceArchive.ts';
import { writeTraceFiles } from '../export/writeTraceFiles.ts';
import { openProject } from '../project/projectFile.ts';
import type { PrintPdf } from '../report/chromiumPdf.ts';
import { renderProjectReport } from '../report/htmlReport.ts';
import { ReportFiles, reportRunOf, type ReportDocument } from '../report/reportFiles.ts';
import { csvPreview, readCsvImport } from './csvImport.ts';
import { csvSourceOf, type CsvChoiceOf, type CsvSource } from './csvSource.ts';
import { datasetPreview } from './datasetPreview.ts';
import { DEFAULT_EXAMPLES_DIR, listExamples, loadExample } from './examples.ts';
import { LabCatalog } from './labsCatalog.ts';
import { labCheckpoints, labReportHtml, sameStoredResults, storedCheckpointResults } from './labsProgress.ts';
import { EngineRun } from '../engineHost/engineRun.ts';
import type { HostLauncher } from '../engineHost/launcher.ts';
import { NodeHostLauncher } from '../engineHost/nodeLauncher.ts';
import type { LabBackend } from './labBackend.ts';
import { blankProject, ProjectSession, type ProjectContent } from './projectSession.ts';
import { RecentProjects } from './recentProjects.ts';
import { RunManager, type EngineRunFactory } from './runManager.ts';

/** Native open and save dialogs; only the desktop app has them. */
export interface LabDialogs {
  openProject(): Promise<string | null>;
  saveProject(defaultName: string): Promise<string | null>;
  /** Where to export a report (export.reportDialog, labs.saveReportDialog). */
  saveReport?(defaultName: string, format: ReportFormat): Promise<string | null>;
  /** A CSV file to import (datasets.importCsvDialog). */
  openCsv?(): Promise<string | null>;
  /** Where to save a run's export (export.tracesDialog: a .zip; export.pytorchDialog: a .py file). */
  saveExport?(defaultName: string, kind: ExportFileKind): Promise<string | null>;
}

/** What a run export saves as one file: the zip of its traces, or its PyTorch module. */
export type ExportFileKind = 'zip' | 'python';

export interface LabServiceOptions {
  mode: AppInfo['mode'];
  /** The app's own folder: the recent list and the autosaves of untitled projects. */
  dataDir: string;
  /** Starts each run's engine; default an EngineRun in a host process started by `launcher`. */
  engine?: EngineRunFactory;
  /** How engine host processes start (Electron's utilityProcess in the app; forked Node processes by default). */
  launcher?: HostLauncher;
  dialogs?: LabDialogs;
  /** Prints a report page to PDF: the desktop app's hidden window; default a local Chromium. */
  printPdf?: PrintPdf;
  examplesDir?: string;
  /** Where the bundled labs are (default labs/ beside the app's files). */
  labsDir?: string;
  /** How often unsaved changes are autosaved (ms); 0 turns autosave off. */
  autosaveMs?: number;
  memoryCapBytes?: number;
  /**
   * How long a run may train (ms; time standing paused does not count) before it is
   * stopped between two steps, keeping its traces and weights; 0: no cap. Default
   * DEFAULT_TIME_CAP_MINUTES.
   */
  timeCapMs?: number;
  /** How long a finished run's query host waits for another question before it ends (ms; default 30 s). */
  queryHostIdleMs?: number;
  version?: string;
}

export const DEFAULT_AUTOSAVE_MS = 15_000;

export class LabService implements LabBackend {
  private readonly listeners = new Set<LabEventListener>();
  private readonly session: ProjectSession;
  private readonly runs: RunManager;
  private readonly recent: RecentProjects;
  private readonly examplesDir: string;
  private readonly labs: LabCatalog;
  private readonly reports: ReportFiles;
  private readonly autosaveTimer: ReturnType<typeof setInterval> | null;
  private disposed = false;

  constructor(private readonly options: LabServiceOptions) {
    const recoveryDir = join(options.dataDir, 'recovery');
    mkdirSync(recoveryDir, { recursive: true });
    ProjectSession.sweep([recoveryDir, options.dataDir]);
    this.session = new ProjectSession(recoveryDir);
    this.recent = new RecentProjects(join(options.dataDir, 'recent.json'));
    this.examplesDir = options.examplesDir ?? DEFAULT_EXAMPLES_DIR;
    this.labs = new LabCatalog(options.labsDir);
    this.reports = new ReportFiles(options.printPdf);
    const launcher = options.launcher ?? new NodeHostLauncher();
    this.runs = new RunManager(
      options.engine ?? ((job, events) => new EngineRun(launcher, job, events)),
      (event, payload) => this.emit(event, payload),
      () => this.markDirty(),
      {
        memoryCapBytes: options.memoryCapBytes,
        timeCapMs: options.timeCapMs ?? DEFAULT_TIME_CAP_MINUTES * 60_000,
        queryHostIdleMs: options.queryHostIdleMs,
      },
    );
    this.runs.embeddedCsv = (sha256) => this.session.csvText(sha256);
    const every = options.autosaveMs ?? DEFAULT_AUTOSAVE_MS;
    this.autosaveTimer = every > 0 ? setInterval(() => this.autosaveNow(), every) : null;
    this.autosaveTimer?.unref();
  }

  // ---- LabBackend ---------------------------------------------------------------------------

  async dispatch<M extends LabMethod>(method: M, params: unknown): Promise<LabResults[M]> {
    if (this.disposed) throw new LabError('conflict', 'the lab is shutting down');
    const parsed = parseLabParams(method, params);
    const handler = this.handlers[method] as (p: typeof parsed) => Promise<LabResults[M]>;
    try {
      return await handler(parsed);
    } catch (e) {
      throw asLabError(e);
    }
  }

  subscribe(listener: LabEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Pushes an event to every listener (also used by the desktop menu for 'app.command'). */
  emit<E extends LabEvent>(event: E, payload: LabEvents[E]): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        // One broken listener (a closed socket) must not starve the others.
      }
    }
  }

  /** Writes the autosave now when there are unsaved changes (also on a clean quit that was not saved). */
  autosaveNow(): boolean {
    try {
      return this.session.autosave(this.runs.toProjectRuns());
    } catch {
      // An invalid intermediate state or a full disk: the next tick tries again; the open project is untouched.
      return false;
    }
  }

  /**
   * The student chose to drop the unsaved changes (Don't Save on closing): the
   * project counts as clean and its autosave goes, so no recovery is offered later.
   */
  discardUnsavedChanges(): void {
    this.session.discardAutosave();
    this.session.dirty = false;
  }

  /** Whether closing now would lose changes. */
  get dirty(): boolean {
    return this.session.dirty;
  }

  /** Ends every engine host and stops autosaving; the autosave stays for recovery if the project was unsaved. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.autosaveTimer) clearInterval(this.autosaveTimer);
    this.autosaveNow();
    this.runs.haltAll();
    this.listeners.clear();
  }

  // ---- state --------------------------------------------------------------------------------

  private markDirty(): void {
    if (this.session.dirty) return;
    this.session.dirty = true;
    this.emit('project.changed', this.state());
  }

  private state(): ProjectState {
    // The CSV texts stay here: they can be megabytes, and this goes out on every edit.
    const { csvTexts: _texts, ...project } = this.session.content;
    return {
      project,
      runs: this.runs.list(),
      path: this.session.path,
      dirty: this.session.dirty,
      ...(this.session.migratedFrom !== undefined ? { migratedFrom: this.session.migratedFrom } : {}),
    };
  }

  private changed(): ProjectState {
    const s = this.state();
    this.emit('project.changed', s);
    return s;
  }

  private runDefaults() {
    const c = this.session.content;
    return {
      network: c.network,
      dataset: c.dataset,
      settings: c.settings,
      folder: this.session.path ? dirname(this.session.path) : null,
    };
  }

  /** Makes `project` the open one (runs included). */
  private adopt(project: Project, path: string | null, options: { dirty?: boolean; migratedFrom?: number } = {}): ProjectState {
    const { runs, ...content } = project;
    const folder = path === null ? null : dirname(path);
    this.runs.load(runs, { network: content.network, dataset: content.dataset, settings: content.settings, folder });
    this.session.replace(content, path, options);
    if (path !== null && !options.dirty) this.recent.touch(path, content.name);
    return this.changed();
  }

  private openPath(path: string): ProjectState {
    const abs = resolve(path);
    const opened = openProject(abs);
    if (!opened.ok) {
      throw new LabError(opened.reason === 'missing' ? 'not-found' : opened.reason === 'unreadable' ? 'io' : 'invalid-input', opened.error);
    }
    try {
      return this.adopt(opened.project, abs, opened.migratedFrom !== undefined ? { migratedFrom: opened.migratedFrom } : {});
    } catch (e) {
      // Damage found while decoding the runs: name the file, as every other refusal does.
      if (e instanceof LabError && e.code === 'invalid-input') throw new LabError(e.code, `${abs}: ${e.message}`);
      throw e;
    }
  }

  private async saveTo(path: string): Promise<ProjectState> {
    const abs = resolve(path.toLowerCase().endsWith(PROJECT_EXTENSION) ? path : `${path}${PROJECT_EXTENSION}`);
    await this.runs.fetchPausedWeights();
    this.session.save(this.runs.toProjectRuns(), abs);
    this.recent.touch(abs, this.session.content.name);
    return this.changed();
  }

  // ---- the methods --------------------------------------------------------------------------

  private readonly handlers: LabHandlers = {
    'app.info': async () => ({
      mode: this.options.mode,
      version: this.options.version ?? '0.1.0',
      isa: loadAddon().isa(),
      dialogs: this.options.dialogs !== undefined,
    }),

    'datasets.list': async () =>
      DATASET_NAMES.map((name) => {
        const d = DATASETS[name];
        return {
          name: d.name,
          label: d.label,
          description: d.description,
          task: d.task,
          features: d.features,
          sequence: d.sequence,
          defaults: datasetOptions(name),
        };
      }),

    'datasets.preview': async ({ dataset, maxRows }) => {
      if ('csv' in dataset) return csvPreview(dataset.csv, this.csvSource(dataset.csv), maxRows);
      return datasetPreview(makeDataset(dataset.name, dataset.options), maxRows);
    },

    'datasets.importCsv': async ({ fileName, text, ...choice }) => this.importCsv(fileName, text, choice),

    'datasets.importCsvDialog': async (choice) => {
      const dialogs = this.needDialogs();
      if (!dialogs.openCsv) throw new LabError('unsupported', 'this app has no dialog to open a CSV file: drop the file on the Data view');
      const path = await dialogs.openCsv();
      return path === null ? null : this.importCsv(basename(path), readCsvFile(path), choice);
    },

    'network.check': async ({ network }) => {
      const v = validateNetwork(network);
      return v.ok ? { ok: true, plan: v.plan } : { ok: false, errors: v.errors };
    },

    'project.get': async () => this.state(),

    'project.new': async ({ name }) => {
      const { ...content }: ProjectContent = blankProject(name ?? 'Untitled');
      return this.adopt({ ...content, runs: [] }, null);
    },

    'project.open': async ({ path }) => this.openPath(path),

    'project.openDialog': async () => {
      const dialogs = this.needDialogs();
      const path = await dialogs.openProject();
      return path === null ? null : this.openPath(path);
    },

    'project.openText': async ({ text, fileName }) => {
      const parsed = parseProject(text);
      if (!parsed.ok) throw new LabError('invalid-input', `${fileName}: ${parsed.error}`);
      // An upload has no path here: it opens untitled, saved again by download.
      try {
        return this.adopt(parsed.project, null, parsed.migratedFrom !== undefined ? { migratedFrom: parsed.migratedFrom } : {});
      } catch (e) {
        if (e instanceof LabError && e.code === 'invalid-input') throw new LabError(e.code, `${fileName}: ${e.message}`);
        throw e;
      }
    },

    'project.examples': async () => listExamples(this.examplesDir),

    'project.openExample': async ({ id }) => {
      // An example opens as a new, untitled copy: saving must never write into the app's examples.
      const project = loadExample(this.examplesDir, id);
      const now = new Date().toISOString();
      return this.adopt({ ...project, createdAt: now, savedAt: now }, null);
    },

    'project.update': async (patch) => {
      if (patch.dataset && !('csv' in patch.dataset)) {
        // Check the options now, so the field is named here rather than when a run starts.
        datasetOptions(patch.dataset.name, patch.dataset.options);
      }
      if (patch.dataset && 'csv' in patch.dataset && patch.dataset.csv.sha256 !== undefined) {
        // An embedded data set must name a text this lab holds, or the project could not be saved.
        this.csvSource(patch.dataset.csv);
      }
      this.session.update(patch);
      return this.changed();
    },

    'project.save': async () => {
      if (this.session.path === null) {
        throw new LabError('conflict', 'this project has not been saved yet: choose where with Save As');
      }
      return this.saveTo(this.session.path);
    },

    'project.saveAs': async ({ path }) => this.saveTo(path),

    'project.saveDialog': async () => {
      const dialogs = this.needDialogs();
      const path = await dialogs.saveProject(`${this.session.content.name || 'Untitled'}${PROJECT_EXTENSION}`);
      return path === null ? null : this.saveTo(path);
    },

    'project.serialize': async ({ asSaved }) => {
      await this.runs.fetchPausedWeights();
      const file = {
        fileName: `${safeFileName(this.session.content.name)}${PROJECT_EXTENSION}`,
        text: this.session.serialize(this.runs.toProjectRuns()),
      };
      if (asSaved && this.session.dirty) {
        this.discardUnsavedChanges();
        this.changed();
      }
      return file;
    },

    'project.recent': async () => this.recent.list(),

    'project.recoveries': async () => this.session.recoveries(this.recent.list().map((r) => r.path)),

    'project.recover': async ({ recoveryPath }) => {
      const offers = this.session.recoveries(this.recent.list().map((r) => r.path));
      const { project, path } = ProjectSession.readRecoveryFile(recoveryPath, offers);
      const state = this.adopt(project, path, { dirty: true });
      this.session.adoptRecovery(recoveryPath, path);
      return state;
    },

    'project.discardRecovery': async ({ recoveryPath }) => {
      const offers = this.session.recoveries(this.recent.list().map((r) => r.path));
      if (!offers.some((o) => o.recoveryPath === recoveryPath)) {
        throw new LabError('not-found', `there is no recovered project at ${recoveryPath}`);
      }
      ProjectSession.discardFile(recoveryPath);
      return this.session.recoveries(this.recent.list().map((r) => r.path));
    },

    'runs.list': async () => this.runs.list(),
    'runs.create': async (o) => this.runs.create(this.runDefaults(), o),
    'runs.start': async ({ runId }) => this.runs.start(runId),
    'runs.pause': async ({ runId }) => this.runs.pause(runId),
    'runs.resume': async ({ runId }) => this.runs.resume(runId),
    'runs.step': async ({ runId, steps }) => this.runs.step(runId, steps),
    'runs.stop': async ({ runId }) => this.runs.stop(runId),
    'runs.restart': async ({ runId }) => this.runs.restart(runId),
    'runs.delete': async ({ runId }) => this.runs.delete(runId),
    'runs.rename': async ({ runId, label }) => this.runs.rename(runId, label),
    'runs.traces': async ({ runId }) => ({
      runId,
      stepsDone: this.runs.summary(runId).stepsDone,
      traces: this.runs.traces(runId),
    }),
    'runs.predict': async ({ runId, x, rows }) => this.runs.predict(runId, x, rows),
    'runs.jacobian': async ({ runId, samples }) => this.runs.jacobian(runId, samples),
    'runs.decisionBoundary': async ({ runId, resolution }) => this.runs.decisionBoundary(runId, resolution),

    'export.traces': async ({ runId, dir, parquet }) => {
      const traces = this.tracesToExport(runId);
      try {
        return { files: writeTraceFiles(resolve(dir), traces, { parquet }) };
      } catch (e) {
        throw new LabError('io', `could not write the trace files into ${dir}: ${(e as Error).message}`);
      }
    },
    'export.tracesArchive': async ({ runId, parquet }) => this.traceArchive(runId, parquet),
    'export.tracesDialog': async ({ runId, parquet }) => {
      // Built before asking where: a run with nothing to export is refused without a dialog.
      const archive = this.traceArchive(runId, parquet);
      return this.saveExportDialog(archive.fileName, 'zip', archive.zip);
    },

    'export.report': async ({ path, runIds }) => this.reports.save(this.projectReport(runIds), path),
    'export.reportHtml': async ({ runIds }) => this.reports.html(this.projectReport(runIds)),
    'export.reportPdf': async ({ runIds }) => this.reports.pdf(this.projectReport(runIds)),
    'export.reportDialog': async ({ runIds, format }) => this.saveReportDialog(this.projectReport(runIds), format),

    'export.pytorch': async ({ runId, path }) => writeExport(path, (await this.pytorchFile(runId)).text),
    'export.pytorchSource': async ({ runId }) => this.pytorchFile(runId),
    'export.pytorchDialog': async ({ runId }) => {
      const file = await this.pytorchFile(runId);
      return this.saveExportDialog(file.fileName, 'python', file.text);
    },

    'labs.list': async () => this.labs.list(),
    'labs.open': async ({ id }) => this.labs.get(id),
    'labs.openText': async ({ text, fileName }) => this.labs.openText(text, fileName),

    'labs.startPreset': async ({ labId, presetId }) => {
      const lab = this.labs.get(labId);
      const preset = findPreset(lab, presetId);
      if (!preset) throw new LabError('not-found', `lab "${labId}" has no preset "${presetId}"`);
      const network = resolveNetwork(preset.network, preset.settings);
      if (!network.ok) throw new LabError('invalid-input', `preset "${presetId}": ${network.errors.map((e) => e.message).join('; ')}`);
      const run = this.runs.create(this.runDefaults(), {
        label: presetLabel(preset),
        network: network.spec,
        dataset: preset.dataset,
        settings: preset.settings,
        lab: { labId, presetId },
      });
      return this.runs.start(run.id);
    },

    'labs.checkpoints': async ({ labId }) => {
      const lab = this.labs.get(labId);
      const results = labCheckpoints(lab, this.runs.list(), (id) => this.runs.traces(id));
      // Verdicts on finished runs are kept with the project, so a reopened project shows them before anything is
      // measured again. Looking at results is not an edit: they wait in memory for the next save, and the project
      // stays as clean or as unsaved as it was (a new run that changed them has already made it unsaved).
      const stored = storedCheckpointResults(results);
      const before = this.session.content.labProgress?.[labId]?.checkpointResults;
      if (stored.length > 0 && !sameStoredResults(before, stored)) this.recordLabProgress(labId, { checkpointResults: stored });
      return results;
    },

    'labs.saveAnswers': async ({ labId, answers }) => {
      const lab = this.labs.get(labId);
      const known = new Set(lab.questions.map((q) => q.id));
      const unknown = Object.keys(answers).filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new LabError('invalid-input', `labs.saveAnswers: answers: lab "${labId}" has no question ${unknown.map((id) => `"${id}"`).join(', ')}`);
      }
      this.saveLabProgress(labId, { answers: { ...answers } });
      return this.changed();
    },

    'labs.exportReport': async ({ labId, teacher }) => this.reports.html(this.labReport(labId, teacher)),
    'labs.exportReportPdf': async ({ labId, teacher }) => this.reports.pdf(this.labReport(labId, teacher)),
    'labs.saveReport': async ({ labId, teacher, path }) => this.reports.save(this.labReport(labId, teacher), path),
    'labs.saveReportDialog': async ({ labId, teacher, format }) => this.saveReportDialog(this.labReport(labId, teacher), format),
  };

  /** Records a lab's answers in the project (labProgress); the project becomes dirty. */
  private saveLabProgress(labId: string, patch: { answers: Record<string, string> }): void {
    this.recordLabProgress(labId, patch);
    this.session.dirty = true;
  }

  /** Writes a lab's answers and/or checkpoint verdicts into the project's labProgress, leaving its dirty flag alone. */
  private recordLabProgress(labId: string, patch: { answers?: Record<string, string>; checkpointResults?: ReturnType<typeof storedCheckpointResults> }): void {
    const all = this.session.content.labProgress ?? {};
    const before = all[labId];
    const next = {
      answers: patch.answers ?? before?.answers ?? {},
      ...((patch.checkpointResults ?? before?.checkpointResults) ? { checkpointResults: patch.checkpointResults ?? before!.checkpointResults } : {}),
      updatedAt: new Date().toISOString(),
    };
    this.session.content = { ...this.session.content, labProgress: { ...all, [labId]: next } };
  }

  /** Where a CSV data set of the open project comes from (its embedded text, or its file beside the project). */
  private csvSource(csv: CsvChoiceOf): CsvSource {
    return csvSourceOf(csv, this.session.path ? dirname(this.session.path) : null, (sha256) => this.session.csvText(sha256));
  }

  /** Reads a CSV file's text and keeps it with the project (which embeds it once a data set names it). */
  private importCsv(fileName: string, text: string, choice: CsvChoice): CsvImport {
    const read = readCsvImport(fileName, text, choice);
    this.session.embedCsv(read.sha256, read.text);
    return read.result;
  }

  /** The report of the runs `runIds` (in that order; each must have traces), or of every run with traces. */
  private projectReport(runIds: readonly string[] | undefined): ReportDocument {
    const ids = runIds ?? this.runs.list().map((r) => r.id).filter((id) => this.runs.traces(id) !== null);
    if (ids.length === 0) {
      throw new LabError(runIds ? 'invalid-input' : 'conflict', runIds ? 'runIds: pick at least one run for the report' : 'no run has traces yet: train one first');
    }
    const runs = ids.map((id) => {
      const run = this.runs.summary(id); // LabError('not-found') for an unknown id
      const traces = this.runs.traces(id);
      if (!traces) throw new LabError('conflict', `run "${run.label}" has no traces yet: train it first, or leave it out of the report`);
      return reportRunOf(run, traces);
    });
    const name = this.session.content.name || 'Untitled';
    return { baseName: `${safeFileName(name)} report`, html: renderProjectReport({ projectName: name, runs }) };
  }

  /** A lab's report: each preset's latest run, the checkpoints, the student's answers (and the keys for a teacher). */
  private labReport(labId: string, teacher: boolean): ReportDocument {
    const lab = this.labs.get(labId);
    const answers = this.session.content.labProgress?.[labId]?.answers ?? {};
    const html = labReportHtml(lab, this.runs.list(), (id) => this.runs.traces(id), answers, teacher);
    return { baseName: safeFileName(`${lab.id}-report${teacher ? '-teacher' : ''}`), html };
  }

  /** Desktop: asks where, then writes the report there; null when the student cancels. */
  private async saveReportDialog(doc: ReportDocument, format: ReportFormat) {
    const dialogs = this.needDialogs();
    if (!dialogs.saveReport) throw new LabError('unsupported', 'this app has no dialog to save a report; export it as a download instead');
    const path = await dialogs.saveReport(`${doc.baseName}.${format}`, format);
    return path === null ? null : this.reports.save(doc, path);
  }

  /** A run's traces, or 'conflict' when it has not trained a step. */
  private tracesToExport(runId: string) {
    const traces = this.runs.traces(runId);
    if (!traces) throw new LabError('conflict', `run "${this.runs.summary(runId).label}" has no traces yet: train it first`);
    return traces;
  }

  private traceArchive(runId: string, parquet: boolean | undefined) {
    const traces = this.tracesToExport(runId);
    return traceArchive(safeFileName(this.runs.summary(runId).label), traces, { parquet });
  }

  /** The run's network as a PyTorch module with its weights; 'conflict' when it has none (untrained, training). */
  private async pytorchFile(runId: string) {
    const run = this.runs.summary(runId);
    const weights = await this.runs.weights(runId);
    try {
      const title = `${this.session.content.name}: ${run.label}`;
      const text = pytorchSource(run.network, weights, { title, settings: run.settings, notes: datasetNotes(run.dataset) });
      return { fileName: pytorchFileName(run.label), text };
    } catch (e) {
      if (e instanceof PytorchExportError) throw new LabError('internal', `run "${run.label}": ${e.message}`);
      throw e;
    }
  }

  /** Desktop: asks where to save a run's export, then writes it there; null when the student cancels. */
  private async saveExportDialog(defaultName: string, kind: ExportFileKind, data: string | Uint8Array) {
    const dialogs = this.needDialogs();
    if (!dialogs.saveExport) throw new LabError('unsupported', 'this app has no dialog to save an export; download it instead');
    const path = await dialogs.saveExport(defaultName, kind);
    return path === null ? null : writeExport(path, data);
  }

  private needDialogs(): LabDialogs {
    if (!this.options.dialogs) throw new LabError('unsupported', 'file dialogs exist only in the desktop app');
    return this.options.dialogs;
  }
}

/** A project name as a file name: characters file systems refuse become "-". */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').trim().slice(0, 100);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'project' : cleaned;
}

/** Writes one exported file atomically; a failure is an 'io' LabError that names the path. */
function writeExport(path: string, data: string | Uint8Array): ExportResult {
  const abs = resolve(path);
  try {
    writeFileAtomic(abs, data);
  } catch (e) {
    throw new LabError('io', `could not write ${path}: ${(e as Error).message}`);
  }
  return { files: [abs] };
}

/** A CSV file the desktop dialog chose, as text; its size is checked before it is read. */
function readCsvFile(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new LabError('not-found', `cannot open ${path}: ${(e as Error).message}`);
  }
  const tooLarge = csvSizeProblem(basename(path), size);
  if (tooLarge) throw new LabError('invalid-input', tooLarge);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new LabError('io', `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return decodeCsvBytes(basename(path), bytes);
  } catch (e) {
    throw new LabError('invalid-input', (e as Error).message);
  }
}

/** Errors from the data set generators and the engine keep their words; anything else is a bug. */
function asLabError(e: unknown): LabError {
  if (e instanceof LabError) return e;
  if (e instanceof DatasetError) return new LabError('invalid-input', e.message);
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'VGLAB_INVALID_INPUT') return new LabError('invalid-input', (e as Error).message);
  return new LabError('internal', e instanceof Error ? e.message : String(e));
}
