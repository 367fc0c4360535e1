// The in-memory data set every part of the app uses: rows of features in one
// Float32Array, targets beside them; plus the split and rescaling every run uses.
// A row is either one vector of `features` values or, for a sequence set, `steps`
// timesteps of `features` values each (one target per row either way).
import { Rng } from './rng.ts';

export type Task = 'classification' | 'regression';

interface DatasetBase {
  /** Catalog name of the generator ("spiral", "sine", ...), kept through splits. */
  name: string;
  /** Features, row-major: (n, features), or (n, steps, features) for a sequence set. */
  x: Float32Array;
  /** Number of rows (samples; a whole sequence is one row). */
  n: number;
  /** Features per row, or per timestep for a sequence set. */
  features: number;
  /** One name per feature, for axes and tables. */
  featureNames: string[];
  /** Timesteps per row when the rows are sequences; absent for plain rows. */
  steps?: number;
}

/** Values of x per row: features, times steps for a sequence set. */
export function rowLength(ds: Pick<Dataset, 'features' | 'steps'>): number {
  return ds.features * (ds.steps ?? 1);
}

export interface ClassificationDataset extends DatasetBase {
  task: 'classification';
  /** Class index of each row, in [0, classes). */
  y: Int32Array;
  classes: number;
}

export interface RegressionDataset extends DatasetBase {
  task: 'regression';
  /** One target value per row. */
  y: Float32Array;
  classes: 0;
}

export type Dataset = ClassificationDataset | RegressionDataset;

/** The same data set restricted to `rows` (in that order). */
export function selectRows(ds: Dataset, rows: ArrayLike<number>): Dataset {
  const f = rowLength(ds);
  const x = new Float32Array(rows.length * f);
  for (let r = 0; r < rows.length; r++) x.set(ds.x.subarray(rows[r] * f, rows[r] * f + f), r * f);
  const common = {
    name: ds.name,
    x,
    n: rows.length,
    features: ds.features,
    featureNames: [...ds.featureNames],
    ...(ds.steps !== undefined ? { steps: ds.steps } : {}),
  };
  if (ds.task === 'classification') {
    const y = new Int32Array(rows.length);
    for (let r = 0; r < rows.length; r++) y[r] = ds.y[rows[r]];
    return { ...common, task: 'classification', y, classes: ds.classes };
  }
  const y = new Float32Array(rows.length);
  for (let r = 0; r < rows.length; r++) y[r] = ds.y[rows[r]];
  return { ...common, task: 'regression', y, classes: 0 };
}

export interface TrainTestSplit {
  train: Dataset;
  test: Dataset;
  /** Row indices into the original set, in the order of each part. */
  trainRows: Int32Array;
  testRows: Int32Array;
}

/**
 * Shuffles the rows with `seed` and puts round(n * testFraction) of them into the
 * test part. Deterministic: the same set, fraction and seed give the same split.
 * `testFraction` is in [0, 1) and at least one row stays in the training part.
 */
export function splitTrainTest(ds: Dataset, testFraction: number, seed: number): TrainTestSplit {
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be a number from 0 up to (not including) 1 (got ${testFraction})`);
  }
  const nTest = Math.min(Math.round(ds.n * testFraction), ds.n - 1);
  const order = new Int32Array(ds.n);
  for (let i = 0; i < ds.n; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  const testRows = order.slice(0, nTest);
  const trainRows = order.slice(nTest);
  return { train: selectRows(ds, trainRows), test: selectRows(ds, testRows), trainRows, testRows };
}

export interface Standardized {
  dataset: Dataset;
  /**
   * Per-feature mean and standard deviation (population) of the input set; for a
   * sequence set over every row and every timestep, so all steps share one scale.
   */
  means: Float32Array;
  stds: Float32Array;
}

/**
 * Rescales every feature to mean 0 and standard deviation 1 (population std).
 * A constant feature keeps std 1, so it becomes all zeros instead of NaN.
 * Apply the same means and stds to a test set with applyStandardization.
 */
export function standardize(ds: Dataset): Standardized {
  const f = ds.features;
  // Rows and timesteps alike: x is (n * steps, features) seen this way.
  const count = ds.n * (ds.steps ?? 1);
  const means = new Float32Array(f);
  const stds = new Float32Array(f);
  for (let j = 0; j < f; j++) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += ds.x[i * f + j];
    const mean = sum / count;
    let sq = 0;
    for (let i = 0; i < count; i++) sq += (ds.x[i * f + j] - mean) ** 2;
    const std = Math.sqrt(sq / count);
    means[j] = mean;
    stds[j] = std > 0 ? std : 1;
  }
  return { dataset: applyStandardization(ds, means, stds), means, stds };
}

/**
 * Every row rescaled with the mean and standard deviation of `rows` alone: a run
 * with a test part scales by its training rows, so no statistic of a test row leaks
 * into what the network is trained on.
 */
export function standardizeByRows(ds: Dataset, rows: ArrayLike<number>): Standardized {
  const { means, stds } = standardize(selectRows(ds, rows));
  return { dataset: applyStandardization(ds, means, stds), means, stds };
}

/** (x - mean) / std per feature (at every timestep of a sequence set), with statistics from standardize(). */
export function applyStandardization(ds: Dataset, means: Float32Array, stds: Float32Array): Dataset {
  const f = ds.features;
  if (means.length !== f || stds.length !== f) {
    throw new RangeError(`expected ${f} means and stds, got ${means.length} and ${stds.length}`);
  }
  const x = new Float32Array(ds.x.length);
  const count = ds.n * (ds.steps ?? 1);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < f; j++) x[i * f + j] = (ds.x[i * f + j] - means[j]) / stds[j];
  }
  return { ...ds, x, featureNames: [...ds.featureNames] };
}
