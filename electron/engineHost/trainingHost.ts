/**
 * What the engine host process does with each command: builds the data set,
 * compiles the network, trains in slices (the native train() is resumable), and
 * reports chunks and states; between slices it answers queries (hostQueries.ts).
 * Transport-free (it talks through a HostPort), so the same logic runs in a Node
 * child process and in an Electron utilityProcess.
 */
import type { z } from 'zod';

import { MAX_RUN_MESSAGES_PER_SECOND } from '../../core/api/labApi.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import type { NativeTrainResult } from '../engine/addon.ts';
import { trainEvaluating } from '../engine/heldOut.ts';
import { type PreparedRun, prepareRun } from '../engine/trainer.ts';
import { ChunkThrottle } from './chunkThrottle.ts';
import { answerQuery, errorCode, loadWeights } from './hostQueries.ts';
import { buildJobDataset } from './jobDataset.ts';
import {
  type HostCommand,
  type HostMessage,
  type HostRunState,
  type QueryCommand,
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

export class TrainingHost {
  private run: PreparedRun | null = null;
  private training = false;
  private stopAsked = false;
  /** A pause arrived during the current slice (read between its segments when the run evaluates a test part). */
  private pauseAsked = false;
  /** The final state once reached (completed, cancelled, diverged); repeated if asked again. */
  private final: StateMessage | null = null;
  private lastLoss: number | undefined;
  private readonly throttle: ChunkThrottle;
  /** Commands waiting for an asynchronous query (a jacobian) to finish: the engine takes one call at a time. */
  private readonly waiting: HostCommand[] = [];
  private busy = false;

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
    this.waiting.push(parsed.data);
    if (!this.busy) this.drain();
  }

  /** Runs waiting commands in order; stops at one that is still working and goes on when it is done. */
  private drain(): void {
    while (this.waiting.length > 0) {
      const work = this.dispatch(this.waiting.shift()!);
      // instanceof, not truthiness: handlers `return port.send(...)`, whose value a port may make anything.
      if (work instanceof Promise) {
        this.busy = true;
        // (A rejection, a port that cannot send, stays unhandled: the host crashes and the lab says so.)
        void work.finally(() => {
          this.busy = false;
          this.drain();
        });
        return;
      }
    }
  }

  /** Handles one command; a promise (never rejecting) when it goes on after returning. */
  private dispatch(command: HostCommand): Promise<void> | void {
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
      case 'predict':
      case 'jacobian':
      case 'weights':
        return this.query(command);
    }
  }

  /** Answers a query unless the network is training (or was never compiled). */
  private query(command: QueryCommand): Promise<void> | void {
    const refuse = (message: string) => this.port.send({ type: 'refused', id: command.id, code: 'conflict', message });
    if (!this.run) return refuse('the engine host has not compiled a network yet');
    if (this.training) return refuse('the network is training; pause the run to ask it questions');
    return answerQuery(this.run, command).then((reply) => this.port.send(reply));
  }

  private start(job: EngineJobMessage): void {
    if (this.run) {
      this.port.send({ type: 'error', code: 'internal', message: 'the engine host was started twice' });
      return;
    }
    try {
      const dataset = buildJobDataset(job);
      const options = job.memoryCapBytes === undefined ? {} : { memoryCapBytes: job.memoryCapBytes };
      const run = prepareRun(job.network, job.settings, dataset, options);
      if (job.weights) loadWeights(run, job.weights);
      this.run = run;
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
    this.pauseAsked = false;
    trainEvaluating(run, slice, (chunk) => this.onChunk(chunk), () => this.pauseAsked || this.stopAsked).then(
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
    if (this.training) {
      this.pauseAsked = true;
      this.run?.net.cancel(); // trained() reports 'paused' once the current step is done
    }
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

  /** The final state, with the weights (the lab keeps them once this process is gone). */
  private finish(state: Exclude<HostRunState, 'paused'>, divergence?: string): void {
    const final = this.stateMessage(state, divergence);
    try {
      if (this.run) final.weights = this.run.net.getParams();
    } catch {
      // Without weights the run still ends as it did; only questions to it afterwards are refused.
    }
    this.final = final;
    this.port.send(final);
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
