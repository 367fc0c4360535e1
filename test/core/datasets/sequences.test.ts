import { describe, expect, it } from 'vitest';

import { DatasetError } from '../../../core/datasets/generators.ts';
import {
  MAX_SEQUENCE_VALUES,
  TEMPORAL_ORDER_CLASSES,
  adding,
  delayedRecall,
  parityLag,
  temporalOrder,
} from '../../../core/datasets/sequences.ts';

const generators = {
  adding,
  delayed_recall: delayedRecall,
  temporal_order: temporalOrder,
  parity_lag: parityLag,
} as const;

/** The `features` values of row i at timestep t. */
function step(x: Float32Array, i: number, t: number, steps: number, features: number): number[] {
  const at = (i * steps + t) * features;
  return Array.from(x.subarray(at, at + features));
}

describe.each(Object.entries(generators))('%s', (name, generate) => {
  it('is deterministic with a seed and different with another', () => {
    const a = generate({ n: 50, length: 12, seed: 1 });
    const b = generate({ n: 50, length: 12, seed: 1 });
    const c = generate({ n: 50, length: 12, seed: 2 });
    expect(a.x).toEqual(b.x);
    expect(a.y).toEqual(b.y);
    expect(a.x).not.toEqual(c.x);
  });

  it('gives rows of `length` timesteps, x row-major (n, length, features)', () => {
    const ds = generate({ n: 7, length: 9, seed: 3 });
    expect(ds.name).toBe(name);
    expect(ds.n).toBe(7);
    expect(ds.steps).toBe(9);
    expect(ds.x).toBeInstanceOf(Float32Array);
    expect(ds.x.length).toBe(7 * 9 * ds.features);
    expect(ds.featureNames).toHaveLength(ds.features);
    expect(ds.y.length).toBe(7);
    expect(ds.x.every(Number.isFinite)).toBe(true);
  });

  it('takes lengths up to 10,000 and rejects longer ones', () => {
    expect(generate({ n: 2, length: 10_000 }).steps).toBe(10_000);
    expect(() => generate({ length: 10_001 })).toThrow(DatasetError);
    expect(() => generate({ length: 10_001 })).toThrow(new RegExp(`^${name}: length must be an integer from [12] to 10,000 \\(got 10001\\)$`));
    expect(() => generate({ length: 2.5 })).toThrow(/length must be an integer/);
  });

  it('refuses more than MAX_SEQUENCE_VALUES input values, naming the product', () => {
    expect(MAX_SEQUENCE_VALUES).toBe(50_000_000);
    expect(() => generate({ n: 1_000_000, length: 1000 })).toThrow(
      new RegExp(`^${name}: n x length x features is [\\d,]+ values; the limit is 50,000,000 \\(lower n or length\\)$`),
    );
  });

  it('rejects n outside 1 to 1,000,000 and unknown options', () => {
    expect(() => generate({ n: 0 })).toThrow(`${name}: n must be an integer from 1 to 1,000,000 (got 0)`);
    expect(() => generate({ steps: 5 } as never)).toThrow(new RegExp(`^${name}: unknown option "steps"; it takes n, length`));
  });
});

describe('adding', () => {
  it('marks exactly one step in each half and sums the values there', () => {
    for (const length of [2, 3, 50, 1001]) {
      const ds = adding({ n: 40, length, seed: length });
      const half = Math.floor(length / 2);
      expect(ds.task).toBe('regression');
      expect(ds.featureNames).toEqual(['value', 'marker']);
      for (let i = 0; i < ds.n; i++) {
        const marked: number[] = [];
        let sum = 0;
        for (let t = 0; t < length; t++) {
          const [value, marker] = step(ds.x, i, t, length, 2);
          expect(value >= 0 && value < 1).toBe(true);
          if (marker === 1) {
            marked.push(t);
            sum += value;
          } else expect(marker).toBe(0);
        }
        expect(marked).toHaveLength(2);
        expect(marked[0]).toBeLessThan(half);
        expect(marked[1]).toBeGreaterThanOrEqual(half);
        expect(ds.y[i]).toBeCloseTo(sum, 6);
      }
    }
  });

  it('needs at least 2 steps', () => {
    expect(() => adding({ length: 1 })).toThrow('adding: length must be an integer from 2 to 10,000 (got 1)');
  });
});

