/**
 * The live traces of the runs: one TraceAccumulator per run, fed by the
 * 'run.traces' chunks and started from a 'runs.traces' fetch when the renderer
 * joins a run midway. Plain objects and typed arrays, never reactive (STYLE rule
 * 11): the store exposes a version number that changes once per applied batch.
 *
 * Histograms are left out: no live chart shows them yet, and
 * TraceAccumulator.columnsSoFar() copies the whole histogram on every call, which
 * for a long run (rows x tensors x 33 counts) would be tens of megabytes a frame.
 * A histogram view should fetch them with runs.traces when it is opened.
 */
import type { RunSummary } from '../../../core/api/labApi.ts';
import { TraceAccumulator } from '../../../core/traces/accumulator.ts';
import { evaluationEnd, type TraceChunk } from '../../../core/traces/chunk.ts';
import type { TraceColumns } from '../../../core/traces/metrics.ts';
import { accumulatorFrom } from '../traces/columnsChunk.ts';

interface LiveTrace {
  acc: TraceAccumulator | null;
  /** Chunks received but not applied yet (applied once per frame, or after a fetch). */
  queue: TraceChunk[];
  fetching: boolean;
  /** A fetch finished (with traces or with none yet): chunks from step 0 continue it, no need to fetch again. */
  loaded: boolean;
  /** The columns handed out last, rebuilt only when the accumulator grew. */
  snapshot: TraceColumns | null;
  stale: boolean;
}

export type FetchTraces = (runId: string) => Promise<TraceColumns | null>;

/** What a batch of chunks did to a run: applied, or the run must be fetched whole. */
type ApplyResult = 'applied' | 'refetch' | 'idle';

const NO_HISTOGRAM = new Uint32Array(0);

/** A batch of chunks that took longer than this to apply (ms) announces itself in a task of its own. */
const SLOW_APPLY_MS = 12;

function lastStepOf(chunk: TraceChunk): number {
  return chunk.stepFrom + chunk.metrics.loss.length;
}

export class LiveTraces {
  private readonly runs = new Map<string, LiveTrace>();

  /** `fetch`: all traces of a run so far (runs.traces). `changed`: called after traces changed. */
  constructor(
    private readonly fetch: FetchTraces,
    private readonly changed: () => void,
  ) {}

  private entry(runId: string): LiveTrace {
    let e = this.runs.get(runId);
    if (!e) this.runs.set(runId, (e = { acc: null, queue: [], fetching: false, loaded: false, snapshot: null, stale: false }));
    return e;
  }

  /** Keeps a chunk for the next apply(). */
  receive(runId: string, chunk: TraceChunk): void {
    this.entry(runId).queue.push({ ...chunk, histogram: NO_HISTOGRAM });
  }

  /**
   * Applies every queued chunk (call once per frame). A run joined midway, or whose
   * chunks do not line up, is fetched whole; `summaries` gives the layout of runs
   * whose first chunk arrives (so a new run is live from its first step).
   */
  apply(summaries: readonly RunSummary[]): void {
    let any = false;
    const start = performance.now();
    for (const [runId, e] of this.runs) {
      if (e.fetching || e.queue.length === 0) continue;
      const result = this.applyQueue(e, summaries.find((r) => r.id === runId));
      if (result === 'refetch') void this.load(runId);
      if (result === 'applied') any = true;
    }
    if (!any) return;
    // A slow batch (a long run's columns doubling their storage: tens of megabytes
    // copied) is not followed by the charts' re-render in the same task: that waits
    // for a task of its own.
    if (performance.now() - start < SLOW_APPLY_MS) this.changed();
    else setTimeout(() => this.changed(), 0);
  }

