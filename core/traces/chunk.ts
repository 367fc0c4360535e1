import { EVALUATION_METRIC_IDS, type EvaluationChunk } from './evaluation.ts';
import type { RecurrentMetricId, TraceMetricId } from './metrics.ts';

/**
 * A chunk of trace data as the engine streams it: the new training steps and the new
 * traced rows since the previous chunk, column-wise, keyed by the metric ids of
 * ./metrics.ts (which also says what each one means). Appending chunks in order
 * rebuilds a run's TraceColumns.
 */
export interface TraceChunk {
  /** Index of the first training step in the step metrics (loss, accuracy). */
  stepFrom: number;
  /** Index of the first traced row in the node and parameter metrics. */
  rowFrom: number;
  /** The training step of each traced row in this chunk. */
  steps: Int32Array;
  /**
   * Step metrics: one value per training step from stepFrom. Node metrics: [row][node];
   * parameter metrics: [row][param], entities in the run's traceNodeIds / traceParamNames order.
   * Recurrent metrics (only when the network has recurrent nodes): [row][entity] over
   * the entities of their scope (every timestep, every gate or every recurrent node,
   * nodes in plan order; see RecurrentColumns).
   */
  metrics: { [K in TraceMetricId]: Float32Array } & { [K in RecurrentMetricId]?: Float32Array };
  /** [row][param][HIST_STRIDE]; the last count of each is exact zeros. Empty when histograms are off. */
  histogram: Uint32Array;
  /**
   * Evaluations of the held-out test part made since the previous chunk (only in a
   * run with a test part). A chunk may carry evaluations and no steps: the one made
   * before the first step, or after the last.
   */
  evaluation?: EvaluationChunk;
}

type TraceArray = Float32Array | Int32Array | Uint32Array;

function concat<T extends TraceArray>(a: T, b: T): T {
  const out = new (a.constructor as new (length: number) => T)(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * One chunk holding `a` followed by `b`, for sending fewer, larger messages. `b`
 * must start where `a` ends (step and row); the inputs are left untouched.
 */
export function mergeChunks(a: TraceChunk, b: TraceChunk): TraceChunk {
  const aSteps = a.metrics.loss.length;
  if (b.stepFrom !== a.stepFrom + aSteps || b.rowFrom !== a.rowFrom + a.steps.length) {
    throw new Error(
      `trace chunks are not consecutive: the first ends before step ${a.stepFrom + aSteps}, row ${a.rowFrom + a.steps.length}; ` +
        `the second starts at step ${b.stepFrom}, row ${b.rowFrom}`,
    );
  }
  const metrics: Partial<Record<string, Float32Array>> = {};
  for (const id of new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])) {
    const x = (a.metrics as Partial<Record<string, Float32Array>>)[id];
    const y = (b.metrics as Partial<Record<string, Float32Array>>)[id];
    // A network's chunks all carry the same metrics; one missing means they come from different runs.
    if (x === undefined || y === undefined) throw new Error(`trace chunks differ: only one of them has ${id}`);
    metrics[id] = concat(x, y);
  }
  const evaluation = mergeEvaluations(a.evaluation, b.evaluation);
  return {
    stepFrom: a.stepFrom,
    rowFrom: a.rowFrom,
    steps: concat(a.steps, b.steps),
    metrics: metrics as TraceChunk['metrics'],
    histogram: concat(a.histogram, b.histogram),
    ...(evaluation ? { evaluation } : {}),
  };
}

function mergeEvaluations(a: EvaluationChunk | undefined, b: EvaluationChunk | undefined): EvaluationChunk | undefined {
  if (!a || !b) return a ?? b;
  if (b.from !== a.from + a.steps.length) {
    throw new Error(`trace chunks are not consecutive: the first ends before evaluation ${a.from + a.steps.length}, the second starts at ${b.from}`);
  }
  const metrics = Object.fromEntries(EVALUATION_METRIC_IDS.map((id) => [id, concat(a.metrics[id], b.metrics[id])]));
  return { from: a.from, steps: concat(a.steps, b.steps), metrics: metrics as EvaluationChunk['metrics'] };
}

/** Index just past the chunk's last evaluation; -1 when the chunk carries none. */
export function evaluationEnd(chunk: TraceChunk): number {
  return chunk.evaluation ? chunk.evaluation.from + chunk.evaluation.steps.length : -1;
}
