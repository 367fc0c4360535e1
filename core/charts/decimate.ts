/**
 * Decimation for line charts: a 50,000-step loss curve drawn as at most a few
 * thousand points that still shows every spike. Min/max per bucket keeps the
 * envelope exactly (unlike averaging, which hides a divergence spike), is O(n),
 * and keeps the first and the last point so the curve spans the whole run.
 */

/** Default point budget of a decimated series. */
export const DEFAULT_MAX_POINTS = 2000;

/**
 * Indices of `values` to draw, increasing, at most `maxPoints` of them (>= 2 when
 * the series has 2 or more): the first and last index always, and between them
 * the minimum and maximum of each of floor((maxPoints - 2) / 2) equal buckets.
 * NaN is skipped when looking for extremes (a bucket of only NaN keeps its first
 * index, so the gap still shows). Series that fit are returned whole.
 */
export function decimateIndices(values: ArrayLike<number>, maxPoints = DEFAULT_MAX_POINTS): number[] {
  const n = values.length;
  const budget = Math.max(2, Math.floor(maxPoints));
  if (n <= budget) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.floor((budget - 2) / 2);
  const out: number[] = [0];
  const inner = n - 2; // indices 1 .. n-2 are shared among the buckets
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets); // exclusive
    if (end <= start) continue;
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      if (lo < 0 || v < values[lo]) lo = i;
      if (hi < 0 || v > values[hi]) hi = i;
    }
    if (lo < 0) out.push(start);
    else if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  out.push(n - 1);
  return out;
}

/**
 * [x, y] pairs of a decimated series, x from `xs` (or the index when absent);
 * values that are not finite become null so the chart draws a gap.
 */
export function decimatePairs(
  values: ArrayLike<number>,
  maxPoints = DEFAULT_MAX_POINTS,
  xs?: ArrayLike<number>,
): [number, number | null][] {
  return decimateIndices(values, maxPoints).map((i) => [xs ? xs[i] : i, finiteOrNull(values[i])]);
}

/** A finite number, else null (a gap in a chart). */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * Consecutive traced rows grouped into at most `maxBuckets` buckets of nearly
 * equal size, for heatmaps whose cell count must stay bounded on long runs:
 * bucket b holds rows [bounds[b], bounds[b + 1]). Every bucket holds at least one
 * row; `rows` that fit are one row per bucket. Length: buckets + 1.
 */
export function rowBuckets(rows: number, maxBuckets: number): Int32Array {
  const n = Math.max(0, Math.floor(rows));
  if (n === 0) return new Int32Array(1);
  const buckets = Math.min(n, Math.max(1, Math.floor(maxBuckets)));
  const bounds = new Int32Array(buckets + 1);
  for (let b = 0; b <= buckets; b++) bounds[b] = Math.floor((b * n) / buckets);
  return bounds;
}

/** One bucket of a StreamDecimator: its first value, and its minimum and maximum (index -1: only NaN so far). */
interface Bucket {
  /** Values in the bucket. */
  count: number;
  fi: number;
  fx: number;
  fy: number;
  loI: number;
  loX: number;
  loY: number;
  hiI: number;
  hiX: number;
  hiY: number;
}

function bucketOf(i: number, x: number, y: number): Bucket {
  const real = !Number.isNaN(y);
  return {
    count: 1,
    fi: i,
    fx: x,
    fy: y,
    loI: real ? i : -1,
    loX: x,
    loY: y,
    hiI: real ? i : -1,
    hiX: x,
    hiY: y,
  };
}

/** Adds the value (i, x, y) at the end of bucket `b` (no allocation: it runs for every value). */
function extend(b: Bucket, i: number, x: number, y: number): void {
  b.count++;
  if (Number.isNaN(y)) return;
  if (b.loI < 0 || y < b.loY) {
    b.loI = i;
    b.loX = x;
    b.loY = y;
  }
  if (b.hiI < 0 || y > b.hiY) {
    b.hiI = i;
    b.hiX = x;
    b.hiY = y;
  }
}

/** Bucket `a` followed by bucket `b`, as one bucket (ties keep the earlier value, as a scan would). */
function merged(a: Bucket, b: Bucket): Bucket {
  const out = { ...a, count: a.count + b.count };
  if (b.loI >= 0 && (out.loI < 0 || b.loY < out.loY)) {
    out.loI = b.loI;
    out.loX = b.loX;
    out.loY = b.loY;
  }
  if (b.hiI >= 0 && (out.hiI < 0 || b.hiY > out.hiY)) {
    out.hiI = b.hiI;
    out.hiX = b.hiX;
    out.hiY = b.hiY;
  }
  return out;
}

