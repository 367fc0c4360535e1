// Seeded generators of the built-in data sets. Each takes its options (checked
// against the zod schema beside it) and returns a Dataset; the same options give
// the same numbers on every platform (see rng.ts).
//
// Classes are assigned round-robin (row i gets class i % classes), so every class
// has n / classes rows (+1 for the first n % classes) and any prefix of the rows
// is balanced too. `noise` is the standard deviation of Gaussian noise added to
// each coordinate (to the target, for the regression set).
import { z } from 'zod';

import type { ClassificationDataset, RegressionDataset } from './dataset.ts';
import { Rng } from './rng.ts';

export const MAX_ROWS = 1_000_000;
export const MAX_NOISE = 10;

export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** An integer option from `min` to `max`: "must be an integer from 1 to 1,000,000". */
export function int(min: number, max: number, what: string) {
  const msg = `must be ${what} from ${grouped(min)} to ${grouped(max)}`;
  return z.number({ error: msg }).int({ error: msg }).min(min, { error: msg }).max(max, { error: msg });
}

/** A number option from `min` to `max`, with `msg` for every failure. */
export function real(min: number, max: number, msg: string) {
  return z.number({ error: msg }).min(min, { error: msg }).max(max, { error: msg });
}

export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The seed of a generator: a whole number from 0 to 2^53 - 1, default 0. */
export function seedOption() {
  return z
    .number({ error: 'must be a whole number, 0 or more' })
    .int({ error: 'must be a whole number, 0 or more' })
    .min(0, { error: 'must be a whole number, 0 or more' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'must be a whole number, 0 or more' })
    .default(0);
}

/** Rows: from 1 to MAX_ROWS. */
export function rowsOption(n: number) {
  return int(1, MAX_ROWS, 'an integer').default(n);
}

/** Gaussian noise std: from 0 to MAX_NOISE. */
export function noiseOption(noise: number) {
  return real(0, MAX_NOISE, `must be a number from 0 to ${MAX_NOISE}`).default(noise);
}

function baseOptions(n: number, noise: number) {
  return { n: rowsOption(n), noise: noiseOption(noise), seed: seedOption() };
}

export const spiralOptions = z.strictObject({
  ...baseOptions(400, 0.05),
  classes: int(2, 8, 'an integer').default(2),
  /** Full turns each arm makes from the centre to the rim. */
  turns: real(0.25, 4, 'must be a number from 0.25 to 4').default(1),
});
export const xorOptions = z.strictObject({ ...baseOptions(400, 0.05) });
export const circlesOptions = z.strictObject({
  ...baseOptions(400, 0.05),
  /** Radius of the inner circle; the outer one has radius 1. */
  factor: real(0.05, 0.95, 'must be a number from 0.05 to 0.95').default(0.5),
});
export const moonsOptions = z.strictObject({ ...baseOptions(400, 0.1) });
export const blobsOptions = z.strictObject({
  ...baseOptions(400, 0.3),
  classes: int(2, 16, 'an integer').default(3),
  /** Distance of each blob's centre from the origin. */
  spread: real(0, 100, 'must be a number from 0 to 100').default(1.5),
});
export const sineOptions = z.strictObject({
  ...baseOptions(200, 0.1),
  /** y = sin(frequency * x) + noise, x uniform in [-1, 1). */
  frequency: real(0.1, 50, 'must be a number from 0.1 to 50').default(3),
});

export type SpiralOptions = z.input<typeof spiralOptions>;
export type XorOptions = z.input<typeof xorOptions>;
export type CirclesOptions = z.input<typeof circlesOptions>;
export type MoonsOptions = z.input<typeof moonsOptions>;
export type BlobsOptions = z.input<typeof blobsOptions>;
export type SineOptions = z.input<typeof sineOptions>;

/**
 * Parses `options` with `schema`, or throws a DatasetError whose message names the
 * data set and the field: `spiral: n must be an integer from 1 to 1,000,000 (got 0)`.
 */
export function parseOptions<S extends z.ZodType>(name: string, schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options ?? {}, { error: () => 'has a value that is not allowed' });
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const known = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '';
      return `${name}: unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}; it takes ${known}`;
    }
    // A check across several options (a size limit, say) speaks for itself.
    if (issue.code === 'custom' && issue.path.length === 0) return `${name}: ${issue.message}`;
    if (issue.path.length === 0) return `${name}: the options must be an object`;
    const field = issue.path.map(String).join('.');
    const got = (options as Record<string, unknown>)[String(issue.path[0])];
    return `${name}: ${field} ${issue.message} (got ${JSON.stringify(got) ?? String(got)})`;
  });
  throw new DatasetError(messages.join('; '));
}

