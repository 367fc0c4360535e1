/**
 * The runs of the open project: their summaries, their traces (gathered from the
 * streamed chunks), the engine run behind each live one, and the weights of each
 * finished one. Every change is announced through `emit`; trace chunks pass
 * straight through (the engine run has already merged them to at most
 * MAX_RUN_MESSAGES_PER_SECOND), and progress updates of a run are throttled to the
 * same rate. Questions to a run's network (predict, jacobian, decision boundary)
 * go to its own host while it is paused, and to a query host (queryHosts.ts)
 * loaded with its kept weights once it has finished.
 */
import { randomUUID } from 'node:crypto';

import {
  LabError,
  MAX_RUN_MESSAGES_PER_SECOND,
  type DecisionBoundary,
  type JacobianSpectra,
  type LabEvents,
  type Prediction,
  type RunLabTag,
  type RunLayout,
  type RunState,
  type RunSummary,
} from '../../core/api/labApi.ts';
import type { Dataset } from '../../core/datasets/dataset.ts';
import { decodeTraces, encodeTraces, TraceCodecError } from '../../core/project/traceCodec.ts';
import type { ProjectDataset, ProjectRun } from '../../core/project/schema.ts';
import type { NetworkSpec } from '../../core/network/spec.ts';
import { TraceAccumulator } from '../../core/traces/accumulator.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import { lastEvaluation } from '../../core/traces/evaluation.ts';
import type { TraceColumns } from '../../core/traces/metrics.ts';
import type { TrainingSettings } from '../../core/training/settings.ts';
import { timeCapMessage } from '../../core/training/timeCap.ts';
import { buildJobDataset } from '../engineHost/jobDataset.ts';
import { QueryHosts } from './queryHosts.ts';
import {
  checkBoundaryData,
  checkPredictInput,
  decisionBoundary,
  jacobianOnData,
  predictRows,
  type NetworkQueries,
} from './runQueries.ts';
import { csvSourceOf, type CsvSource } from './csvSource.ts';
import { copyWeights, decodeWeights, encodeWeights, type Weights } from './runWeights.ts';
import { TrainingClock } from './trainingClock.ts';

// ---- what the run manager needs of an engine run (electron/engineHost/engineRun.ts) ----------

export interface EngineJob {
  network: unknown;
  settings: TrainingSettings;
  dataset: ProjectDataset;
  csvPath?: string;
  /** The text of a `{csv: ...}` data set the project embeds (instead of csvPath). */
  csvText?: string;
  memoryCapBytes?: number;
  /** Start from these weights (a query host for a finished run). */
  weights?: Weights;
}

export type EngineRunState = 'starting' | 'running' | 'paused' | 'completed' | 'cancelled' | 'diverged' | 'failed';

export interface EngineStateDetail {
  stepsDone: number;
  lastLoss?: number;
  divergence?: string;
  error?: string;
  /** With a final state other than 'failed': the network's weights then. */
  weights?: Weights;
}

export interface EngineRunEvents {
  onChunk(chunk: TraceChunk, stepsDone: number): void;
  onState(state: EngineRunState, detail: EngineStateDetail): void;
}

export interface EngineRunLike extends NetworkQueries {
  start(): Promise<RunLayout>;
  train(steps?: number): void;
  pause(): Promise<void>;
  stop(): Promise<void>;
  dispose(): void;
  readonly stepsDone: number;
}

export type EngineRunFactory = (job: EngineJob, events: EngineRunEvents) => EngineRunLike;

// ---- runs --------------------------------------------------------------------------------------

interface ManagedRun {
  summary: RunSummary;
  /** Live traces while (or after) this session trains the run. */
  acc: TraceAccumulator | null;
  /** Traces read from the project file. */
  loaded: TraceColumns | null;
  engine: EngineRunLike | null;
  /** The network's weights when the run finished (from its final state, or the project file). */
  weights: Weights | null;
  /** Throttling of run.updated: when the last went out, and whether one is due. */
  lastUpdateAt: number;
  updateTimer: ReturnType<typeof setTimeout> | null;
  /** Training time under the time cap. */
  clock: TrainingClock;
  /** A paused run's weights, asked of its host for a save, and the step they are from. */
  pausedWeights: { weights: Weights; stepsDone: number } | null;
}

