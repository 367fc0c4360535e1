import { describe, expect, it } from 'vitest';

import { Rng } from '../../../core/datasets/rng.ts';

describe('Rng (xoshiro128** seeded by splitmix32)', () => {
  it('gives a fixed sequence for a seed (checked against the C reference of xoshiro128**)', () => {
    const rng = new Rng(42);
    expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual([4196419328, 4275115619, 195954525, 3281852981, 2073175082]);
  });

  it('uses the high bits of a large seed', () => {
    expect(new Rng(2 ** 40 + 7).nextUint32()).not.toBe(new Rng(7).nextUint32());
  });

  it('rejects seeds that are not whole numbers from 0 to 2^53 - 1', () => {
    expect(() => new Rng(-1)).toThrow(/seed must be a whole number/);
    expect(() => new Rng(1.5)).toThrow(/seed must be a whole number/);
  });

  it('draws uniforms in [0, 1) with the right mean', () => {
    const rng = new Rng(3);
    let sum = 0;
    let inRange = true;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.uniform();
      inRange &&= u >= 0 && u < 1;
      sum += u;
    }
    expect(inRange).toBe(true);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('draws normals with mean 0 and standard deviation 1', () => {
    const rng = new Rng(5);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
    }
    expect(sum / n).toBeCloseTo(0, 2);
    expect(Math.sqrt(sq / n - (sum / n) ** 2)).toBeCloseTo(1, 2);
  });

  it('shuffles into a permutation, the same one for the same seed', () => {
    const a = new Rng(9).shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    const b = new Rng(9).shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
