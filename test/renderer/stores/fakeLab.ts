/**
 * A scripted LabClient for the runs store's unit tests only: it answers the run
 * methods from a table and lets a test push events (trace chunks in any order,
 * restarts) that the real engine would produce only with exact timing.
 */
import type { LabEvent, LabEvents, LabMethod, LabParams, LabResults, RunSummary } from '../../../core/api/labApi.ts';
import type { TraceColumns } from '../../../core/traces/metrics.ts';
import { EventListeners } from '../../../renderer/src/api/listeners.ts';
import type { LabTransport } from '../../../renderer/src/api/transport.ts';
import { NODE_IDS, PARAM_NAMES } from '../helpers.ts';

export function summary(id: string, patch: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    label: `Run ${id}`,
    createdAt: '2026-11-29T10:00:00Z',
    state: 'created',
    stepsDone: 0,
    steps: 100,
    network: { format: 'vglab-network/1', nodes: [], edges: [], loss: { type: 'mse' } },
    dataset: { name: 'xor', options: {} },
    settings: {
      optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0 },
      batch_size: 32,
      steps: 100,
      trace_every: 1,
      seed: 0,
      histogram: false,
      activation_stats: true,
      test_fraction: 0,
    },
    layout: { nodeIds: [...NODE_IDS], paramNames: [...PARAM_NAMES], recurrent: [], parameterCount: 10 },
    ...patch,
  };
}

export class FakeLab implements LabTransport {
  readonly connection = 'open' as const;
  readonly calls: { method: LabMethod; params: unknown }[] = [];
  readonly events = new EventListeners();
  runs: RunSummary[] = [];
  traces = new Map<string, TraceColumns | null>();
  /** Resolves runs.traces only when the test says so (to push chunks meanwhile). */
  holdTraces: Promise<void> | null = null;
  failWith: Partial<Record<LabMethod, Error>> = {};

  onConnection(): () => void {
    return () => {};
  }

  close(): void {}

  on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
    return this.events.add(event, listener);
  }

  emit<E extends LabEvent>(event: E, payload: LabEvents[E]): void {
    this.events.emit(event, payload);
  }

  async invoke<M extends LabMethod>(method: M, params: LabParams<M>): Promise<LabResults[M]> {
    this.calls.push({ method, params });
    const failure = this.failWith[method];
    if (failure) throw failure;
    const p = params as { runId?: string; steps?: number };
    const set = (runId: string, patch: Partial<RunSummary>) => {
      const run = { ...this.runs.find((r) => r.id === runId)!, ...patch };
      this.runs = this.runs.map((r) => (r.id === runId ? run : r));
      return run;
    };
    const answers: Partial<{ [K in LabMethod]: () => unknown }> = {
      'runs.list': () => this.runs,
      'runs.create': () => {
        const run = summary(`r${this.runs.length + 1}`);
        this.runs = [...this.runs, run];
        return run;
      },
      'runs.start': () => set(p.runId!, { state: 'running' }),
      'runs.pause': () => set(p.runId!, { state: 'paused' }),
      'runs.resume': () => set(p.runId!, { state: 'running' }),
      'runs.stop': () => set(p.runId!, { state: 'cancelled' }),
      'runs.restart': () => set(p.runId!, { state: 'created', stepsDone: 0 }),
      'runs.step': () => set(p.runId!, { state: 'paused', stepsDone: (this.runs.find((r) => r.id === p.runId)?.stepsDone ?? 0) + (p.steps ?? 1) }),
      'runs.delete': () => (this.runs = this.runs.filter((r) => r.id !== p.runId)),
      'runs.traces': async () => {
        await this.holdTraces;
        return { runId: p.runId!, stepsDone: 0, traces: this.traces.get(p.runId!) ?? null };
      },
    };
    const answer = answers[method];
    if (!answer) throw new Error(`FakeLab does not answer ${method}`);
    return (await answer()) as LabResults[M];
  }
}