/**
 * Min/max decimation of a series that grows: values are pushed one at a time as
 * they arrive and the decimated line is read at any moment, in time proportional
 * to the budget, not to the series (a live chart of a 50,000-step run rebuilt ten
 * times a second would otherwise decimate all 50,000 values every time).
 *
 * Up to `maxPoints` values the line is every value (as decimatePairs). Beyond, the
 * values after the first are cut into buckets of `bucketSize` consecutive values
 * (a power of two), each drawn as its minimum and maximum in order (one point when
 * they are the same value, its first value when it holds only NaN), then the last
 * value: at most `maxPoints` points, the first and the last always, every spike
 * kept. When the buckets outgrow the budget, neighbours merge two by two and the
 * bucket size doubles, so each value costs O(1) amortised.
 */
export class StreamDecimator {
  readonly maxPoints: number;
  /** Complete buckets kept at most (each draws at most 2 points; the open bucket, the first and the last at most 4 more). */
  private readonly maxBuckets: number;
  private n = 0;
  /** Every value while they fit the budget (null once bucketed). */
  private raw: { xs: number[]; ys: number[] } | null = { xs: [], ys: [] };
  private size = 1;
  private readonly buckets: Bucket[] = [];
  private open: Bucket | null = null;
  private firstX = 0;
  private firstY = 0;
  private lastI = 0;
  private lastX = 0;
  private lastY = 0;

  /** `maxPoints`: at least 6. */
  constructor(maxPoints = DEFAULT_MAX_POINTS) {
    this.maxPoints = Math.max(6, Math.floor(maxPoints));
    this.maxBuckets = Math.floor((this.maxPoints - 4) / 2);
  }

  /** Values pushed so far. */
  get length(): number {
    return this.n;
  }

  /** Values per bucket (1 while every value is kept). */
  get bucketSize(): number {
    return this.raw ? 1 : this.size;
  }

  /** Appends the value `y` at `x` (x increasing). */
  push(x: number, y: number): void {
    const i = this.n++;
    this.lastI = i;
    this.lastX = x;
    this.lastY = y;
    if (i === 0) {
      this.firstX = x;
      this.firstY = y;
    }
    if (this.raw) {
      this.raw.xs.push(x);
      this.raw.ys.push(y);
      if (this.n > this.maxPoints) this.toBuckets();
      return;
    }
    if (i === 0) return;
    this.add(i, x, y);
  }

  /** Switches from every value to buckets (once, when the values outgrow the budget). */
  private toBuckets(): void {
    const { xs, ys } = this.raw!;
    this.raw = null;
    this.size = 2;
    for (let i = 1; i < xs.length; i++) this.add(i, xs[i], ys[i]);
  }

  private add(i: number, x: number, y: number): void {
    if (this.open === null) this.open = bucketOf(i, x, y);
    else extend(this.open, i, x, y);
    if (this.open.count < this.size) return;
    this.buckets.push(this.open);
    this.open = null;
    if (this.buckets.length <= this.maxBuckets) return;
    // Too many: neighbours merge, the size doubles; an odd one out becomes the open bucket (half full).
    const b = this.buckets;
    const pairs = Math.floor(b.length / 2);
    const odd = b.length % 2 === 1 ? b[b.length - 1] : null;
    for (let k = 0; k < pairs; k++) b[k] = merged(b[2 * k], b[2 * k + 1]);
    b.length = pairs;
    this.size *= 2;
    this.open = odd;
  }

  /** The decimated line: [x, y] pairs in order, y null where it is not finite (a gap). */
  pairs(): [number, number | null][] {
    if (this.raw) return this.raw.xs.map((x, k) => [x, finiteOrNull(this.raw!.ys[k])]);
    const out: [number, number | null][] = [[this.firstX, finiteOrNull(this.firstY)]];
    const lastI = this.lastI;
    const emit = (i: number, x: number, y: number) => {
      if (i !== lastI) out.push([x, finiteOrNull(y)]);
    };
    const draw = (b: Bucket) => {
      if (b.loI < 0) emit(b.fi, b.fx, b.fy);
      else if (b.loI === b.hiI) emit(b.loI, b.loX, b.loY);
      else if (b.loI < b.hiI) {
        emit(b.loI, b.loX, b.loY);
        emit(b.hiI, b.hiX, b.hiY);
      } else {
        emit(b.hiI, b.hiX, b.hiY);
        emit(b.loI, b.loX, b.loY);
      }
    };
    for (const b of this.buckets) draw(b);
    if (this.open) draw(this.open);
    out.push([this.lastX, finiteOrNull(this.lastY)]);
    return out;
  }
}
