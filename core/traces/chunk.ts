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
}
