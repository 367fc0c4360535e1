/**
 * Data sets from a parsed CSV table (numeric features, one target column; the native
 * parser produces it): plain rows, or sequences in "long" layout.
 *
 * Long layout for sequences: one CSV row per timestep, a column naming the sequence
 * each row belongs to, the rows of a sequence contiguous and in time order, every
 * sequence equally long, and the target repeated on every row of its sequence:
 *
 *   seq,x1,x2,y
 *   0,0.5,0,0.9
 *   0,0.1,1,0.9
 *   1,0.7,0,0.3
 *   1,0.4,1,0.3
 *
 * (two sequences of 2 steps, 2 features each: `--sequence-column seq --target y`).
 */
import type { Dataset } from './dataset.ts';

/** A parsed CSV table: rows x features, targets (class indices when classification). */
export interface NumericTable {
  name: string;
  featureNames: string[];
  rows: number;
  features: number;
  x: Float32Array;
  y: Float32Array;
  classification: boolean;
  classNames: string[];
}

export class TableError extends Error {
  readonly code = 'VGLAB_INVALID_INPUT';
}

/** One sample per CSV row. */
export function datasetFromTable(t: NumericTable): Dataset {
  const base = { name: t.name, x: t.x, n: t.rows, features: t.features, featureNames: [...t.featureNames] };
  return t.classification
    ? { ...base, task: 'classification', y: Int32Array.from(t.y), classes: t.classNames.length }
    : { ...base, task: 'regression', y: t.y, classes: 0 };
}

/** Sequences in long layout (see the file comment); `sequenceColumn` is a feature column of `t`. */
export function sequencesFromTable(t: NumericTable, sequenceColumn: string): Dataset {
  const col = t.featureNames.indexOf(sequenceColumn);
  if (col < 0) {
    throw new TableError(`no column named "${sequenceColumn}" among the features; the columns are: ${t.featureNames.join(', ')}`);
  }
  if (t.features < 2) throw new TableError(`besides "${sequenceColumn}" the file needs at least one feature column`);
  // Contiguous runs of one sequence id.
  const starts: number[] = [];
  const seen = new Set<number>();
  for (let r = 0; r < t.rows; r++) {
    const id = t.x[r * t.features + col];
    if (r === 0 || id !== t.x[(r - 1) * t.features + col]) {
      if (seen.has(id)) {
        throw new TableError(`data row ${r + 1}: sequence ${id} appears again after other sequences; keep each sequence's rows together`);
      }
      seen.add(id);
      starts.push(r);
    }
  }
  const n = starts.length;
  const steps = (n > 1 ? starts[1] : t.rows) - starts[0];
  for (let s = 0; s < n; s++) {
    const end = s + 1 < n ? starts[s + 1] : t.rows;
    const length = end - starts[s];
    const id = t.x[starts[s] * t.features + col];
    if (length !== steps) {
      throw new TableError(`sequence ${id} has ${length} rows; the first sequence has ${steps} (all sequences must be equally long)`);
    }
    for (let r = starts[s] + 1; r < end; r++) {
      if (t.y[r] !== t.y[starts[s]]) {
        throw new TableError(`data row ${r + 1}: the target changes inside sequence ${id}; give every row of a sequence its target`);
      }
    }
  }
  const features = t.features - 1;
  const x = new Float32Array(n * steps * features);
  let at = 0;
  for (let r = 0; r < t.rows; r++) {
    for (let f = 0; f < t.features; f++) if (f !== col) x[at++] = t.x[r * t.features + f];
  }
  const y = Float32Array.from(starts, (r) => t.y[r]);
  const base = {
    name: t.name,
    x,
    n,
    features,
    steps,
    featureNames: t.featureNames.filter((_, f) => f !== col),
  };
  return t.classification
    ? { ...base, task: 'classification', y: Int32Array.from(y), classes: t.classNames.length }
    : { ...base, task: 'regression', y, classes: 0 };
}
