import { describe, expect, it } from 'vitest';

import { applyStandardization, rowLength, selectRows, splitTrainTest, standardize } from '../../../core/datasets/dataset.ts';
import { sine, spiral } from '../../../core/datasets/generators.ts';
import { adding, delayedRecall } from '../../../core/datasets/sequences.ts';

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

describe('sequence data sets', () => {
  it('select and split whole sequences, keeping steps', () => {
    const ds = adding({ n: 30, length: 7, seed: 4 });
    expect(rowLength(ds)).toBe(14);
    const picked = selectRows(ds, [5, 0]);
    expect(picked.steps).toBe(7);
    expect(picked.n).toBe(2);
    expect(Array.from(picked.x.subarray(0, 14))).toEqual(Array.from(ds.x.subarray(5 * 14, 6 * 14)));
    expect(Array.from(picked.x.subarray(14))).toEqual(Array.from(ds.x.subarray(0, 14)));
    expect(picked.y[0]).toBe(ds.y[5]);

    const { train, test, testRows } = splitTrainTest(ds, 0.2, 1);
    expect([train.steps, test.steps]).toEqual([7, 7]);
    expect(train.x.length + test.x.length).toBe(ds.x.length);
    expect(Array.from(test.x.subarray(0, 14))).toEqual(Array.from(ds.x.subarray(testRows[0] * 14, testRows[0] * 14 + 14)));
    expect(selectRows(spiral({ n: 4 }), [1]).steps).toBeUndefined();
  });

  it('standardize each feature over every row and every timestep', () => {
    const ds = delayedRecall({ n: 40, length: 6, noise: 0.3, seed: 2 });
    const { dataset, means, stds } = standardize(ds);
    expect(dataset.steps).toBe(6);
    expect(means).toHaveLength(ds.features);
    const f = ds.features;
    const count = ds.n * 6;
    for (let j = 0; j < f; j++) {
      let sum = 0;
      let sq = 0;
      let rawSum = 0;
      for (let i = 0; i < count; i++) {
        sum += dataset.x[i * f + j];
        rawSum += ds.x[i * f + j];
      }
      for (let i = 0; i < count; i++) sq += (dataset.x[i * f + j] - sum / count) ** 2;
      expect(means[j]).toBeCloseTo(rawSum / count, 5);
      expect(sum / count).toBeCloseTo(0, 4);
      expect(Math.sqrt(sq / count)).toBeCloseTo(1, 3);
    }
    // The last timestep of the last row is rescaled too.
    const last = ds.x.length - 1;
    expect(dataset.x[last]).toBeCloseTo((ds.x[last] - means[f - 1]) / stds[f - 1], 5);
  });
});
