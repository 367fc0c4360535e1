/**
 * Questions to a run's trained network, put together from what its engine answers:
 * outputs for given inputs (sizes checked first, so the message names the field),
 * Jacobian spectra at rows of its own data set, and a classifier's decision
 * boundary over its two input features. Which engine answers (the run's own host
 * while it is paused, or a query host with its kept weights) is the RunManager's
 * business; these only need the three queries.
 */
import { LabError, type DecisionBoundary, type JacobianSpectra, type Prediction } from '../../core/api/labApi.ts';
import { rowLength, type Dataset } from '../../core/datasets/dataset.ts';
import type { NetworkSpec } from '../../core/network/spec.ts';
import { validateNetwork, type NetworkPlan } from '../../core/network/validate.ts';

/** The queries an engine answers (EngineRun's, in a host process). */
export interface NetworkQueries {
  predict(x: Float32Array, rows: number): Promise<Float32Array>;
  jacobian(x: Float32Array, samples: number): Promise<JacobianSpectra>;
  weights(): Promise<Record<string, Float32Array>>;
}

/** Data points a decision boundary shows at most (every k-th row beyond). */
export const MAX_BOUNDARY_POINTS = 2000;
/** How far the grid reaches past the data, as a share of its range on each side. */
const BOUNDARY_MARGIN = 0.1;

function planOf(network: NetworkSpec): NetworkPlan {
  const v = validateNetwork(network);
  // A run's network compiled when it trained; failing now is a bug, not the student's input.
  if (!v.ok) throw new LabError('internal', `the run's network no longer validates: ${v.errors.map((e) => e.message).join('; ')}`);
  return v.plan;
}

/** Values of x per row the network reads: input features, times timesteps for a sequence input. */
export function inputWidth(network: NetworkSpec): number {
  const plan = planOf(network);
  return plan.shapes[plan.input] * plan.time[plan.input];
}

/** LabError('invalid-input') unless x holds rows x input width values. */
export function checkPredictInput(network: NetworkSpec, x: Float32Array, rows: number): void {
  const width = inputWidth(network);
  if (x.length !== rows * width) {
    throw new LabError(
      'invalid-input',
      `runs.predict: x holds ${x.length} values; ${rows} rows of ${width} inputs need ${rows * width}`,
    );
  }
}

/** The network's outputs for `rows` rows of x (checked with checkPredictInput). */
export async function predictRows(engine: NetworkQueries, x: Float32Array, rows: number): Promise<Prediction> {
  const output = await engine.predict(x, rows);
  return { output, outputs: output.length / rows };
}

/** `samples` rows spread evenly over the data set (generated sets are often sorted by class), x (samples, row length). */
export function spreadRows(ds: Dataset, samples: number): { x: Float32Array; samples: number } {
  const m = Math.min(samples, ds.n);
  const width = rowLength(ds);
  const x = new Float32Array(m * width);
  for (let k = 0; k < m; k++) {
    const row = Math.floor((k * ds.n) / m);
    x.set(ds.x.subarray(row * width, row * width + width), k * width);
  }
  return { x, samples: m };
}

/** Jacobian spectra at `samples` rows of the run's own data set. */
export async function jacobianOnData(engine: NetworkQueries, ds: Dataset, samples: number): Promise<JacobianSpectra> {
  if (ds.n === 0) throw new LabError('invalid-input', `runs.jacobian: the "${ds.name}" data set has no rows`);
  const rows = spreadRows(ds, samples);
  return engine.jacobian(rows.x, rows.samples);
}

/**
 * LabError('invalid-input') naming why a decision boundary cannot be drawn for this
 * network and data set (not a 2-feature, plain classification set; an mse output).
 */
export function checkBoundaryData(network: NetworkSpec, ds: Dataset): void {
  const refusal = boundaryRefusal(network, ds);
  if (refusal) throw new LabError('invalid-input', `runs.decisionBoundary: ${refusal}`);
}

function boundaryRefusal(network: NetworkSpec, ds: Dataset): string | null {
  const set = `the "${ds.name}" data set`;
  if (ds.task !== 'classification') return `${set} is a regression task; a decision boundary separates classes`;
  if (ds.steps !== undefined) return `${set} holds sequences of ${ds.steps} steps; a decision boundary needs one point per row`;
  if (ds.features !== 2) return `${set} has ${ds.features} features; a decision boundary is drawn over exactly 2`;
  if (ds.n === 0) return `${set} has no rows`;
  if (network.loss.type === 'mse') return "the network's loss is mse, so its outputs are not class probabilities";
  return null;
}

/** [lo, hi] of feature f over the rows, widened by the margin; a feature with no spread gets 1 around its value. */
function featureRange(ds: Dataset, f: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < ds.n; r++) {
    const v = ds.x[r * 2 + f];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [-0.5, 0.5];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * BOUNDARY_MARGIN;
  return [lo - pad, hi + pad];
}

/** Softmax of each row of `logits` (cells, k), or the sigmoid of each value; in float64, stored as float32. */
function probabilitiesOf(logits: Float32Array, cells: number, loss: NetworkSpec['loss']['type']): Float32Array {
  const k = logits.length / cells;
  const out = new Float32Array(logits.length);
  if (loss === 'bce_with_logits') {
    for (let i = 0; i < logits.length; i++) out[i] = 1 / (1 + Math.exp(-logits[i]));
    return out;
  }
  for (let c = 0; c < cells; c++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[c * k + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logits[c * k + j] - max);
    for (let j = 0; j < k; j++) out[c * k + j] = Math.exp(logits[c * k + j] - max) / sum;
  }
  return out;
}

/** The data set's rows as points, every k-th row beyond MAX_BOUNDARY_POINTS. */
function boundaryPoints(ds: Dataset): DecisionBoundary['points'] {
  const stride = Math.ceil(ds.n / MAX_BOUNDARY_POINTS);
  const rows = Math.ceil(ds.n / stride);
  const x = new Float32Array(rows * 2);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = i * stride;
    x[i * 2] = ds.x[r * 2];
    x[i * 2 + 1] = ds.x[r * 2 + 1];
    y[i] = ds.y[r];
  }
  return { x, y, rows };
}

/**
 * Class probabilities over a resolution x resolution grid spanning the data (10%
 * margin), with the data's points. LabError('invalid-input') naming why when the
 * data set is not a 2-feature, plain (non-sequence) classification set.
 */
export async function decisionBoundary(
  engine: NetworkQueries,
  network: NetworkSpec,
  ds: Dataset,
  resolution: number,
): Promise<DecisionBoundary> {
  checkBoundaryData(network, ds);
  const [xMin, xMax] = featureRange(ds, 0);
  const [yMin, yMax] = featureRange(ds, 1);
  const n = resolution;
  const grid = { xMin, xMax, yMin, yMax, nx: n, ny: n };
  const inputs = new Float32Array(n * n * 2);
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const i = iy * n + ix;
      inputs[i * 2] = xMin + ((xMax - xMin) * ix) / (n - 1);
      inputs[i * 2 + 1] = yMin + ((yMax - yMin) * iy) / (n - 1);
    }
  }
  const logits = await engine.predict(inputs, n * n);
  const probabilities = probabilitiesOf(logits, n * n, network.loss.type);
  return { grid, probabilities, classes: probabilities.length / (n * n), points: boundaryPoints(ds) };
}
