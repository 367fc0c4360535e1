/**
 * A chunk of trace data as the engine streams it: the new training steps and the
 * new traced rows since the previous chunk. Column-wise: one typed array per metric,
 * row-major [row][entity] with the entities listed once per run (node ids, parameter
 * names). What each metric means is defined in ./metrics.ts.
 */
export interface TraceChunk {
  /** Index of the first training step in `loss` and `accuracy`. */
  stepFrom: number;
  /** Index of the first traced row in the per-row columns. */
  rowFrom: number;
  /** Per training step. */
  loss: Float32Array;
  accuracy: Float32Array;
  /** Per traced row: the training step it was taken at. */
  tracedStep: Int32Array;
  /** [row][node] */
  outGradNorm: Float32Array;
  actMean: Float32Array;
  actStd: Float32Array;
  saturatedFrac: Float32Array;
  /** [row][param] */
  gradNorm: Float32Array;
  paramNorm: Float32Array;
  gradMeanAbs: Float32Array;
  gradMaxAbs: Float32Array;
  updateRatio: Float32Array;
  /** [row][param][HIST_BINS + 1]; the last count of each is exact zeros. Empty when histograms are off. */
  histogram: Uint32Array;
}
