// StreamDecimator: min/max decimation of a series that grows one value at a time
// (the live charts), read at any moment within its point budget, every spike kept,
// and the same as decimating the whole series in buckets of its final size.
import { describe, expect, it } from 'vitest';

import { decimatePairs, finiteOrNull, StreamDecimator } from '../../../core/charts/decimate.ts';

function noisy(n: number, seed = 1): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i / 37 + seed) + ((i * 7919 * seed) % 101) / 500;
  return v;
}

function streamed(values: ArrayLike<number>, maxPoints: number, xs?: ArrayLike<number>): StreamDecimator {
  const d = new StreamDecimator(maxPoints);
  for (let i = 0; i < values.length; i++) d.push(xs ? xs[i] : i, values[i]);
  return d;
}

/**
 * The reference: the first value, then buckets of `size` values from index 1 (the
 * last one possibly short), each its min and max in order (NaN skipped; a bucket of
 * only NaN: its first value), then the last value; indices, written as a scan.
 */
function bucketed(values: ArrayLike<number>, size: number): number[] {
  const n = values.length;
  const out = [0];
  for (let start = 1; start < n; start += size) {
    const end = Math.min(n, start + size);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      if (lo < 0 || v < values[lo]) lo = i;
      if (hi < 0 || v > values[hi]) hi = i;
    }
    const kept = lo < 0 ? [start] : lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)];
    for (const i of kept) if (i !== n - 1) out.push(i);
  }
  if (n > 1) out.push(n - 1);
  return out;
}

describe('StreamDecimator', () => {
  it('keeps every value while they fit the budget, as decimatePairs', () => {
    const v = noisy(300);
    v[7] = Number.NaN;
    v[9] = Number.POSITIVE_INFINITY;
    const xs = Int32Array.from({ length: 300 }, (_, i) => i * 5 + 3);
    for (const n of [0, 1, 2, 299, 300]) {
      const d = streamed(v.subarray(0, n), 300, xs);
      expect(d.pairs()).toEqual(decimatePairs(v.subarray(0, n), 300, xs));
      expect(d.length).toBe(n);
      expect(d.bucketSize).toBe(1);
    }
  });

  it('stays within its budget at every length, with the first and the last value, x increasing', () => {
    for (const max of [6, 7, 120, 211, 600]) {
      const v = noisy(10_000, max);
      const d = new StreamDecimator(max);
      for (let i = 0; i < v.length; i++) {
        d.push(i, v[i]);
        if (i % 97 !== 0 && i !== v.length - 1) continue;
        const p = d.pairs();
        expect(p.length).toBeLessThanOrEqual(max);
        expect(p[0]).toEqual([0, finiteOrNull(v[0])]);
        expect(p[p.length - 1]).toEqual([i, finiteOrNull(v[i])]);
        for (let k = 1; k < p.length; k++) expect(p[k][0]).toBeGreaterThan(p[k - 1][0]);
      }
      // And it uses the budget: more than a quarter of it once the series is long.
      expect(d.pairs().length).toBeGreaterThan(max / 4);
    }
  });

  it('is the series decimated in buckets of its final size, whatever the length', () => {
    for (const [n, max] of [[50_000, 600], [601, 600], [4097, 210], [12_345, 121], [1000, 6]] as const) {
      const v = noisy(n, n % 7);
      const d = streamed(v, max);
      expect(d.bucketSize).toBeGreaterThan(1);
      expect(d.pairs()).toEqual(bucketed(v, d.bucketSize).map((i) => [i, finiteOrNull(v[i])]));
    }
  });

  it('keeps every spike: the global minimum and maximum at every moment', () => {
    const v = noisy(50_000);
    v[12_345] = 1e6;
    v[33_333] = -1e6;
    const d = new StreamDecimator(210);
    for (let i = 0; i < v.length; i++) {
      d.push(i, v[i]);
      if (i === 20_000) expect(d.pairs().map(([x]) => x)).toContain(12_345);
    }
    const xs = d.pairs().map(([x]) => x);
    expect(xs).toContain(12_345);
    expect(xs).toContain(33_333);
  });

  it('skips NaN for extremes, draws a bucket of only NaN as a gap, and non-finite values as null', () => {
    const v = new Float64Array(5000).fill(Number.NaN);
    v[2500] = 5;
    v[4000] = Number.POSITIVE_INFINITY;
    const p = streamed(v, 50).pairs();
    expect(p).toContainEqual([2500, 5]);
    expect(p).toContainEqual([4000, null]);
    expect(p.filter(([, y]) => y === null).length).toBeGreaterThan(10);
    expect(p.length).toBeLessThanOrEqual(50);
  });

  it('costs its budget to read, not the length of the series', () => {
    const d = streamed(noisy(200_000), 200);
    expect(d.pairs().length).toBeLessThanOrEqual(200);
    expect(d.bucketSize).toBeGreaterThanOrEqual(2048);
  });
});