  private applyQueue(e: LiveTrace, summary: RunSummary | undefined): ApplyResult {
    const queue = e.queue;
    e.queue = [];
    let applied = false;
    const first = queue[0];
    if (e.acc === null && first && first.stepFrom === 0 && first.rowFrom === 0 && summary && !summary.layout) {
      // A new run's first chunks came before the summary that carries its layout (the
      // runs.start reply, the next run.updated): they wait for it. Fetching the run
      // whole instead would decode thousands of steps at once, a few frames later.
      e.queue = queue;
      return 'idle';
    }
    for (const chunk of queue) {
      if (e.acc === null && chunk.stepFrom === 0 && chunk.rowFrom === 0 && summary?.layout) {
        // A run's first chunk: its layout came with the run's summary, nothing to fetch.
        const { nodeIds, paramNames, recurrent } = summary.layout;
        e.acc = new TraceAccumulator(nodeIds, paramNames, recurrent);
        // The whole run's columns at once: growing them by doubling would copy tens of MB in one task.
        e.acc.reserve(Math.ceil(summary.steps / summary.settings.trace_every), summary.steps);
      }
      const acc = e.acc;
      if (!acc) return 'refetch';
      const held =
        lastStepOf(chunk) <= acc.stepCount &&
        chunk.rowFrom + chunk.steps.length <= acc.rowCount &&
        evaluationEnd(chunk) <= acc.evaluationCount; // a chunk of test evaluations only adds no step
      if (held) continue;
      if (chunk.stepFrom !== acc.stepCount || chunk.rowFrom !== acc.rowCount) return 'refetch';
      try {
        acc.append(chunk);
      } catch (err) {
        console.warn('a trace chunk did not fit its run; fetching the whole run', err);
        return 'refetch';
      }
      applied = true;
    }
    if (applied) e.stale = true;
    return applied ? 'applied' : 'idle';
  }

  /** Fetches a run's traces whole (joining it, or after chunks went missing), then applies what queued meanwhile. */
  async load(runId: string, summaries: readonly RunSummary[] = []): Promise<void> {
    const e = this.entry(runId);
    if (e.fetching) return;
    e.fetching = true;
    try {
      const cols = await this.fetch(runId);
      if (this.runs.get(runId) !== e) return; // forgotten meanwhile
      e.acc = cols ? accumulatorFrom({ ...cols, histogram: NO_HISTOGRAM }) : null;
      e.loaded = true;
      e.stale = true;
    } catch (err) {
      console.warn(`could not fetch the traces of run ${runId}`, err);
    } finally {
      e.fetching = false;
    }
    if (this.runs.get(runId) !== e) return;
    this.applyQueue(e, summaries.find((r) => r.id === runId));
    this.changed();
  }

  /**
   * True when the run's traces are held or on their way: fetched, or streaming
   * from step 0 (a new run's first chunks wait for the next frame; fetching the
   * whole run meanwhile would decode thousands of steps in one task for nothing).
   */
  has(runId: string): boolean {
    const e = this.runs.get(runId);
    return !!e && (e.acc !== null || e.fetching || e.loaded || e.queue.some((c) => c.stepFrom === 0 && c.rowFrom === 0));
  }

  /** The traces of a run so far; null when none are held. Cheap when nothing changed since the last call. */
  columns(runId: string): TraceColumns | null {
    const e = this.runs.get(runId);
    if (!e?.acc) return null;
    if (e.stale || !e.snapshot) {
      e.snapshot = e.acc.stepCount > 0 ? e.acc.columnsSoFar() : null;
      e.stale = false;
    }
    return e.snapshot;
  }

  /** Steps held for a run (0 when none). */
  stepCount(runId: string): number {
    return this.runs.get(runId)?.acc?.stepCount ?? 0;
  }

  /** Drops a run's traces (deleted, restarted, or a new project). */
  forget(runId: string): void {
    this.runs.delete(runId);
  }

  /** Drops the traces of every run not in `keep`. */
  retain(keep: ReadonlySet<string>): void {
    for (const id of [...this.runs.keys()]) if (!keep.has(id)) this.runs.delete(id);
  }

  clear(): void {
    this.runs.clear();
  }
}
