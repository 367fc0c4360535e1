/**
 * Engine hosts that only answer questions. A finished run's own host has exited
 * (a final state ends it), but the lab kept its weights; a query to such a run
 * starts a host with the run's job and those weights, which compiles the network
 * without training it, answers, and is ended after QUERY_HOST_IDLE_MS without a
 * question (the renderer tends to ask several in a row: a resolution slider, a
 * second chart). One per run at most; a host that dies is forgotten, and the next
 * question starts another.
 */
import type { EngineJob, EngineRunFactory, EngineRunLike } from './runManager.ts';

/** How long a query host waits for another question before it is ended (ms). */
export const QUERY_HOST_IDLE_MS = 30_000;

interface QueryHost {
  engine: EngineRunLike;
  /** Resolves once the network is compiled with the weights loaded; rejects with the host's LabError. */
  ready: Promise<EngineRunLike>;
  inFlight: number;
  idle: ReturnType<typeof setTimeout> | null;
}

export class QueryHosts {
  private readonly hosts = new Map<string, QueryHost>();

  constructor(
    private readonly factory: EngineRunFactory,
    private readonly idleMs = QUERY_HOST_IDLE_MS,
  ) {}

  /**
   * Asks the run's query host, starting one from `job` (which carries the kept
   * weights) when there is none. Rejects with the host's LabError: the start's
   * (a CSV file that moved, weights that do not fit) or the question's.
   */
  async ask<T>(runId: string, job: () => EngineJob, question: (engine: EngineRunLike) => Promise<T>): Promise<T> {
    const host = this.hosts.get(runId) ?? this.launch(runId, job());
    host.inFlight++;
    if (host.idle) clearTimeout(host.idle);
    host.idle = null;
    try {
      return await question(await host.ready);
    } finally {
      host.inFlight--;
      if (host.inFlight === 0 && this.hosts.get(runId) === host) {
        host.idle = setTimeout(() => this.end(runId), this.idleMs);
        host.idle.unref();
      }
    }
  }

  /** Whether the run has a query host now (for tests and diagnostics). */
  has(runId: string): boolean {
    return this.hosts.has(runId);
  }

  private launch(runId: string, job: EngineJob): QueryHost {
    const forget = () => {
      if (this.hosts.get(runId) !== host) return;
      this.hosts.delete(runId);
      if (host.idle) clearTimeout(host.idle);
    };
    const engine = this.factory(job, {
      onChunk: () => {},
      // A host that crashed or hung is gone: the next question starts a new one.
      onState: (state) => {
        if (state === 'failed') forget();
      },
    });
    const host: QueryHost = {
      engine,
      ready: engine.start().then(
        () => engine,
        (e: unknown) => {
          forget();
          engine.dispose();
          throw e;
        },
      ),
      inFlight: 0,
      idle: null,
    };
    this.hosts.set(runId, host);
    return host;
  }

  /** Ends the run's query host politely (it exits on its own); questions in flight are answered first. */
  end(runId: string): void {
    const host = this.hosts.get(runId);
    if (!host) return;
    this.hosts.delete(runId);
    if (host.idle) clearTimeout(host.idle);
    host.ready.then(
      (engine) => engine.stop().catch(() => engine.dispose()),
      () => {},
    );
  }

  /** Kills the run's query host at once (the run is deleted or restarted, or the lab closes). */
  kill(runId: string): void {
    const host = this.hosts.get(runId);
    if (!host) return;
    this.hosts.delete(runId);
    if (host.idle) clearTimeout(host.idle);
    host.engine.dispose();
  }

  killAll(): void {
    for (const runId of [...this.hosts.keys()]) this.kill(runId);
  }
}