describe('delayed_recall', () => {
  it('shows the class symbol at step 0 and the cue at the last step only', () => {
    const ds = delayedRecall({ n: 24, length: 30, symbols: 6, noise: 0, seed: 2 });
    expect(ds.task).toBe('classification');
    expect(ds.classes).toBe(6);
    expect(ds.features).toBe(7);
    expect(ds.featureNames).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'cue']);
    for (let i = 0; i < ds.n; i++) {
      const first = step(ds.x, i, 0, 30, 7);
      expect(first.indexOf(1)).toBe(ds.y[i]);
      expect(first.reduce((a, b) => a + b, 0)).toBe(1);
      for (let t = 1; t < 29; t++) expect(step(ds.x, i, t, 30, 7).every((v) => v === 0)).toBe(true);
      expect(step(ds.x, i, 29, 30, 7)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    }
    expect(new Set(ds.y).size).toBe(6);
  });

  it('adds noise to the symbol channels after the first step, never to the cue', () => {
    const ds = delayedRecall({ n: 4, length: 5, noise: 0.5 });
    expect(step(ds.x, 0, 2, 5, 5).slice(0, 4).some((v) => v !== 0)).toBe(true);
    expect(step(ds.x, 0, 2, 5, 5)[4]).toBe(0);
    expect(step(ds.x, 0, 0, 5, 5)).toEqual([1, 0, 0, 0, 0]);
    expect(delayedRecall({ n: 4, length: 5 }).x).not.toEqual(delayedRecall({ n: 4, length: 5, noise: 0 }).x); // default 0.1
  });

  it('puts symbol and cue on the same step when the length is 1', () => {
    const ds = delayedRecall({ n: 4, length: 1, noise: 0 });
    expect(step(ds.x, 2, 0, 1, 5)).toEqual([0, 0, 1, 0, 1]);
  });

  it('takes 2 to 16 symbols', () => {
    expect(delayedRecall().classes).toBe(4);
    expect(() => delayedRecall({ symbols: 1 })).toThrow('delayed_recall: symbols must be an integer from 2 to 16 (got 1)');
  });
});

describe('temporal_order', () => {
  it('hides an X or Y marker in each half among distractors; the class is their order', () => {
    const ds = temporalOrder({ n: 40, length: 25, seed: 6 });
    expect(ds.classes).toBe(4);
    expect(ds.features).toBe(6);
    expect(ds.featureNames).toEqual(['X', 'Y', 'a', 'b', 'c', 'd']);
    expect(TEMPORAL_ORDER_CLASSES).toEqual(['X then X', 'X then Y', 'Y then X', 'Y then Y']);
    for (let i = 0; i < ds.n; i++) {
      const markers: [number, number][] = [];
      for (let t = 0; t < 25; t++) {
        const v = step(ds.x, i, t, 25, 6);
        expect(v.reduce((a, b) => a + b, 0)).toBe(1); // one symbol per step
        const symbol = v.indexOf(1);
        if (symbol < 2) markers.push([t, symbol]);
      }
      expect(markers).toHaveLength(2);
      expect(markers[0][0]).toBeLessThan(12);
      expect(markers[1][0]).toBeGreaterThanOrEqual(12);
      expect(ds.y[i]).toBe(2 * markers[0][1] + markers[1][1]);
    }
  });

  it('leaves the other steps blank without distractors', () => {
    const ds = temporalOrder({ n: 8, length: 10, distractors: 0 });
    expect(ds.features).toBe(2);
    for (let i = 0; i < ds.n; i++) {
      let ones = 0;
      for (const v of ds.x.subarray(i * 20, i * 20 + 20)) ones += v;
      expect(ones).toBe(2);
    }
  });

  it('needs at least 2 steps', () => {
    expect(() => temporalOrder({ length: 1 })).toThrow('temporal_order: length must be an integer from 2 to 10,000 (got 1)');
  });
});

describe('parity_lag', () => {
  it('labels each stream with the last bit XOR the bit lag steps before it', () => {
    for (const [length, lag] of [[20, undefined], [20, 3], [2, 1], [500, 250]] as const) {
      const ds = parityLag({ n: 60, length, lag, seed: 9 });
      const l = lag ?? length - 1;
      expect(ds.classes).toBe(2);
      expect(ds.features).toBe(1);
      for (let i = 0; i < ds.n; i++) {
        const bits = Array.from(ds.x.subarray(i * length, (i + 1) * length));
        expect(bits.every((b) => b === 0 || b === 1)).toBe(true);
        expect(ds.y[i]).toBe(bits[length - 1] ^ bits[length - 1 - l]);
      }
    }
  });

  it('draws both values of the bits before the end', () => {
    const ds = parityLag({ n: 200, length: 10 });
    let ones = 0;
    for (let i = 0; i < ds.n; i++) ones += ds.x[i * 10];
    expect(ones).toBeGreaterThan(60);
    expect(ones).toBeLessThan(140);
  });

  it('rejects a lag that reaches before the first bit', () => {
    expect(() => parityLag({ length: 10, lag: 10 })).toThrow('parity_lag: lag must be an integer from 1 to length - 1, here 9 (got 10)');
    expect(() => parityLag({ lag: 0 })).toThrow('parity_lag: lag must be an integer from 1 to 9,999 (got 0)');
    expect(() => parityLag({ length: 1 })).toThrow('parity_lag: length must be an integer from 2 to 10,000 (got 1)');
  });
});
