/**
 * The loss and accuracy of a network's outputs over a set of rows, computed the way
 * the engine computes a batch's (native/core/layers/loss.cpp: mean reduction, in
 * double, the same accuracy rules), for scoring outputs that came from predict():
 * the held-out test part of a run, where no gradient is wanted.
 */
import type { LossType } from '../network/spec.ts';

export interface RowsScore {
  /** Mean loss over the rows (and over the outputs for mse and bce_with_logits). */
  loss: number;
  /** Share right: argmax = label (softmax), logit > 0 iff target > 0.5 (bce); NaN for mse. */
  accuracy: number;
}

/**
 * `output` is (rows, width) row-major. Targets: class labels (rows) for
 * softmax_cross_entropy, values (rows, width) otherwise.
 */
export function lossOnRows(
  loss: LossType,
  output: Float32Array,
  targets: Int32Array | Float32Array,
  rows: number,
  width: number,
): RowsScore {
  if (output.length !== rows * width) throw new RangeError(`output has ${output.length} values; ${rows} rows x ${width} need ${rows * width}`);
  if (rows === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  if (loss === 'softmax_cross_entropy') return softmaxCrossEntropy(output, targets, rows, width);
  const n = rows * width;
  if (targets.length !== n) throw new RangeError(`targets has ${targets.length} values; ${rows} rows x ${width} need ${n}`);
  let total = 0;
  let right = 0;
  for (let i = 0; i < n; i++) {
    const z = output[i];
    const y = targets[i];
    if (loss === 'mse') {
      total += (z - y) * (z - y);
    } else {
      // max(z, 0) - z y + log(1 + exp(-|z|)): the overflow-free binary cross-entropy of a logit.
      total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      if (z > 0 === y > 0.5) right++;
    }
  }
  return { loss: total / n, accuracy: loss === 'mse' ? Number.NaN : right / n };
}

function softmaxCrossEntropy(z: Float32Array, labels: Int32Array | Float32Array, rows: number, classes: number): RowsScore {
  if (labels.length !== rows) throw new RangeError(`labels has ${labels.length} values; expected one per row (${rows})`);
  let total = 0;
  let right = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * classes;
    let arg = 0;
    for (let c = 1; c < classes; c++) if (z[at + c] > z[at + arg]) arg = c; // the first maximum wins ties
    const label = labels[r];
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new RangeError(`label ${label} of row ${r} is not a class from 0 to ${classes - 1}`);
    }
    if (arg === label) right++;
    const m = z[at + arg];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(z[at + c] - m);
    total += m + Math.log(sum) - z[at + label];
  }
  return { loss: total / rows, accuracy: right / rows };
}