type Emit = <E extends keyof LabEvents>(event: E, payload: LabEvents[E]) => void;

const UPDATE_INTERVAL_MS = 1000 / MAX_RUN_MESSAGES_PER_SECOND;
const FINAL: readonly RunState[] = ['completed', 'cancelled', 'diverged', 'failed'];
/** Final states that keep the network's weights (a failed run's host is gone without them). */
const KEEPS_WEIGHTS: readonly RunState[] = ['completed', 'cancelled', 'diverged'];
/** Statuses in a project file whose weights are read back: the final ones, and 'paused' (toProjectRuns). */
const FILE_KEEPS_WEIGHTS: readonly RunState[] = [...KEEPS_WEIGHTS, 'paused'];

export interface RunDefaults {
  network: NetworkSpec;
  dataset: ProjectDataset;
  settings: TrainingSettings;
  /** The project's folder, where a CSV data set's file name is looked up. */
  folder: string | null;
}

export interface RunLimits {
  /** The engine refuses a batch whose activations and gradients need more memory (bytes). */
  memoryCapBytes?: number;
  /** A run that has trained this long (ms, paused time not counted) is stopped between two steps; 0 or absent: no cap. */
  timeCapMs?: number;
  /** How long a finished run's query host waits for another question before it ends (ms). */
  queryHostIdleMs?: number;
}

export class RunManager {
  private readonly runs = new Map<string, ManagedRun>();
  private readonly queryHosts: QueryHosts | null;
  private readonly memoryCapBytes: number | undefined;
  private readonly timeCapMs: number;

  constructor(
    private readonly factory: EngineRunFactory | undefined,
    private readonly emit: Emit,
    /** Called on every change a save would record (the project becomes dirty). */
    private readonly changed: () => void,
    limits: RunLimits = {},
  ) {
    this.memoryCapBytes = limits.memoryCapBytes;
    this.timeCapMs = limits.timeCapMs ?? 0;
    this.queryHosts = factory ? new QueryHosts(factory, limits.queryHostIdleMs) : null;
  }

  /** A run's state as the run manager keeps it, with a fresh clock under the time cap. */
  private managed(summary: RunSummary, loaded: TraceColumns | null, weights: Weights | null): ManagedRun {
    const clock = new TrainingClock(this.timeCapMs, () => this.timeCapReached(summary.id));
    return { summary, acc: null, loaded, engine: null, weights, lastUpdateAt: 0, updateTimer: null, clock, pausedWeights: null };
  }

  /**
   * The run has trained for the whole time cap: it stops between two steps like a
   * cancel (keeping its traces and weights), and setState gives it the reason.
   */
  private timeCapReached(runId: string): void {
    if (this.runs.get(runId)?.summary.state !== 'running') return;
    // It may end otherwise meanwhile (completed, failed): then stop() refuses, and that end stands.
    this.stop(runId).catch(() => {});
  }

  list(): RunSummary[] {
    return [...this.runs.values()].map((r) => this.copy(r.summary));
  }

  private copy(s: RunSummary): RunSummary {
    return { ...s };
  }

  private get(runId: string): ManagedRun {
    const run = this.runs.get(runId);
    if (!run) throw new LabError('not-found', `there is no run "${runId}"`);
    return run;
  }

  create(
    defaults: RunDefaults,
    overrides: { label?: string; network?: NetworkSpec; dataset?: ProjectDataset; settings?: TrainingSettings; lab?: RunLabTag },
  ): RunSummary {
    const settings = overrides.settings ?? defaults.settings;
    const summary: RunSummary = {
      id: randomUUID(),
      label: overrides.label ?? `Run ${this.runs.size + 1}`,
      createdAt: new Date().toISOString(),
      state: 'created',
      stepsDone: 0,
      steps: settings.steps,
      network: overrides.network ?? defaults.network,
      dataset: overrides.dataset ?? defaults.dataset,
      settings,
      ...(overrides.lab ? { lab: { ...overrides.lab } } : {}),
    };
    this.runs.set(summary.id, this.managed(summary, null, null));
    this.folders.set(summary.id, defaults.folder);
    this.listChanged();
    return this.copy(summary);
  }

