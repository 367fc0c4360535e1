import { describe, expect, it } from 'vitest';

import { DATASETS, DATASET_NAMES, datasetOptions, makeDataset } from '../../../core/datasets/catalog.ts';
import { DatasetError } from '../../../core/datasets/generators.ts';

describe('data set catalog', () => {
  it('lists every built-in set with label, description and option defaults', () => {
    expect(DATASET_NAMES).toEqual([
      'spiral',
      'xor',
      'circles',
      'moons',
      'blobs',
      'sine',
      'adding',
      'delayed_recall',
      'temporal_order',
      'parity_lag',
    ]);
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
      expect(ds.steps !== undefined).toBe(info.sequence);
    }
  });

  it('lists the sequence tasks with their length option', () => {
    const sequences = DATASET_NAMES.filter((name) => DATASETS[name].sequence);
    expect(sequences).toEqual(['adding', 'delayed_recall', 'temporal_order', 'parity_lag']);
    for (const name of sequences) {
      expect(Object.keys(DATASETS[name].options.shape)).toContain('length');
      expect(makeDataset(name, { n: 3, length: 1000 }).steps).toBe(1000);
    }
    expect(datasetOptions('parity_lag', { length: 8 })).toEqual({ n: 1000, length: 8, seed: 0 });
    expect(datasetOptions('delayed_recall')).toEqual({ n: 1000, length: 20, symbols: 4, noise: 0.1, seed: 0 });
    expect(makeDataset('adding').task).toBe('regression');
  });

  it('passes options through and fills defaults', () => {
    expect(makeDataset('blobs', { classes: 6, n: 12 }).classes).toBe(6);
    expect(datasetOptions('spiral', { n: 5 })).toEqual({ n: 5, noise: 0.05, seed: 0, classes: 2, turns: 1 });
    expect(makeDataset('xor', { seed: 4 }).x).toEqual(makeDataset('xor', { seed: 4 }).x);
  });

  it('names an unknown set and bad options clearly', () => {
    expect(() => makeDataset('mnist')).toThrow(DatasetError);
    expect(() => makeDataset('mnist')).toThrow(
      'unknown data set "mnist"; the built-in sets are spiral, xor, circles, moons, blobs, sine, adding, delayed_recall, temporal_order, parity_lag',
    );
    expect(() => makeDataset('adding', { length: 0 })).toThrow('adding: length must be an integer from 2 to 10,000 (got 0)');
    expect(() => makeDataset('circles', { factor: 2 })).toThrow('circles: factor must be a number from 0.05 to 0.95 (got 2)');
    expect(() => datasetOptions('moons', { n: -5 })).toThrow('moons: n must be an integer from 1 to 1,000,000 (got -5)');
  });
});
