import { describe, expect, it } from 'vitest';

import { DATASETS, DATASET_NAMES, datasetOptions, makeDataset } from '../../../core/datasets/catalog.ts';
import { DatasetError } from '../../../core/datasets/generators.ts';

describe('data set catalog', () => {
  it('lists every built-in set with label, description and option defaults', () => {
    expect(DATASET_NAMES).toEqual(['spiral', 'xor', 'circles', 'moons', 'blobs', 'sine']);
    for (const name of DATASET_NAMES) {
      const info = DATASETS[name];
      expect(info.name).toBe(name);
      expect(info.label.length).toBeGreaterThan(0);
      expect(info.description.length).toBeGreaterThan(40);
      const defaults = info.options.parse({});
      expect(defaults).toMatchObject({ seed: 0 });
      const ds = makeDataset(name, { n: 10 });
      expect(ds.task).toBe(info.task);
      expect(ds.features).toBe(info.features);
      expect(ds.n).toBe(10);
    }
  });

  it('passes options through and fills defaults', () => {
    expect(makeDataset('blobs', { classes: 6, n: 12 }).classes).toBe(6);
    expect(datasetOptions('spiral', { n: 5 })).toEqual({ n: 5, noise: 0.05, seed: 0, classes: 2, turns: 1 });
    expect(makeDataset('xor', { seed: 4 }).x).toEqual(makeDataset('xor', { seed: 4 }).x);
  });

  it('names an unknown set and bad options clearly', () => {
    expect(() => makeDataset('mnist')).toThrow(DatasetError);
    expect(() => makeDataset('mnist')).toThrow('unknown data set "mnist"; the built-in sets are spiral, xor, circles, moons, blobs, sine');
    expect(() => makeDataset('circles', { factor: 2 })).toThrow('circles: factor must be a number from 0.05 to 0.95 (got 2)');
    expect(() => datasetOptions('moons', { n: -5 })).toThrow('moons: n must be an integer from 1 to 1,000,000 (got -5)');
  });
});
