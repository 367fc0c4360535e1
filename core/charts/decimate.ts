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
