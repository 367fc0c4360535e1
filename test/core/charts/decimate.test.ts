import { describe, expect, it } from 'vitest';

import { decimateIndices, decimatePairs } from '../../../core/charts/decimate.ts';

function noisy(n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i / 37) + ((i * 7919) % 101) / 500;
  return v;
}

describe('decimateIndices', () => {
  it('returns a series that fits the budget whole', () => {
    expect(decimateIndices([3, 1, 2], 10)).toEqual([0, 1, 2]);
    expect(decimateIndices([], 10)).toEqual([]);
  });

  it('keeps at most maxPoints points, increasing, first and last included', () => {
    for (const [n, max] of [[50_000, 2000], [2001, 2000], [10_000, 7], [999, 100]] as const) {
      const idx = decimateIndices(noisy(n), max);
      expect(idx.length).toBeLessThanOrEqual(max);
      expect(idx[0]).toBe(0);
      expect(idx[idx.length - 1]).toBe(n - 1);
      for (let k = 1; k < idx.length; k++) expect(idx[k]).toBeGreaterThan(idx[k - 1]);
    }
  });

  it('keeps the global minimum and maximum (a divergence spike survives)', () => {
    const v = noisy(50_000);
    v[12_345] = 1e6;
    v[33_333] = -1e6;
    const idx = decimateIndices(v, 2000);
    expect(idx).toContain(12_345);
    expect(idx).toContain(33_333);
  });

  it('skips NaN when looking for extremes', () => {
    const v = new Float64Array(1000).fill(Number.NaN);
    v[500] = 5;
    expect(decimateIndices(v, 10)).toContain(500);
  });
});

describe('decimatePairs', () => {
  it('uses the given x values and turns non-finite values into gaps', () => {
    expect(decimatePairs([1, Number.NaN, Number.POSITIVE_INFINITY], 10, [10, 20, 30])).toEqual([
      [10, 1],
      [20, null],
      [30, null],
    ]);
  });
});