  /** The project folder at the time each run was created, for relative CSV paths. */
  private readonly folders = new Map<string, string | null>();

  private listChanged(): void {
    this.changed();
    this.emit('runs.changed', this.list());
  }

  private setState(run: ManagedRun, state: RunState, detail: Partial<RunSummary> = {}): void {
    if (state === 'running') run.clock.resume();
    else run.clock.pause();
    if (state === 'cancelled' && run.clock.reached) {
      const stepsDone = detail.stepsDone ?? run.summary.stepsDone;
      detail = { ...detail, stopReason: timeCapMessage(this.timeCapMs, stepsDone, run.summary.steps) };
    }
    Object.assign(run.summary, detail, { state });
    if (FINAL.includes(state)) run.engine = null;
    this.sendUpdate(run, true);
    this.changed();
  }

  /** run.updated now (state changes), or at most MAX_RUN_MESSAGES_PER_SECOND times a second (progress). */
  private sendUpdate(run: ManagedRun, now: boolean): void {
    const since = Date.now() - run.lastUpdateAt;
    if (now || since >= UPDATE_INTERVAL_MS) {
      if (run.updateTimer) clearTimeout(run.updateTimer);
      run.updateTimer = null;
      run.lastUpdateAt = Date.now();
      this.emit('run.updated', this.copy(run.summary));
      return;
    }
    run.updateTimer ??= setTimeout(() => {
      run.updateTimer = null;
      if (this.runs.get(run.summary.id) === run) this.sendUpdate(run, true);
    }, UPDATE_INTERVAL_MS - since);
  }

  /**
   * The texts of the CSV files the open project embeds, by SHA-256 (the session's
   * csvTexts; LabService sets it). A run's embedded data set is looked up here when it starts.
   */
  embeddedCsv: (sha256: string) => string | undefined = () => undefined;

  /** Where a run's CSV data set comes from (null: a built-in set). */
  private csvSource(run: ManagedRun): CsvSource | null {
    const d = run.summary.dataset;
    return 'csv' in d ? csvSourceOf(d.csv, this.folders.get(run.summary.id) ?? null, this.embeddedCsv) : null;
  }

  /** What the run's engine host trains (and a query host compiles). */
  private jobOf(run: ManagedRun): EngineJob {
    return {
      network: run.summary.network,
      settings: run.summary.settings,
      dataset: run.summary.dataset,
      ...this.csvSource(run),
      ...(this.memoryCapBytes ? { memoryCapBytes: this.memoryCapBytes } : {}),
    };
  }

  /** Compiles the run in a fresh engine host; on bad input the run fails and the call rejects with the engine's message. */
  private async launch(run: ManagedRun): Promise<EngineRunLike> {
    if (!this.factory) throw new LabError('unsupported', 'this lab has no engine to train with');
    const job = this.jobOf(run);
    const engine = this.factory(job, {
      onChunk: (chunk, stepsDone) => {
        if (run.engine !== engine) return;
        run.acc?.append(chunk);
        const loss = chunk.metrics.loss;
        run.summary.stepsDone = stepsDone;
        if (loss.length > 0) run.summary.lastLoss = loss[loss.length - 1];
        const test = lastEvaluation(chunk.evaluation);
        if (test) run.summary.lastTest = test;
        this.emit('run.traces', { runId: run.summary.id, stepsDone, chunk });
        this.sendUpdate(run, false);
      },
      onState: (state, detail) => {
        if (run.engine !== engine) return;
        const patch: Partial<RunSummary> = { stepsDone: detail.stepsDone };
        if (detail.lastLoss !== undefined) patch.lastLoss = detail.lastLoss;
        if (detail.divergence !== undefined) patch.divergence = detail.divergence;
        if (detail.error !== undefined) patch.error = detail.error;
        if (state === 'starting') return;
        if (KEEPS_WEIGHTS.includes(state) && detail.weights) run.weights = detail.weights;
        this.setState(run, state, patch);
      },
    });
    run.engine = engine;
    let layout: RunLayout;
    try {
      layout = await engine.start();
    } catch (e) {
      engine.dispose();
      run.engine = null;
      const message = e instanceof Error ? e.message : String(e);
      this.setState(run, 'failed', { error: message });
      throw e instanceof LabError ? e : new LabError('internal', message);
    }
    run.summary.layout = layout;
    run.acc = new TraceAccumulator(layout.nodeIds, layout.paramNames, layout.recurrent);
    run.loaded = null;
    return engine;
  }

