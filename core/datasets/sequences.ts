// Seeded generators of the built-in sequence tasks: each row is a sequence of
// `length` timesteps, x row-major (n, length, features), with one target per row.
// They are memory tests: the answer depends on something seen many steps before
// the end, so the gradient has to travel back through time to learn it, and the
// user picks how far with `length` (up to MAX_SEQUENCE_LENGTH).
//
// Classes are assigned round-robin (row i gets class i % classes), as in
// generators.ts, so the classes are balanced and any prefix of the rows is too.
import { z } from 'zod';

import { MAX_SEQUENCE_LENGTH } from '../network/spec.ts';
import type { ClassificationDataset, RegressionDataset } from './dataset.ts';
import { grouped, int, noiseOption, parseOptions, rowsOption, seedOption } from './generators.ts';
import { Rng } from './rng.ts';

/**
 * At most this many input values (n x length x features) in one generated set:
 * 200 MB of float32, which an ordinary laptop still holds comfortably.
 */
export const MAX_SEQUENCE_VALUES = 50_000_000;

function lengthOption(min: number, length: number) {
  return int(min, MAX_SEQUENCE_LENGTH, 'an integer').default(length);
}

/** Rejects a set whose x would exceed MAX_SEQUENCE_VALUES, naming the product. */
function limitValues<O extends { n: number; length: number }>(features: (o: O) => number) {
  return (o: O, ctx: z.RefinementCtx) => {
    if (ctx.issues.length > 0) return; // checks across options only once each option is right
    const values = o.n * o.length * features(o);
    if (values > MAX_SEQUENCE_VALUES) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          `n x length x features is ${grouped(values)} values; the limit is ${grouped(MAX_SEQUENCE_VALUES)} ` +
          '(lower n or length)',
      });
    }
  };
}

export const addingOptions = z
  .strictObject({
    n: rowsOption(1000),
    /** Timesteps per sequence; one marker falls in each half, so at least 2. */
    length: lengthOption(2, 50),
    seed: seedOption(),
  })
  .superRefine(limitValues(() => 2));

export const delayedRecallOptions = z
  .strictObject({
    n: rowsOption(1000),
    /** Timesteps per sequence: the symbol comes at step 0, the cue at step length - 1. */
    length: lengthOption(1, 20),
    /** Size of the alphabet, which is also the number of classes. */
    symbols: int(2, 16, 'an integer').default(4),
    /** Std of Gaussian noise on the symbol channels at every step after the first (0: blank steps). */
    noise: noiseOption(0.1),
    seed: seedOption(),
  })
  .superRefine(limitValues((o: { n: number; length: number; symbols: number }) => o.symbols + 1));

export const temporalOrderOptions = z
  .strictObject({
    n: rowsOption(1000),
    /** Timesteps per sequence; one marker falls in each half, so at least 2. */
    length: lengthOption(2, 30),
    /** Number of distractor symbols that fill the steps without a marker (0: those steps are blank). */
    distractors: int(0, 16, 'an integer').default(4),
    seed: seedOption(),
  })
  .superRefine(limitValues((o: { n: number; length: number; distractors: number }) => 2 + o.distractors));

export const parityLagOptions = z
  .strictObject({
    n: rowsOption(1000),
    /** Timesteps (bits) per sequence. */
    length: lengthOption(2, 20),
    /** How many steps before the last bit the other bit of the XOR sits; default length - 1 (the first bit). */
    lag: int(1, MAX_SEQUENCE_LENGTH - 1, 'an integer').optional(),
    seed: seedOption(),
  })
  .superRefine((o, ctx) => {
    if (ctx.issues.length > 0) return;
    if (o.lag !== undefined && o.lag >= o.length) {
      const message = `must be an integer from 1 to length - 1, here ${grouped(o.length - 1)}`;
      ctx.addIssue({ code: 'custom', path: ['lag'], message });
    }
    else limitValues(() => 1)(o, ctx);
  });

export type AddingOptions = z.input<typeof addingOptions>;
export type DelayedRecallOptions = z.input<typeof delayedRecallOptions>;
export type TemporalOrderOptions = z.input<typeof temporalOrderOptions>;
export type ParityLagOptions = z.input<typeof parityLagOptions>;

/** The classes of temporal_order, by class index: the two markers in the order they appear. */
export const TEMPORAL_ORDER_CLASSES = ['X then X', 'X then Y', 'Y then X', 'Y then Y'] as const;

function letters(count: number, first: string): string[] {
  return Array.from({ length: count }, (_, i) => String.fromCharCode(first.charCodeAt(0) + i));
}

/**
 * The adding problem. x (n, length, 2): channel 0 holds numbers drawn uniformly
 * from [0, 1); channel 1 is 0 except for exactly two 1s, one at a uniform step of
 * the first half [0, floor(length/2)) and one of the second half. y is the sum of
 * the two channel-0 numbers at the marked steps (regression, in [0, 2)).
 * Always answering 1 gives a mean squared error of about 0.167, the bar to beat.
 */
