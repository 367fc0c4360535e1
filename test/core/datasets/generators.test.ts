import { describe, expect, it } from 'vitest';

import { DatasetError, blobs, circles, moons, sine, spiral, xor } from '../../../core/datasets/generators.ts';

const classifiers = { spiral, xor, circles, moons, blobs } as const;

describe.each(Object.entries(classifiers))('%s', (name, generate) => {
  it('is deterministic with a seed and different with another', () => {
    const a = generate({ n: 200, seed: 1 });
    const b = generate({ n: 200, seed: 1 });
    const c = generate({ n: 200, seed: 2 });
    expect(a.x).toEqual(b.x);
    expect(a.y).toEqual(b.y);
    expect(a.x).not.toEqual(c.x);
  });

  it('has the documented sizes, labels and metadata', () => {
    const ds = generate({ n: 101, seed: 3 });
    expect(ds.name).toBe(name);
    expect(ds.task).toBe('classification');
    expect(ds.n).toBe(101);
    expect(ds.features).toBe(2);
    expect(ds.featureNames).toEqual(['x1', 'x2']);
    expect(ds.x).toBeInstanceOf(Float32Array);
    expect(ds.x.length).toBe(101 * 2);
    expect(ds.y).toBeInstanceOf(Int32Array);
    expect(ds.y.length).toBe(101);
    const counts = new Array(ds.classes).fill(0);
    for (const c of ds.y) counts[c]++;
    // Round-robin labels: balanced to within one row.
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(ds.x.every(Number.isFinite)).toBe(true);
  });

  it('rejects n outside 1 to 1,000,000 with a clear message', () => {
    expect(() => generate({ n: 0 })).toThrow(DatasetError);
    expect(() => generate({ n: 0 })).toThrow(`${name}: n must be an integer from 1 to 1,000,000 (got 0)`);
    expect(() => generate({ n: 1_000_001 })).toThrow(`${name}: n must be an integer from 1 to 1,000,000 (got 1000001)`);
    expect(() => generate({ n: 2.5 })).toThrow(/n must be an integer/);
  });

  it('rejects negative noise and unknown options', () => {
    expect(() => generate({ noise: -1 })).toThrow(`${name}: noise must be a number from 0 to 10 (got -1)`);
    expect(() => generate({ colour: 'red' } as never)).toThrow(new RegExp(`^${name}: unknown option "colour"; it takes n, noise, seed`));
  });
});

describe('class counts', () => {
  it('spiral and blobs take the number of classes', () => {
    const s = spiral({ n: 300, classes: 3 });
    expect(s.classes).toBe(3);
    expect(new Set(s.y).size).toBe(3);
    const b = blobs({ n: 50, classes: 5 });
    expect(b.classes).toBe(5);
    expect(new Set(b.y).size).toBe(5);
    expect(spiral().classes).toBe(2);
    expect(() => spiral({ classes: 1 })).toThrow('spiral: classes must be an integer from 2 to 8 (got 1)');
    expect(() => blobs({ classes: 17 })).toThrow('blobs: classes must be an integer from 2 to 16 (got 17)');
  });

  it('xor, circles and moons have two classes', () => {
    for (const ds of [xor(), circles(), moons()]) expect(ds.classes).toBe(2);
  });
});

describe('shapes of the sets', () => {
  it('xor labels follow the signs when there is no noise', () => {
    const ds = xor({ n: 500, noise: 0, seed: 4 });
    for (let i = 0; i < ds.n; i++) {
      const differ = ds.x[2 * i] > 0 !== ds.x[2 * i + 1] > 0;
      expect(ds.y[i]).toBe(differ ? 1 : 0);
    }
  });

  it('circles put class 0 on radius 1 and class 1 on radius factor', () => {
    const ds = circles({ n: 200, noise: 0, factor: 0.3 });
    for (let i = 0; i < ds.n; i++) {
      const r = Math.hypot(ds.x[2 * i], ds.x[2 * i + 1]);
      expect(r).toBeCloseTo(ds.y[i] === 0 ? 1 : 0.3, 5);
    }
  });

  it('blobs centre each class on its own point', () => {
    const ds = blobs({ n: 3000, classes: 4, noise: 0.1, spread: 2 });
    for (let c = 0; c < 4; c++) {
      let sx = 0;
      let sy = 0;
      let count = 0;
      for (let i = 0; i < ds.n; i++) {
        if (ds.y[i] !== c) continue;
        sx += ds.x[2 * i];
        sy += ds.x[2 * i + 1];
        count++;
      }
      expect(sx / count).toBeCloseTo(2 * Math.cos((c * Math.PI) / 2), 1);
      expect(sy / count).toBeCloseTo(2 * Math.sin((c * Math.PI) / 2), 1);
    }
  });
});

describe('sine (regression)', () => {
  it('is a 1-D regression set y = sin(3x) + noise', () => {
    const ds = sine({ n: 100, noise: 0, seed: 8 });
    expect(ds.task).toBe('regression');
    expect(ds.classes).toBe(0);
    expect(ds.features).toBe(1);
    expect(ds.featureNames).toEqual(['x']);
    expect(ds.y).toBeInstanceOf(Float32Array);
    for (let i = 0; i < ds.n; i++) expect(ds.y[i]).toBeCloseTo(Math.sin(3 * ds.x[i]), 5);
  });

  it('is deterministic with a seed and different with another', () => {
    expect(sine({ seed: 1 }).y).toEqual(sine({ seed: 1 }).y);
    expect(sine({ seed: 1 }).y).not.toEqual(sine({ seed: 2 }).y);
  });
});