  async start(runId: string, steps?: number): Promise<RunSummary> {
    const run = this.get(runId);
    if (run.summary.state !== 'created') {
      throw new LabError('conflict', `run "${run.summary.label}" is ${run.summary.state}; only a new run can start (restart it instead)`);
    }
    const engine = await this.launch(run);
    engine.train(steps);
    this.setState(run, 'running');
    return this.copy(run.summary);
  }

  async pause(runId: string): Promise<RunSummary> {
    const run = this.get(runId);
    if (run.summary.state !== 'running' || !run.engine) {
      throw new LabError('conflict', `run "${run.summary.label}" is ${run.summary.state}, not running`);
    }
    await run.engine.pause();
    if (run.summary.state === 'running') this.setState(run, 'paused');
    return this.copy(run.summary);
  }

  async resume(runId: string): Promise<RunSummary> {
    const run = this.get(runId);
    if (run.summary.state !== 'paused' || !run.engine) {
      throw new LabError('conflict', `run "${run.summary.label}" is ${run.summary.state}; only a paused run resumes`);
    }
    run.engine.train();
    this.setState(run, 'running');
    return this.copy(run.summary);
  }

  /** Trains `steps` more steps of a new or paused run, which then pauses again. */
  async step(runId: string, steps: number): Promise<RunSummary> {
    const run = this.get(runId);
    const remaining = run.summary.steps - run.summary.stepsDone;
    const n = Math.min(steps, remaining);
    if (n < 1) throw new LabError('conflict', `run "${run.summary.label}" has trained all its ${run.summary.steps} steps`);
    if (run.summary.state === 'created') return this.start(runId, n);
    if (run.summary.state !== 'paused' || !run.engine) {
      throw new LabError('conflict', `run "${run.summary.label}" is ${run.summary.state}; pause it to step`);
    }
    run.engine.train(n);
    this.setState(run, 'running');
    return this.copy(run.summary);
  }

  async stop(runId: string): Promise<RunSummary> {
    const run = this.get(runId);
    if (!run.engine || (run.summary.state !== 'running' && run.summary.state !== 'paused')) {
      throw new LabError('conflict', `run "${run.summary.label}" is ${run.summary.state}; there is nothing to stop`);
    }
    await run.engine.stop();
    if (run.summary.state === 'running' || run.summary.state === 'paused') this.setState(run, 'cancelled');
    return this.copy(run.summary);
  }

  /** Drops the run's traces and weights and trains it again from its seed. */
  async restart(runId: string): Promise<RunSummary> {
    const run = this.get(runId);
    this.halt(run);
    run.acc = null;
    run.loaded = null;
    delete run.summary.layout;
    delete run.summary.lastLoss;
    delete run.summary.lastTest;
    delete run.summary.divergence;
    delete run.summary.error;
    delete run.summary.stopReason;
    run.clock.reset();
    run.weights = null;
    run.summary.stepsDone = 0;
    run.summary.state = 'created';
    return this.start(runId);
  }

  delete(runId: string): RunSummary[] {
    const run = this.get(runId);
    this.halt(run);
    this.runs.delete(runId);
    this.folders.delete(runId);
    this.listChanged();
    return this.list();
  }

  rename(runId: string, label: string): RunSummary {
    const run = this.get(runId);
    run.summary.label = label;
    this.sendUpdate(run, true);
    this.changed();
    return this.copy(run.summary);
  }

  traces(runId: string): TraceColumns | null {
    const run = this.get(runId);
    return run.acc ? run.acc.columnsSoFar() : run.loaded;
  }

  summary(runId: string): RunSummary {
    return this.copy(this.get(runId).summary);
  }

