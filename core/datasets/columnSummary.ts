/**
 * A data set's columns in a few numbers, for the Data view's table: each feature's
 * smallest, mean and largest value, and how many rows each class holds. Pure, no
 * DOM, no Node.
 */
import { rowLength, type Dataset } from './dataset.ts';

export interface ColumnSummary {
  name: string;
  min: number;
  mean: number;
  max: number;
}

/** One summary per feature, over every row (and every timestep of a sequence set). */
export function columnSummaries(ds: Dataset): ColumnSummary[] {
  const f = ds.features;
  const values = ds.n * rowLength(ds) / f; // rows x timesteps
  return ds.featureNames.map((name, j) => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < values; i++) {
      const v = ds.x[i * f + j];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    return { name, min, mean: values > 0 ? sum / values : 0, max };
  });
}

/** Rows per class of a classification set (index = class); empty for regression. */
export function classCounts(ds: Dataset): number[] {
  if (ds.task !== 'classification') return [];
  const counts = new Array<number>(ds.classes).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.y[i]]++;
  return counts;
}
