// A standardized CSV with a test part is scaled by its training rows alone: the
// test rows' values must not reach the statistics the network trains on.
import { describe, expect, it } from 'vitest';

import { selectRows, splitTrainTest } from '../../../core/datasets/dataset.ts';
import { csvBytesDataset } from '../../../electron/engine/csvDataset.ts';
import { buildJobDataset } from '../../../electron/engineHost/jobDataset.ts';

// 40 rows; the feature grows with the row, so any set of rows has its own mean.
const CSV = ['x,y', ...Array.from({ length: 40 }, (_, i) => `${i * i},${i % 2}`)].join('\n');
const bytes = new TextEncoder().encode(CSV);
const choice = { standardize: true };

function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n) };
}

describe('standardizing a CSV with a test part', () => {
  it('gives the training rows mean 0 and spread 1, and not every row', () => {
    const heldOut = { testFraction: 0.25, seed: 7 };
    const ds = csvBytesDataset(bytes, choice, 'grow.csv', heldOut);
    const { trainRows, testRows } = splitTrainTest(ds, heldOut.testFraction, heldOut.seed);
    const train = meanAndStd(selectRows(ds, trainRows).x);
    expect(train.mean).toBeCloseTo(0, 5);
    expect(train.std).toBeCloseTo(1, 5);
    // Over all rows it is not centred: the test rows were scaled by statistics they took no part in.
    expect(Math.abs(meanAndStd(ds.x).mean)).toBeGreaterThan(1e-3);
    expect(testRows.length).toBe(10);
  });

  it('leaves a run without a test part scaled by the parser over every row, as before', () => {
    const parsed = csvBytesDataset(bytes, choice, 'grow.csv');
    expect(csvBytesDataset(bytes, choice, 'grow.csv', { testFraction: 0, seed: 7 }).x).toEqual(parsed.x);
    const all = meanAndStd(parsed.x);
    expect(all.mean).toBeCloseTo(0, 5);
    expect(all.std).toBeCloseTo(1, 5);
  });

  it('still refuses to standardize a sequence file', () => {
    const sequences = 'seq,x,y\n0,1,0\n0,2,0\n1,3,1\n1,4,1\n';
    expect(() =>
      csvBytesDataset(new TextEncoder().encode(sequences), { standardize: true, sequenceColumn: 'seq' }, 's.csv', { testFraction: 0.5, seed: 1 }),
    ).toThrow(/a sequence file \(with a sequence column\) cannot be standardized/);
  });

  it('is what the engine host and the lab\'s queries build from a job, from its settings', () => {
    const settings = { optimizer: { type: 'sgd', lr: 0.1 }, test_fraction: 0.25, seed: 7 };
    const dataset = { csv: { fileName: 'grow.csv', standardize: true } };
    const fromJob = buildJobDataset({ dataset, csvText: CSV, settings });
    expect(fromJob.x).toEqual(csvBytesDataset(bytes, choice, 'grow.csv', { testFraction: 0.25, seed: 7 }).x);
    const noSplit = buildJobDataset({ dataset, csvText: CSV, settings: { ...settings, test_fraction: 0 } });
    expect(noSplit.x).toEqual(csvBytesDataset(bytes, choice, 'grow.csv').x);
  });
});
