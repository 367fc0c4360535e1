/**
 * One training run in an engine host process, as the lab service sees it: start,
 * train, pause, stop, with chunks and state changes as callbacks. The host is a
 * separate process so that a native crash or hang costs this run and never the
 * app: when the process dies or goes silent while it should be working, the run
 * becomes 'failed' with a message a student can read, and the process is killed.
 *
 * Between training slices the run answers queries about its network (predict,
 * jacobian, weights), each a promise that settles with the host's answer, rejects
 * with a LabError when the host refuses, and rejects when the host dies first.
 *
 * Everything the host sends is validated (protocol.ts) before it is believed.
 */
import { LabError, type RunLayout } from '../../core/api/labApi.ts';
import type { ProjectDataset } from '../../core/project/schema.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import type { TrainingSettingsInput } from '../../core/training/settings.ts';
import { crashMessage, hangMessage, runPosition } from './hostFailure.ts';
import type { HostChannel, HostLauncher } from './launcher.ts';
import {
  type HostCommandInput,
  type HostMessage,
  type QueryReply,
  type Weights,
  describeIssues,
  hostMessageSchema,
} from './protocol.ts';

export interface EngineJob {
  network: unknown;
  settings: TrainingSettingsInput;
  dataset: ProjectDataset;
  /** Where the file of a `{csv: ...}` data set is on disk. */
  csvPath?: string;
  /** The text of a `{csv: ...}` data set the project embeds (instead of csvPath). */
  csvText?: string;
  memoryCapBytes?: number;
  /** Start from these weights instead of fresh ones (a finished run, asked questions in a new host). */
  weights?: Weights;
}

/** Singular values of a network's Jacobians (NativeJacobianSpectra of electron/engine/addon.ts). */
export interface EngineSpectra {
  samples: number;
  network: Float64Array;
  nodes: Record<string, Float64Array>;
}

export type EngineRunState = 'starting' | 'running' | 'paused' | 'completed' | 'cancelled' | 'diverged' | 'failed';

export interface EngineRunDetail {
  stepsDone: number;
  lastLoss?: number;
  divergence?: string;
  error?: string;
  /** With a final state other than 'failed': the network's weights at that point. */
  weights?: Weights;
}

export interface EngineRunEvents {
  /** New traces; at most ~30 a second. Chunks follow each other without gaps. */
  onChunk(chunk: TraceChunk, stepsDone: number): void;
  onState(state: EngineRunState, detail: EngineRunDetail): void;
}

export interface EngineRunOptions {
  /**
   * How long (ms) the host may stay silent while it should be working (starting,
   * training, pausing, stopping) before it counts as hung and is killed. A training
   * host sends chunks many times a second, so only a single step longer than this
   * would trip it. Default 30 s.
   */
  watchdogMs?: number;
}

export const DEFAULT_WATCHDOG_MS = 30_000;
/** How long a host that reached a final state may take to exit before it is killed. */
const EXIT_GRACE_MS = 5_000;

const FINAL_STATES: readonly EngineRunState[] = ['completed', 'cancelled', 'diverged', 'failed'];

/** Why train() cannot run now, per state (paused is the one state that can train). */
const CANNOT_TRAIN: Record<Exclude<EngineRunState, 'paused'>, string> = {
  starting: 'the run is still starting; train it once it is ready',
  running: 'the run is training already',
  completed: 'the run has completed all its steps',
  cancelled: 'the run was stopped; restart it to train again',
  diverged: 'the run diverged; restart it (perhaps with a smaller learning rate) to train again',
  failed: 'the run failed; restart it to train again',
};

/** Why a query cannot be asked now, per state (paused is the one state that answers). */
const CANNOT_QUERY: Record<Exclude<EngineRunState, 'paused'>, string> = {
  starting: 'the run is still starting; ask its network once it is ready',
  running: 'the run is training; pause it to ask its network',
  completed: "the run's engine process has ended",
  cancelled: "the run's engine process has ended",
  diverged: "the run's engine process has ended",
  failed: "the run failed; its engine process has ended",
};

type ReplyType = Exclude<QueryReply['type'], 'refused'>;
/** A query command before the run gives it its id. */
type Question = Extract<HostCommandInput, { type: 'predict' | 'jacobian' | 'weights' }> extends infer Q
  ? Q extends unknown
    ? Omit<Q, 'id'>
    : never
  : never;

