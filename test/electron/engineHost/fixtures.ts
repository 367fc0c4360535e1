// What the engine host tests share: a small job (input(2) -> dense(16) -> tanh ->
// dense(3) on a three-armed spiral), a recorder of EngineRun events, and a wait helper.
import { makeDataset } from '../../../core/datasets/catalog.ts';
import type { TraceChunk } from '../../../core/traces/chunk.ts';
import type { TrainingSettingsInput } from '../../../core/training/settings.ts';
import { prepareRun, trainPrepared } from '../../../electron/engine/trainer.ts';
import type { EngineJob, EngineRunDetail, EngineRunEvents, EngineRunState } from '../../../electron/engineHost/engineRun.ts';

export const smallNetwork = {
  format: 'vglab-network/1',
  nodes: [
    { id: 'x', type: 'input', params: { features: 2 } },
    { id: 'd1', type: 'dense', params: { units: 16 } },
    { id: 't1', type: 'tanh' },
    { id: 'out', type: 'dense', params: { units: 3 } },
  ],
  edges: [
    { from: 'x', to: 'd1' },
    { from: 'd1', to: 't1' },
    { from: 't1', to: 'out' },
  ],
  loss: { type: 'softmax_cross_entropy' },
};

export function smallJob(settings: Partial<TrainingSettingsInput> = {}): EngineJob {
  return {
    network: smallNetwork,
    settings: { optimizer: { type: 'adam', lr: 0.01 }, batch_size: 32, steps: 300, trace_every: 10, seed: 7, ...settings },
    dataset: { name: 'spiral', options: { n: 300, classes: 3, seed: 5 } },
  };
}

/** The loss of every step of `job` trained in this process: what the host must reproduce bit for bit. */
export async function lossInProcess(job: EngineJob): Promise<Float32Array> {
  if ('csv' in job.dataset) throw new Error('lossInProcess: built-in data sets only');
  const run = prepareRun(job.network, job.settings, makeDataset(job.dataset.name, job.dataset.options));
  const trained = await trainPrepared(run);
  return Float32Array.from(trained.traces.metrics.loss);
}

/** Every event of an EngineRun, with the wall time it arrived at. */
export class Recorder implements EngineRunEvents {
  chunks: { chunk: TraceChunk; stepsDone: number; at: number }[] = [];
  states: { state: EngineRunState; detail: EngineRunDetail }[] = [];
  private waiters: { state: EngineRunState; resolve: (detail: EngineRunDetail) => void }[] = [];

  onChunk(chunk: TraceChunk, stepsDone: number): void {
    this.chunks.push({ chunk, stepsDone, at: performance.now() });
  }

  onState(state: EngineRunState, detail: EngineRunDetail): void {
    this.states.push({ state, detail });
    for (const w of this.waiters.filter((w) => w.state === state)) w.resolve(detail);
    this.waiters = this.waiters.filter((w) => w.state !== state);
  }

  /** Resolves at the next onState(state) (or at once if it was the last state seen). */
  next(state: EngineRunState): Promise<EngineRunDetail> {
    const last = this.states[this.states.length - 1];
    if (last?.state === state) return Promise.resolve(last.detail);
    return new Promise((resolve) => this.waiters.push({ state, resolve }));
  }

  stateNames(): EngineRunState[] {
    return this.states.map((s) => s.state);
  }

  /** The loss of every step delivered, chunks joined in order. */
  loss(): Float32Array {
    const all = new Float32Array(this.chunks.reduce((n, c) => n + c.chunk.metrics.loss.length, 0));
    let at = 0;
    for (const { chunk } of this.chunks) {
      all.set(chunk.metrics.loss, at);
      at += chunk.metrics.loss.length;
    }
    return all;
  }

  /** Throws unless every chunk starts where the one before it ended. */
  expectContiguous(): void {
    let step = 0;
    let row = 0;
    for (const { chunk } of this.chunks) {
      if (chunk.stepFrom !== step || chunk.rowFrom !== row) {
        throw new Error(`chunk at step ${chunk.stepFrom}, row ${chunk.rowFrom}; expected step ${step}, row ${row}`);
      }
      step += chunk.metrics.loss.length;
      row += chunk.steps.length;
    }
  }
}
