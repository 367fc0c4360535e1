import { describe, expect, it } from 'vitest';

import { applyStandardization, splitTrainTest, standardize } from '../../../core/datasets/dataset.ts';
import { sine, spiral } from '../../../core/datasets/generators.ts';

describe('splitTrainTest', () => {
  it('splits every row into exactly one part, deterministically', () => {
    const ds = spiral({ n: 100, seed: 1 });
    const a = splitTrainTest(ds, 0.2, 7);
    const b = splitTrainTest(ds, 0.2, 7);
    const c = splitTrainTest(ds, 0.2, 8);
    expect(a.test.n).toBe(20);
    expect(a.train.n).toBe(80);
    expect(Array.from(a.testRows)).toEqual(Array.from(b.testRows));
    expect(Array.from(a.testRows)).not.toEqual(Array.from(c.testRows));
    const all = [...a.trainRows, ...a.testRows].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('carries features and labels of each row', () => {
    const ds = spiral({ n: 50, seed: 2 });
    const { test, testRows } = splitTrainTest(ds, 0.5, 3);
    expect(test.task).toBe('classification');
    testRows.forEach((row, k) => {
      expect(test.x[2 * k]).toBe(ds.x[2 * row]);
      expect(test.x[2 * k + 1]).toBe(ds.x[2 * row + 1]);
      expect(test.y[k]).toBe(ds.y[row]);
    });
  });

  it('keeps at least one training row and rejects a bad fraction', () => {
    expect(splitTrainTest(sine({ n: 1 }), 0.9, 0).train.n).toBe(1);
    expect(() => splitTrainTest(sine({ n: 10 }), 1, 0)).toThrow(/testFraction must be a number from 0 up to/);
    expect(() => splitTrainTest(sine({ n: 10 }), -0.1, 0)).toThrow(RangeError);
  });
});

describe('standardize', () => {
  it('gives every feature mean 0 and std 1, and returns the statistics', () => {
    const ds = spiral({ n: 400, seed: 5 });
    const { dataset, means, stds } = standardize(ds);
    for (let j = 0; j < 2; j++) {
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < dataset.n; i++) sum += dataset.x[2 * i + j];
      for (let i = 0; i < dataset.n; i++) sq += (dataset.x[2 * i + j] - sum / dataset.n) ** 2;
      expect(sum / dataset.n).toBeCloseTo(0, 5);
      expect(Math.sqrt(sq / dataset.n)).toBeCloseTo(1, 4);
      expect(stds[j]).toBeGreaterThan(0);
    }
    expect(means).toHaveLength(2);
    expect(dataset.y).toEqual(ds.y);
  });

  it('maps a constant feature to zeros instead of NaN', () => {
    const ds = sine({ n: 5 });
    ds.x.fill(3);
    const { dataset, stds } = standardize(ds);
    expect(stds[0]).toBe(1);
    expect(Array.from(dataset.x)).toEqual([0, 0, 0, 0, 0]);
  });

  it('applies training statistics to another set', () => {
    const { train, test } = splitTrainTest(spiral({ n: 100 }), 0.3, 1);
    const { means, stds } = standardize(train);
    const scaled = applyStandardization(test, means, stds);
    expect(scaled.x[0]).toBeCloseTo((test.x[0] - means[0]) / stds[0], 6);
    expect(() => applyStandardization(test, new Float32Array(1), stds)).toThrow(/expected 2 means and stds/);
  });
});