  // ---- questions to a run's network ----------------------------------------------------------

  /** The network's outputs for `rows` rows of x (rows x input width values). */
  async predict(runId: string, x: Float32Array, rows: number): Promise<Prediction> {
    const run = this.get(runId);
    checkPredictInput(run.summary.network, x, rows);
    return this.ask(run, 'ask its network', (engine) => predictRows(engine, x, rows));
  }

  /** Jacobian singular values at `samples` rows of the run's own data set. */
  async jacobian(runId: string, samples: number): Promise<JacobianSpectra> {
    const run = this.get(runId);
    const ds = this.datasetOf(run);
    return this.ask(run, 'compute its Jacobian', (engine) => jacobianOnData(engine, ds, samples));
  }

  /** Class probabilities over a grid of a 2-feature classification data set. */
  async decisionBoundary(runId: string, resolution: number): Promise<DecisionBoundary> {
    const run = this.get(runId);
    const ds = this.datasetOf(run);
    // The data's shape first: "not 2-D" holds whatever state the run is in.
    checkBoundaryData(run.summary.network, ds);
    return this.ask(run, 'draw its decision boundary', (engine) => decisionBoundary(engine, run.summary.network, ds, resolution));
  }

  /** The run's weights (for exporting the network): a copy of the kept ones, or asked of its paused host. */
  async weights(runId: string): Promise<Weights> {
    const run = this.get(runId);
    if (run.weights && KEEPS_WEIGHTS.includes(run.summary.state)) return copyWeights(run.weights);
    return this.ask(run, 'read its weights', (engine) => engine.weights());
  }

  /** The run's data set, built as its engine host builds it. */
  private datasetOf(run: ManagedRun): Dataset {
    return buildJobDataset(this.jobOf(run));
  }

  /**
   * Puts `question` to the engine that holds the run's network: its own host while it
   * is paused, a query host with the kept weights once it has finished. LabError
   * ('conflict') saying why otherwise (`what`: "ask its network", ...).
   */
  private async ask<T>(run: ManagedRun, what: string, question: (engine: EngineRunLike) => Promise<T>): Promise<T> {
    const { label, state } = run.summary;
    if (state === 'paused' && run.engine) return question(run.engine);
    if (KEEPS_WEIGHTS.includes(state) && run.weights && this.queryHosts) {
      const weights = run.weights;
      return this.queryHosts.ask(run.summary.id, () => ({ ...this.jobOf(run), weights }), question);
    }
    if (!this.factory) throw new LabError('unsupported', 'this lab has no engine to ask');
    const why =
      state === 'running'
        ? 'is training: pause it'
        : state === 'created'
          ? 'has not trained yet: start it'
          : state === 'failed'
            ? `failed${run.summary.error ? ` (${run.summary.error})` : ''}, so it has no trained network: restart it`
            : 'kept no weights (it was saved while it trained): restart it';
    throw new LabError('conflict', `run "${label}" ${why} to ${what}`);
  }

  /**
   * Asks the host of each paused run for its weights as they are now, for a save
   * that follows (one round trip each; the network is small next to its traces). The
   * file then keeps a paused run's network, which answers questions when the project
   * is opened again. A host that cannot answer leaves its run saved without weights.
   */
  async fetchPausedWeights(): Promise<void> {
    const paused = [...this.runs.values()].filter((run) => run.summary.state === 'paused' && run.engine);
    await Promise.all(
      paused.map(async (run) => {
        const stepsDone = run.summary.stepsDone;
        if (run.pausedWeights?.stepsDone === stepsDone) return;
        const weights = await run.engine!.weights().catch(() => null);
        if (weights && run.summary.state === 'paused' && run.summary.stepsDone === stepsDone) run.pausedWeights = { weights, stepsDone };
      }),
    );
  }

  /** The weights a save keeps: a finished run's, or a paused run's fetched at its current step. */
  private savedWeights(run: ManagedRun): Weights | null {
    const s = run.summary;
    if (KEEPS_WEIGHTS.includes(s.state)) return run.weights;
    const paused = run.pausedWeights;
    return s.state === 'paused' && paused?.stepsDone === s.stepsDone ? paused.weights : null;
  }

