import { describe, expect, it } from 'vitest';

import { datasetFromTable, sequencesFromTable, type NumericTable } from '../../../core/datasets/table.ts';

function table(rows: number[][], y: number[], names = ['seq', 'a', 'b'], classification = false): NumericTable {
  return {
    name: 't.csv',
    featureNames: names,
    rows: rows.length,
    features: names.length,
    x: Float32Array.from(rows.flat()),
    y: Float32Array.from(y),
    classification,
    classNames: classification ? ['no', 'yes'] : [],
  };
}

describe('sequences in long layout', () => {
  it('groups contiguous rows by the sequence column and drops it from the features', () => {
    const t = table(
      [
        [7, 1, 2],
        [7, 3, 4],
        [9, 5, 6],
        [9, 7, 8],
      ],
      [1, 1, 0, 0],
      ['seq', 'a', 'b'],
      true,
    );
    const ds = sequencesFromTable(t, 'seq');
    expect(ds.n).toBe(2);
    expect(ds.steps).toBe(2);
    expect(ds.features).toBe(2);
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(Array.from(ds.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ds.task).toBe('classification');
    expect(Array.from(ds.y)).toEqual([1, 0]);
  });

  it('names the sequence of a ragged file', () => {
    const t = table([[0, 1, 1], [0, 1, 1], [1, 1, 1]], [0, 0, 0]);
    expect(() => sequencesFromTable(t, 'seq')).toThrow('sequence 1 has 1 rows; the first sequence has 2');
  });

  it('names the row where a target changes inside a sequence', () => {
    const t = table([[0, 1, 1], [0, 1, 1]], [0, 1]);
    expect(() => sequencesFromTable(t, 'seq')).toThrow('data row 2: the target changes inside sequence 0');
  });

  it('refuses a sequence split by another and an unknown column', () => {
    const t = table([[0, 1, 1], [1, 1, 1], [0, 1, 1]], [0, 0, 0]);
    expect(() => sequencesFromTable(t, 'seq')).toThrow('sequence 0 appears again');
    expect(() => sequencesFromTable(t, 'id')).toThrow('no column named "id"');
  });

  it('keeps plain tables one sample per row', () => {
    const ds = datasetFromTable(table([[0, 1, 1]], [2.5]));
    expect(ds).toMatchObject({ n: 1, features: 3, task: 'regression' });
    expect(ds.steps).toBeUndefined();
  });
});