function classification(name: string, x: Float32Array, y: Int32Array, classes: number): ClassificationDataset {
  return { name, x, y, n: y.length, features: 2, classes, task: 'classification', featureNames: ['x1', 'x2'] };
}

/** k interleaved spiral arms, one class per arm, radius growing from 0 to 1. */
export function spiral(options: SpiralOptions = {}): ClassificationDataset {
  const o = parseOptions('spiral', spiralOptions, options);
  const rng = new Rng(o.seed);
  const x = new Float32Array(o.n * 2);
  const y = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const c = i % o.classes;
    const t = rng.uniform(); // position along the arm
    const angle = (2 * Math.PI * c) / o.classes + 2 * Math.PI * o.turns * t;
    x[2 * i] = t * Math.cos(angle) + o.noise * rng.normal();
    x[2 * i + 1] = t * Math.sin(angle) + o.noise * rng.normal();
    y[i] = c;
  }
  return classification('spiral', x, y, o.classes);
}

/** Points uniform in the square (-1, 1)^2; class 1 where the two coordinates differ in sign. */
export function xor(options: XorOptions = {}): ClassificationDataset {
  const o = parseOptions('xor', xorOptions, options);
  const rng = new Rng(o.seed);
  const x = new Float32Array(o.n * 2);
  const y = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    // Pick the quadrant from the class so the classes stay balanced; the point is
    // uniform within it, and the label belongs to the clean point.
    const c = i % 2;
    const a = rng.uniform() * (rng.uniform() < 0.5 ? -1 : 1);
    const b = rng.uniform() * (c === 0 ? Math.sign(a) || 1 : -(Math.sign(a) || 1));
    y[i] = c;
    x[2 * i] = a + o.noise * rng.normal();
    x[2 * i + 1] = b + o.noise * rng.normal();
  }
  return classification('xor', x, y, 2);
}

/** Two concentric circles: class 0 on radius 1, class 1 on radius `factor`. */
export function circles(options: CirclesOptions = {}): ClassificationDataset {
  const o = parseOptions('circles', circlesOptions, options);
  const rng = new Rng(o.seed);
  const x = new Float32Array(o.n * 2);
  const y = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const c = i % 2;
    const r = c === 0 ? 1 : o.factor;
    const angle = rng.uniformIn(0, 2 * Math.PI);
    x[2 * i] = r * Math.cos(angle) + o.noise * rng.normal();
    x[2 * i + 1] = r * Math.sin(angle) + o.noise * rng.normal();
    y[i] = c;
  }
  return classification('circles', x, y, 2);
}

/** Two interleaving half circles, centred on the origin. */
export function moons(options: MoonsOptions = {}): ClassificationDataset {
  const o = parseOptions('moons', moonsOptions, options);
  const rng = new Rng(o.seed);
  const x = new Float32Array(o.n * 2);
  const y = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const c = i % 2;
    const t = rng.uniformIn(0, Math.PI);
    const px = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    x[2 * i] = px - 0.5 + o.noise * rng.normal();
    x[2 * i + 1] = py - 0.25 + o.noise * rng.normal();
    y[i] = c;
  }
  return classification('moons', x, y, 2);
}

/** k round Gaussian clusters (std `noise`) with centres evenly spaced on a circle of radius `spread`. */
export function blobs(options: BlobsOptions = {}): ClassificationDataset {
  const o = parseOptions('blobs', blobsOptions, options);
  const rng = new Rng(o.seed);
  const x = new Float32Array(o.n * 2);
  const y = new Int32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const c = i % o.classes;
    const angle = (2 * Math.PI * c) / o.classes;
    x[2 * i] = o.spread * Math.cos(angle) + o.noise * rng.normal();
    x[2 * i + 1] = o.spread * Math.sin(angle) + o.noise * rng.normal();
    y[i] = c;
  }
  return classification('blobs', x, y, o.classes);
}

/** 1-D regression: y = sin(frequency * x) + noise, x uniform in [-1, 1). */
export function sine(options: SineOptions = {}): RegressionDataset {
  const o = parseOptions('sine', sineOptions, options);
  const rng = new Rng(o.seed);
  const x = new Float32Array(o.n);
  const y = new Float32Array(o.n);
  for (let i = 0; i < o.n; i++) {
    const v = rng.uniformIn(-1, 1);
    x[i] = v;
    y[i] = Math.sin(o.frequency * v) + o.noise * rng.normal();
  }
  return { name: 'sine', x, y, n: o.n, features: 1, classes: 0, task: 'regression', featureNames: ['x'] };
}