interface PendingQuery {
  expect: ReplyType;
  resolve: (reply: QueryReply) => void;
  reject: (e: LabError) => void;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class EngineRun {
  private channel: HostChannel | null = null;
  private current: EngineRunState = 'starting';
  private steps = 0;
  private lastLoss: number | undefined;
  private started = false;
  private startWaiter: { resolve: (layout: RunLayout) => void; reject: (e: LabError) => void } | null = null;
  /** Why start() fails, once the host has said so (it rejects when the process is gone). */
  private startError: LabError | null = null;
  private pauseWaiters: (() => void)[] = [];
  private exitWaiters: (() => void)[] = [];
  private pauseSent = false;
  private stopping = false;
  /** The host was told to exit (or is being killed): its exit is no failure. */
  private exitExpected = false;
  private exited = false;
  /** No callback fires once this is set (stop() resolved, or dispose()). */
  private closed = false;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private readonly watchdogMs: number;
  private nextQueryId = 0;
  private readonly queries = new Map<number, PendingQuery>();

  constructor(
    private readonly launcher: HostLauncher,
    private readonly job: EngineJob,
    private readonly events: EngineRunEvents,
    options: EngineRunOptions = {},
  ) {
    this.watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
  }

  get state(): EngineRunState {
    return this.current;
  }

  /** Steps whose traces have been delivered through onChunk. */
  get stepsDone(): number {
    return this.steps;
  }

  /**
   * Spawns the host and compiles the network. Resolves with the trace layout (the
   * state is then 'paused' at step 0, without an onState call); rejects with
   * LabError('invalid-input', the engine's message naming the node or field) on bad
   * input, once the host has ended. A failed start fires no onState either.
   */
  start(): Promise<RunLayout> {
    if (this.started) return Promise.reject(new LabError('conflict', 'the run was started already'));
    if (this.closed) return Promise.reject(new LabError('conflict', 'the run was stopped before it started'));
    this.started = true;
    return new Promise<RunLayout>((resolve, reject) => {
      this.startWaiter = { resolve, reject };
      let channel: HostChannel;
      try {
        channel = this.launcher.launch();
      } catch (e) {
        this.current = 'failed';
        this.exited = true;
        this.startWaiter = null;
        reject(new LabError('internal', `the engine process could not be started: ${errorText(e)}`));
        return;
      }
      this.channel = channel;
      channel.onMessage((message) => this.received(message));
      channel.onExit((code, signal) => this.processGone(code, signal));
      this.post({ type: 'start', job: this.job });
      this.rearmWatchdog();
    });
  }

  /**
   * Trains `steps` more steps (default: up to settings.steps). The state becomes
   * 'running' at once (onState fires before this returns); when the steps are done
   * it becomes 'paused', or 'completed' at settings.steps. Throws LabError
   * ('conflict') unless the run is paused.
   */
  train(steps?: number): void {
    if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1)) {
      throw new LabError('invalid-input', `steps must be a whole number, 1 or more (got ${steps})`);
    }
    if (this.current !== 'paused') throw new LabError('conflict', CANNOT_TRAIN[this.current]);
    if (this.stopping || this.closed) throw new LabError('conflict', CANNOT_TRAIN.cancelled);
    this.current = 'running';
    this.pauseSent = false;
    this.post(steps === undefined ? { type: 'train' } : { type: 'train', steps });
    this.rearmWatchdog();
    this.emitState();
  }

  /**
   * Resolves once the host has stopped between steps (state 'paused'), every chunk
   * so far delivered; at once when the run is not training. Also resolves when the
   * run ends instead (it completed, diverged or failed meanwhile).
   */
  pause(): Promise<void> {
    if (this.current === 'starting') {
      return Promise.reject(new LabError('conflict', 'the run is still starting; pause it once it is training'));
    }
    if (this.current !== 'running') return Promise.resolve();
    if (!this.pauseSent) {
      this.pauseSent = true;
      this.post({ type: 'pause' });
    }
    const paused = new Promise<void>((resolve) => this.pauseWaiters.push(resolve));
    this.rearmWatchdog();
    return paused;
  }

  /**
   * Cancels: resolves once the host has acknowledged (state 'cancelled', or the final
   * state it reached first) and its process has exited. No callback fires after.
   */
  stop(): Promise<void> {
    if (!this.started || this.exited) {
      if (!FINAL_STATES.includes(this.current)) this.current = 'cancelled';
      this.close();
      return Promise.resolve();
    }
    const gone = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    if (!this.stopping) {
      this.stopping = true;
      if (!this.exitExpected) this.post({ type: 'stop' });
      this.rearmWatchdog();
    }
    return gone;
  }

  /** Kills the host at once; no callback fires after. Pending pause() and stop() resolve, start() rejects. */
  dispose(): void {
    if (!FINAL_STATES.includes(this.current)) this.current = 'cancelled';
    this.exitExpected = true;
    this.close();
    this.kill();
  }

  // ---- queries ---------------------------------------------------------------------------

  /** The network's outputs for `rows` rows of x: (rows, outputs per row), row-major. */
  async predict(x: Float32Array, rows: number): Promise<Float32Array> {
    const reply = await this.ask('prediction', { type: 'predict', x, rows });
    return reply.output;
  }

  /** Singular values of the network's and each node's Jacobian at `samples` rows of x. */
  async jacobian(x: Float32Array, samples: number): Promise<EngineSpectra> {
    const reply = await this.ask('spectra', { type: 'jacobian', x, samples });
    return reply.spectra;
  }

  /** Every parameter tensor by name. */
  async weights(): Promise<Weights> {
    const reply = await this.ask('weights', { type: 'weights' });
    return reply.params;
  }

  /** Sends a query and waits for the answer of type `expect`; LabError('conflict') unless paused. */
  private ask<T extends ReplyType>(
    expect: T,
    command: Question,
  ): Promise<Extract<QueryReply, { type: T }>> {
    if (this.current !== 'paused') return Promise.reject(new LabError('conflict', CANNOT_QUERY[this.current]));
    if (this.stopping || this.closed || this.exited) {
      return Promise.reject(new LabError('conflict', 'the run is being stopped; its engine process answers no more questions'));
    }
    const id = this.nextQueryId++;
    const answer = new Promise<Extract<QueryReply, { type: T }>>((resolve, reject) => {
      this.queries.set(id, { expect, resolve: resolve as (reply: QueryReply) => void, reject });
    });
    this.post({ ...command, id } as HostCommandInput);
    this.rearmWatchdog();
    return answer;
  }

  private replyReceived(reply: QueryReply): void {
    const pending = this.queries.get(reply.id);
    if (!pending) return this.fail(`the engine process answered question ${reply.id}, which the lab never asked`);
    if (reply.type !== 'refused' && reply.type !== pending.expect) {
      return this.fail(`the engine process answered question ${reply.id} with ${reply.type}; the lab asked for ${pending.expect}`);
    }
    this.queries.delete(reply.id);
    if (reply.type === 'refused') pending.reject(new LabError(reply.code, reply.message));
    else pending.resolve(reply);
  }

  /** Every unanswered query rejects with `error` (the host is gone or no longer believed). */
  private rejectQueries(error: LabError): void {
    const pending = [...this.queries.values()];
    this.queries.clear();
    for (const q of pending) q.reject(error);
  }

  // ---- from the host --------------------------------------------------------------------

  private received(raw: unknown): void {
    // A failed host is being killed; whatever it still says is not believed.
    if (this.closed || this.current === 'failed') return;
    const parsed = hostMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.fail(`the engine process sent a message the lab cannot read (${describeIssues(parsed.error)})`);
      return;
    }
    this.handle(parsed.data);
    this.rearmWatchdog();
  }

  private handle(message: HostMessage): void {
    switch (message.type) {
      case 'ready':
        if (this.current !== 'starting') return this.fail('the engine process said it was ready twice');
        this.current = 'paused';
        this.startWaiter?.resolve(message.layout);
        this.startWaiter = null;
        return;
      case 'chunk':
        return this.chunkReceived(message.chunk, message.stepsDone);
      case 'state':
        return this.hostStateReceived(message);
      case 'error':
        return this.hostErrorReceived(message.code, message.message);
      case 'prediction':
      case 'spectra':
      case 'weights':
      case 'refused':
        return this.replyReceived(message);
    }
  }

  private chunkReceived(chunk: TraceChunk, stepsDone: number): void {
    if (chunk.stepFrom !== this.steps) {
      this.fail(`the engine process sent traces from step ${chunk.stepFrom}; the run had ${this.steps} steps`);
      return;
    }
    const loss = chunk.metrics.loss;
    if (loss.length > 0) this.lastLoss = loss[loss.length - 1];
    this.steps = stepsDone;
    if (!this.closed) this.events.onChunk(chunk, stepsDone);
  }

  private hostStateReceived(message: Extract<HostMessage, { type: 'state' }>): void {
    if (FINAL_STATES.includes(this.current)) return; // a repeat of a final state already handled
    if (this.current === 'starting') return this.fail('the engine process reported training before it was ready');
    this.lastLoss = message.lastLoss ?? this.lastLoss;
    const changed = this.current !== message.state;
    this.current = message.state;
    if (message.state !== 'paused') {
      // Final: the host has nothing more to do.
      this.exitExpected = true;
      this.post({ type: 'exit' });
    }
    // A slice that ended just as stop() was called says 'paused' before 'cancelled'; the caller hears only the end.
    const quiet = message.state === 'paused' && this.stopping;
    const extra: Omit<EngineRunDetail, 'stepsDone' | 'lastLoss'> = {
      ...(message.divergence === undefined ? {} : { divergence: message.divergence }),
      ...(message.weights === undefined ? {} : { weights: message.weights }),
    };
    if (changed && !quiet) this.emitState(extra);
    this.settlePauses();
  }

  private hostErrorReceived(code: 'invalid-input' | 'internal', message: string): void {
    if (this.current !== 'starting') return this.fail(message);
    // start() rejects once the process is gone, so the caller never races a live host.
    this.startError = new LabError(code, message);
    this.current = 'failed';
    this.exitExpected = true;
    this.post({ type: 'exit' });
  }

  private processGone(code: number | null, signal: string | null): void {
    this.exited = true;
    this.clearWatchdog();
    if (!this.exitExpected) {
      const position = runPosition(this.current === 'starting' || this.current === 'running' ? this.current : 'paused', this.steps);
      this.fail(crashMessage(code, signal, position));
    }
    if (this.stopping) this.closed = true;
    this.rejectQueries(new LabError('internal', 'the engine process ended before it answered'));
    this.settleAll();
  }

  // ---- failure, timers, plumbing ----------------------------------------------------------

  /** The run is lost: state 'failed' with `message`, the process killed. */
  private fail(message: string): void {
    if (FINAL_STATES.includes(this.current)) return;
    const wasStarting = this.current === 'starting';
    this.current = 'failed';
    this.exitExpected = true;
    // Before the kill: its exit would reject them with a vaguer reason.
    this.rejectQueries(new LabError('internal', message));
    this.kill();
    if (wasStarting) this.startError = new LabError('internal', message);
    else this.emitState({ error: message });
    this.settlePauses();
  }

  private rearmWatchdog(): void {
    this.clearWatchdog();
    if (this.exited || this.closed) return;
    const waiting =
      this.current === 'starting' ||
      this.current === 'running' ||
      this.pauseWaiters.length > 0 ||
      this.stopping ||
      this.queries.size > 0;
    if (this.exitExpected) {
      this.watchdog = setTimeout(() => this.kill(), Math.min(EXIT_GRACE_MS, this.watchdogMs));
    } else if (waiting) {
      this.watchdog = setTimeout(() => this.silent(), this.watchdogMs);
    }
  }

  private silent(): void {
    const where = this.current === 'starting' || this.current === 'running' ? this.current : 'paused';
    this.fail(hangMessage(this.watchdogMs, runPosition(where, this.steps)));
  }

  private clearWatchdog(): void {
    if (this.watchdog !== null) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private post(command: HostCommandInput): void {
    if (!this.channel || this.exited) return;
    try {
      this.channel.post(command);
    } catch (e) {
      this.fail(`the lab could not send a command to the engine process: ${errorText(e)}`);
    }
  }

  private kill(): void {
    if (this.channel && !this.exited) this.channel.kill();
  }

  private emitState(extra: Omit<EngineRunDetail, 'stepsDone' | 'lastLoss'> = {}): void {
    if (this.closed) return;
    const detail: EngineRunDetail = {
      stepsDone: this.steps,
      ...(this.lastLoss === undefined ? {} : { lastLoss: this.lastLoss }),
      ...extra,
    };
    this.events.onState(this.current, detail);
  }

  private settlePauses(): void {
    const waiters = this.pauseWaiters;
    this.pauseWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The process is gone (or disowned): every promise settles. */
  private settleAll(): void {
    if (this.startWaiter) {
      this.startWaiter.reject(
        this.startError ?? new LabError('internal', 'the engine process ended before the network was ready'),
      );
      this.startWaiter = null;
    }
    this.settlePauses();
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private close(): void {
    this.closed = true;
    this.clearWatchdog();
    this.rejectQueries(new LabError('conflict', 'the run was closed before its engine answered'));
    if (this.startWaiter) {
      this.startError ??= new LabError('conflict', 'the run was closed before its engine was ready');
    }
    this.settleAll();
  }
}