  /** The runs as the project file stores them. */
  toProjectRuns(): ProjectRun[] {
    return [...this.runs.values()].map((run): ProjectRun => {
      const s = run.summary;
      const traces = this.traces(s.id);
      const weights = this.savedWeights(run);
      return {
        id: s.id,
        label: s.label,
        createdAt: s.createdAt,
        settings: s.settings,
        network: s.network,
        dataset: s.dataset,
        seed: s.settings.seed,
        status: s.state,
        ...(s.divergence !== undefined ? { divergence: s.divergence } : {}),
        ...(s.error !== undefined ? { error: s.error } : {}),
        ...(s.stopReason !== undefined ? { stopReason: s.stopReason } : {}),
        ...(s.lab ? { lab: { ...s.lab } } : {}),
        ...(traces ? { traces: encodeTraces(traces) } : {}),
        ...(weights ? { weights: encodeWeights(weights) } : {}),
      };
    });
  }

  /**
   * Replaces every run with those of an opened project. A file keeps traces, and
   * the weights of finished and paused runs (not an optimiser's state), so a run
   * saved while it trained or stood paused can no longer go on: it opens as
   * cancelled (restart trains it again). Kept weights answer questions again.
   */
  load(runs: ProjectRun[], defaults: RunDefaults): void {
    // Decode everything first: a damaged trace refuses the file before anything open changes.
    const damaged = (i: number, field: string, e: unknown): never => {
      if (!(e instanceof TraceCodecError)) throw e;
      throw new LabError('invalid-input', `the project file is damaged: runs[${i}].${field}.${e.message}`);
    };
    const decoded = runs.map((r, i) => {
      try {
        return r.traces ? decodeTraces(r.traces) : null;
      } catch (e) {
        return damaged(i, 'traces', e);
      }
    });
    const weights = runs.map((r, i) => {
      try {
        return r.weights && FILE_KEEPS_WEIGHTS.includes(r.status) ? decodeWeights(r.weights) : null;
      } catch (e) {
        return damaged(i, 'weights', e);
      }
    });
    this.haltAll();
    this.runs.clear();
    this.folders.clear();
    for (const [i, r] of runs.entries()) {
      const loaded = decoded[i];
      const steps = loaded ? loaded.metrics.loss.length : 0;
      const state: RunState = r.status === 'running' || r.status === 'paused' ? 'cancelled' : r.status;
      const summary: RunSummary = {
        id: r.id,
        label: r.label,
        createdAt: r.createdAt,
        state,
        stepsDone: steps,
        steps: r.settings.steps,
        network: r.network ?? defaults.network,
        dataset: r.dataset ?? defaults.dataset,
        settings: r.settings,
        ...(loaded
          ? {
              layout: {
                nodeIds: loaded.nodeIds,
                paramNames: loaded.paramNames,
                recurrent: loaded.recurrent?.nodes ?? [],
                parameterCount: 0,
              },
            }
          : {}),
        ...(steps > 0 ? { lastLoss: loaded!.metrics.loss[steps - 1] } : {}),
        ...(loaded?.evaluation ? { lastTest: lastEvaluation(loaded.evaluation) } : {}),
        ...(r.divergence !== undefined ? { divergence: r.divergence } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
        ...(r.stopReason !== undefined ? { stopReason: r.stopReason } : {}),
        ...(r.lab ? { lab: { ...r.lab } } : {}),
      };
      this.runs.set(r.id, this.managed(summary, loaded, weights[i]));
      this.folders.set(r.id, defaults.folder);
    }
    this.emit('runs.changed', this.list());
  }

  private halt(run: ManagedRun): void {
    run.clock.pause();
    if (run.updateTimer) clearTimeout(run.updateTimer);
    run.updateTimer = null;
    run.engine?.dispose();
    run.engine = null;
    this.queryHosts?.kill(run.summary.id);
  }

  /** Ends every engine host (the service is closing, or another project opens). */
  haltAll(): void {
    for (const run of this.runs.values()) this.halt(run);
    this.queryHosts?.killAll();
  }
}
