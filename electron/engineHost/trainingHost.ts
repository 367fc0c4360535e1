/**
 * What the engine host process does with each command: builds the data set,
 * compiles the network, trains in slices (the native train() is resumable), and
 * reports chunks and states. Transport-free (it talks through a HostPort), so the
 * same logic runs in a Node child process and in an Electron utilityProcess.
 */
import type { z } from 'zod';

import { MAX_RUN_MESSAGES_PER_SECOND } from '../../core/api/labApi.ts';
import { makeDataset } from '../../core/datasets/catalog.ts';
import type { Dataset } from '../../core/datasets/dataset.ts';
import { DatasetError } from '../../core/datasets/generators.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import type { NativeTrainResult } from '../engine/addon.ts';
import { loadCsvDataset } from '../engine/csvDataset.ts';
import { type PreparedRun, TrainInputError, prepareRun } from '../engine/trainer.ts';
import { ChunkThrottle } from './chunkThrottle.ts';
import {
  type HostCommand,
  type HostMessage,
  type HostRunState,
  describeIssues,
  engineJobSchema,
  hostCommandSchema,
} from './protocol.ts';

/** How the host talks to the lab. */
export interface HostPort {
  send(message: HostMessage): void;
  /** Ends the host process. */
  exit(code: number): void;
}

type EngineJobMessage = z.output<typeof engineJobSchema>;
type StateMessage = Extract<HostMessage, { type: 'state' }>;
type ErrorCode = Extract<HostMessage, { type: 'error' }>['code'];

/** Errors that describe the student's input (the message names the node or field), not a bug. */
function errorCode(e: unknown): ErrorCode {
  if (e instanceof TrainInputError || e instanceof DatasetError) return 'invalid-input';
  // The addon marks its input errors (a bad spec, a bad CSV file, over the memory cap) with this code.
  if ((e as { code?: unknown } | null)?.code === 'VGLAB_INVALID_INPUT') return 'invalid-input';
  return 'internal';
}

function buildDataset(job: EngineJobMessage): Dataset {
  const { dataset } = job;
  if ('csv' in dataset) {
    if (!job.csvPath) throw new Error(`the lab did not say where the CSV file "${dataset.csv.fileName}" is (csvPath)`);
    return loadCsvDataset(job.csvPath, dataset.csv, dataset.csv.fileName);
  }
  return makeDataset(dataset.name, dataset.options);
}

export class TrainingHost {
  private run: PreparedRun | null = null;
  private training = false;
  private stopAsked = false;
  /** The final state once reached (completed, cancelled, diverged); repeated if asked again. */
  private final: StateMessage | null = null;
  private lastLoss: number | undefined;
  private readonly throttle: ChunkThrottle;

  constructor(
    private readonly port: HostPort,
    // Rounded up: timers fire on whole milliseconds, and 33 ms would allow 30.3 a second.
    chunkIntervalMs = Math.ceil(1000 / MAX_RUN_MESSAGES_PER_SECOND),
  ) {
    this.throttle = new ChunkThrottle(
      (chunk) => this.port.send({ type: 'chunk', chunk, stepsDone: chunk.stepFrom + chunk.metrics.loss.length }),
      chunkIntervalMs,
    );
  }

  /** Validates and runs one command from the lab. */
  handle(raw: unknown): void {
    const parsed = hostCommandSchema.safeParse(raw);
    if (!parsed.success) {
      // A malformed job (a data set without a name, say) describes input; anything else is a bug in the lab.
      const aboutJob = parsed.error.issues.every((i) => i.path[0] === 'job');
      if (aboutJob) {
        this.port.send({ type: 'error', code: 'invalid-input', message: describeIssues(parsed.error, 1) });
      } else {
        const message = `the engine host received a command it cannot read: ${describeIssues(parsed.error)}`;
        this.port.send({ type: 'error', code: 'internal', message });
      }
      return;
    }
    this.dispatch(parsed.data);
  }

  private dispatch(command: HostCommand): void {
    switch (command.type) {
      case 'start':
        return this.start(command.job);
      case 'train':
        return this.train(command.steps);
      case 'pause':
        return this.pause();
      case 'stop':
        return this.stop();
      case 'exit':
        return this.port.exit(0);
    }
  }

  private start(job: EngineJobMessage): void {
    if (this.run) {
      this.port.send({ type: 'error', code: 'internal', message: 'the engine host was started twice' });
      return;
    }
    try {
      const dataset = buildDataset(job);
      const options = job.memoryCapBytes === undefined ? {} : { memoryCapBytes: job.memoryCapBytes };
      this.run = prepareRun(job.network, job.settings, dataset, options);
    } catch (e) {
      this.port.send({ type: 'error', code: errorCode(e), message: e instanceof Error ? e.message : String(e) });
      return;
    }
    const { info, recurrent } = this.run;
    this.port.send({
      type: 'ready',
      layout: {
        nodeIds: info.traceNodeIds,
        paramNames: info.traceParamNames,
        recurrent,
        parameterCount: info.parameterCount,
      },
    });
  }

  private train(steps: number | undefined): void {
    const run = this.run;
    if (!run) {
      this.port.send({ type: 'error', code: 'internal', message: 'the engine host was asked to train before it started' });
      return;
    }
    if (this.final) return this.port.send(this.final);
    if (this.training) return; // already training: the lab waits for 'paused' before it asks again
    const remaining = run.settings.steps - run.net.stepsDone;
    const slice = Math.min(steps ?? remaining, remaining);
    if (slice <= 0) return this.finish('completed');
    this.training = true;
    run.net.train(slice, (chunk) => this.onChunk(chunk)).then(
      (result) => this.trained(run, result),
      (error: unknown) => this.trainingFailed(error),
    );
  }

  private onChunk(chunk: TraceChunk): void {
    const loss = chunk.metrics.loss;
    if (loss.length > 0) this.lastLoss = loss[loss.length - 1];
    this.throttle.push(chunk);
  }

  private trained(run: PreparedRun, result: NativeTrainResult): void {
    this.training = false;
    this.throttle.flush();
    if (result.stopped === 'diverged') return this.finish('diverged', result.divergence);
    if (run.net.stepsDone >= run.settings.steps) return this.finish('completed');
    if (this.stopAsked) return this.finish('cancelled');
    this.port.send(this.stateMessage('paused'));
  }

  private trainingFailed(error: unknown): void {
    this.training = false;
    this.throttle.flush();
    this.port.send({ type: 'error', code: errorCode(error), message: error instanceof Error ? error.message : String(error) });
  }

  private pause(): void {
    if (this.training) this.run?.net.cancel(); // trained() reports 'paused' once the current step is done
    else if (this.final) this.port.send(this.final);
    // Idle: the slice this pause meant to interrupt has ended and said 'paused' already. Saying it
    // again could reach the lab after its next train command and mark a training run paused.
  }

  private stop(): void {
    this.stopAsked = true;
    if (this.training) this.run?.net.cancel(); // trained() reports 'cancelled' once the current step is done
    else if (this.final) this.port.send(this.final);
    else this.finish('cancelled');
  }

  private finish(state: Exclude<HostRunState, 'paused'>, divergence?: string): void {
    this.final = this.stateMessage(state, divergence);
    this.port.send(this.final);
  }

  private stateMessage(state: HostRunState, divergence?: string): StateMessage {
    return {
      type: 'state',
      state,
      stepsDone: this.run?.net.stepsDone ?? 0,
      ...(this.lastLoss === undefined ? {} : { lastLoss: this.lastLoss }),
      ...(divergence === undefined ? {} : { divergence }),
    };
  }
}
