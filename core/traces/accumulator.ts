/**
 * Rebuilds a run's TraceColumns from the chunks the engine streams, growing each
 * column geometrically (amortised O(1) per value, no per-number objects).
 */
import type { TraceChunk } from './chunk.ts';
import { EVALUATION_METRICS, type EvaluationChunk, type EvaluationMetricId } from './evaluation.ts';
import {
  RECURRENT_METRICS,
  TRACE_METRICS,
  type RecurrentColumns,
  type RecurrentLayout,
  type RecurrentMetricId,
  type TraceColumns,
  type TraceMetricId,
  entityCount,
  recurrentWidth,
} from './metrics.ts';

class GrowingFloat32 {
  data = new Float32Array(64);
  length = 0;
  append(values: Float32Array): void {
    if (this.length + values.length > this.data.length) {
      const next = new Float32Array(Math.max(this.data.length * 2, this.length + values.length));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }
  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
  /** Makes room for `capacity` values at once (never shrinks). */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Float32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

/** The most reserve() allocates up front; a larger run grows as it goes. */
export const MAX_RESERVED_BYTES = 128 * 2 ** 20;

export class TraceAccumulator {
  private readonly columns = new Map<TraceMetricId, GrowingFloat32>();
  private readonly recurrentColumns = new Map<RecurrentMetricId, GrowingFloat32>();
  private steps: number[] = [];
  private histogram: Uint32Array[] = [];
  private histogramLength = 0;
  private stepTotal = 0;
  private rowTotal = 0;
  private readonly evaluationColumns = new Map<EvaluationMetricId, GrowingFloat32>();
  private evaluationSteps: number[] = [];

  /** `recurrent`: the recurrent nodes whose metrics the chunks carry (recurrentLayouts); none by default. */
  constructor(
    readonly nodeIds: string[],
    readonly paramNames: string[],
    readonly recurrent: readonly RecurrentLayout[] = [],
  ) {
    for (const m of TRACE_METRICS) this.columns.set(m.id, new GrowingFloat32());
    if (recurrent.length > 0) for (const m of RECURRENT_METRICS) this.recurrentColumns.set(m.id, new GrowingFloat32());
    for (const m of EVALUATION_METRICS) this.evaluationColumns.set(m.id, new GrowingFloat32());
  }

  /** Training steps received so far. */
  get stepCount(): number {
    return this.stepTotal;
  }

  /** Traced rows received so far. */
  get rowCount(): number {
    return this.rowTotal;
  }

  /** Evaluations of the test part received so far. */
  get evaluationCount(): number {
    return this.evaluationSteps.length;
  }

  /**
   * Allocates the columns for a run of `steps` training steps and `rows` traced rows
   * once, up front, when that fits MAX_RESERVED_BYTES. Otherwise every column of the
   * same width doubles in the same append, copying tens of megabytes in one task of a
   * live page near 25,000 and 50,000 rows. Returns whether it reserved.
   */
  reserve(rows: number, steps: number): boolean {
    const ids = { nodeIds: this.nodeIds, paramNames: this.paramNames };
    const width = (m: (typeof TRACE_METRICS)[number]) => (m.scope === 'step' ? steps : rows * entityCount(ids, m.scope));
    let values = TRACE_METRICS.reduce((sum, m) => sum + width(m), 0);
    for (const m of RECURRENT_METRICS) if (this.recurrentColumns.has(m.id)) values += rows * recurrentWidth(this.recurrent, m.scope);
    if (!(values * 4 <= MAX_RESERVED_BYTES) || !Number.isInteger(rows) || !Number.isInteger(steps) || rows < 0 || steps < 0) return false;
    for (const m of TRACE_METRICS) this.columns.get(m.id)!.reserve(width(m));
    for (const [id, column] of this.recurrentColumns) {
      const m = RECURRENT_METRICS.find((r) => r.id === id)!;
      column.reserve(rows * recurrentWidth(this.recurrent, m.scope));
    }
    return true;
  }

  /** Appends the next chunk; chunks must arrive in order, without gaps. */
  append(chunk: TraceChunk): void {
    if (chunk.stepFrom !== this.stepTotal || chunk.rowFrom !== this.rowTotal) {
      throw new Error(
        `trace chunk out of order: it starts at step ${chunk.stepFrom}, row ${chunk.rowFrom}; expected step ${this.stepTotal}, row ${this.rowTotal}`,
      );
    }
    // Every column is checked before any is appended, so a bad chunk leaves the run as it was.
    const ids = { nodeIds: this.nodeIds, paramNames: this.paramNames };
    for (const m of TRACE_METRICS) {
      const values = chunk.metrics[m.id];
      const expected = m.scope === 'step' ? chunk.metrics.loss.length : chunk.steps.length * entityCount(ids, m.scope);
      if (values.length !== expected) throw new Error(`trace chunk: ${m.id} has ${values.length} values, expected ${expected}`);
    }
    if (this.recurrent.length > 0) {
      for (const m of RECURRENT_METRICS) {
        const length = chunk.metrics[m.id]?.length;
        const expected = chunk.steps.length * recurrentWidth(this.recurrent, m.scope);
        if (length !== expected) {
          throw new Error(`trace chunk: ${m.id} has ${length ?? 'no'} values, expected ${expected}`);
        }
      }
    }
    if (chunk.evaluation) this.checkEvaluation(chunk.evaluation);
    for (const m of TRACE_METRICS) this.columns.get(m.id)!.append(chunk.metrics[m.id]);
    for (const [id, column] of this.recurrentColumns) column.append(chunk.metrics[id]!);
    for (const s of chunk.steps) this.steps.push(s);
    if (chunk.histogram.length > 0) {
      this.histogram.push(chunk.histogram);
      this.histogramLength += chunk.histogram.length;
    }
    this.stepTotal += chunk.metrics.loss.length;
    this.rowTotal += chunk.steps.length;
    if (chunk.evaluation) {
      for (const m of EVALUATION_METRICS) this.evaluationColumns.get(m.id)!.append(chunk.evaluation.metrics[m.id]);
      for (const s of chunk.evaluation.steps) this.evaluationSteps.push(s);
    }
  }

  /** Throws unless `e` continues the evaluations so far: in order, on increasing steps, every column as long as its steps. */
  private checkEvaluation(e: EvaluationChunk): void {
    const count = this.evaluationSteps.length;
    if (e.from !== count) throw new Error(`trace chunk: its evaluations start at ${e.from}; expected ${count}`);
    let last = count > 0 ? this.evaluationSteps[count - 1] : -1;
    for (const s of e.steps) {
      if (!(s > last)) throw new Error(`trace chunk: evaluation at step ${s} does not come after step ${last}`);
      last = s;
    }
    for (const m of EVALUATION_METRICS) {
      const length = e.metrics[m.id]?.length;
      if (length !== e.steps.length) throw new Error(`trace chunk: ${m.id} has ${length ?? 'no'} values, expected ${e.steps.length}`);
    }
  }

  /** The traces so far (metric columns are views: copy them to keep them past the next append). */
  columnsSoFar(): TraceColumns {
    const metrics = Object.fromEntries(
      TRACE_METRICS.map((m) => [m.id, this.columns.get(m.id)!.view()]),
    ) as TraceColumns['metrics'];
    // Histogram chunks are joined once here and kept joined, so repeated calls stay cheap.
    const histogram = new Uint32Array(this.histogramLength);
    let at = 0;
    for (const h of this.histogram) {
      histogram.set(h, at);
      at += h.length;
    }
    this.histogram = histogram.length > 0 ? [histogram] : [];
    const recurrent: RecurrentColumns = {
      nodes: this.recurrent.map((n) => ({ ...n, gates: [...n.gates] })),
      metrics: Object.fromEntries(
        RECURRENT_METRICS.map((m) => [m.id, this.recurrentColumns.get(m.id)?.view() ?? new Float32Array(0)]),
      ) as RecurrentColumns['metrics'],
    };
    const evaluation =
      this.evaluationSteps.length === 0
        ? undefined
        : {
            steps: Int32Array.from(this.evaluationSteps),
            metrics: Object.fromEntries(
              EVALUATION_METRICS.map((m) => [m.id, this.evaluationColumns.get(m.id)!.view()]),
            ) as EvaluationChunk['metrics'],
          };
    return {
      steps: Int32Array.from(this.steps),
      nodeIds: [...this.nodeIds],
      paramNames: [...this.paramNames],
      metrics,
      histogram,
      recurrent,
      ...(evaluation ? { evaluation } : {}),
    };
  }
}