export function adding(options: AddingOptions = {}): RegressionDataset {
  const o = parseOptions('adding', addingOptions, options);
  const rng = new Rng(o.seed);
  const T = o.length;
  const half = Math.floor(T / 2);
  const x = new Float32Array(o.n * T * 2);
  const y = new Float32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const row = i * T * 2;
    for (let t = 0; t < T; t++) x[row + 2 * t] = rng.uniform();
    const t1 = rng.int(half);
    const t2 = half + rng.int(T - half);
    x[row + 2 * t1 + 1] = 1;
    x[row + 2 * t2 + 1] = 1;
    y[i] = x[row + 2 * t1] + x[row + 2 * t2];
  }
  const featureNames = ['value', 'marker'];
  return { name: 'adding', x, y, n: o.n, features: 2, steps: T, classes: 0, task: 'regression', featureNames };
}

/**
 * Delayed recall. x (n, length, symbols + 1): at step 0 one symbol of the alphabet
 * is shown one-hot on the first `symbols` channels; the later steps show no symbol,
 * only Gaussian noise of std `noise` (default 0.1) on those channels; the last
 * channel, the cue, is 1 at the last step only (at step 0 too when length is 1).
 * The class is the symbol of step 0, which the network must carry for length - 1
 * steps. (With noise 0 every row of a class is the same sequence and the seed
 * changes nothing.)
 */
export function delayedRecall(options: DelayedRecallOptions = {}): ClassificationDataset {
  const o = parseOptions('delayed_recall', delayedRecallOptions, options);
  const rng = new Rng(o.seed);
  const T = o.length;
  const k = o.symbols;
  const f = k + 1;
  const x = new Float32Array(o.n * T * f);
  const y = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const row = i * T * f;
    const c = i % k;
    x[row + c] = 1;
    if (o.noise > 0) {
      for (let t = 1; t < T; t++) for (let j = 0; j < k; j++) x[row + t * f + j] = o.noise * rng.normal();
    }
    x[row + (T - 1) * f + k] = 1;
    y[i] = c;
  }
  const featureNames = [...letters(k, 'A'), 'cue'];
  return { name: 'delayed_recall', x, y, n: o.n, features: f, steps: T, classes: k, task: 'classification', featureNames };
}

/**
 * Temporal order, after Hochreiter & Schmidhuber's experiment of the same name.
 * x (n, length, 2 + distractors), one-hot symbols: channels X and Y are the two
 * markers, the others the distractors. Exactly two steps carry a marker, one at a
 * uniform step of the first half [0, floor(length/2)) and one of the second half;
 * every other step shows a random distractor (or nothing when distractors is 0).
 * The class says which markers came, in order: 0 X then X, 1 X then Y, 2 Y then X,
 * 3 Y then Y (TEMPORAL_ORDER_CLASSES), so the network must remember the first marker
 * through at least the second half of the sequence.
 */
export function temporalOrder(options: TemporalOrderOptions = {}): ClassificationDataset {
  const o = parseOptions('temporal_order', temporalOrderOptions, options);
  const rng = new Rng(o.seed);
  const T = o.length;
  const half = Math.floor(T / 2);
  const f = 2 + o.distractors;
  const x = new Float32Array(o.n * T * f);
  const y = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const row = i * T * f;
    const c = i % 4;
    const t1 = rng.int(half);
    const t2 = half + rng.int(T - half);
    for (let t = 0; t < T; t++) {
      if (t === t1) x[row + t * f + (c >> 1)] = 1;
      else if (t === t2) x[row + t * f + (c & 1)] = 1;
      else if (o.distractors > 0) x[row + t * f + 2 + rng.int(o.distractors)] = 1;
    }
    y[i] = c;
  }
  const featureNames = ['X', 'Y', ...letters(o.distractors, 'a')];
  return { name: 'temporal_order', x, y, n: o.n, features: f, steps: T, classes: 4, task: 'classification', featureNames };
}

/**
 * Parity at a lag. x (n, length, 1): a stream of random bits (0 or 1). The class is
 * the XOR of the last bit and the bit `lag` steps before it (by default lag =
 * length - 1: the first bit). Neither bit alone says anything about the class, so
 * the network must hold the earlier bit in memory until the end and combine it
 * with the last one. (The last bit is set from the class, which keeps the classes
 * balanced while every bit stays uniformly random.)
 */
export function parityLag(options: ParityLagOptions = {}): ClassificationDataset {
  const o = parseOptions('parity_lag', parityLagOptions, options);
  const rng = new Rng(o.seed);
  const T = o.length;
  const lag = o.lag ?? T - 1;
  const x = new Float32Array(o.n * T);
  const y = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const row = i * T;
    const c = i % 2;
    for (let t = 0; t < T - 1; t++) x[row + t] = rng.nextUint32() >>> 31;
    x[row + T - 1] = Number(x[row + T - 1 - lag]) ^ c;
    y[i] = c;
  }
  const featureNames = ['bit'];
  return { name: 'parity_lag', x, y, n: o.n, features: 1, steps: T, classes: 2, task: 'classification', featureNames };
}
