import { describe, expect, it } from 'vitest';

import { NODE_ID_PATTERN } from '../../../core/network/spec.ts';
import { idProblem, idStem, uniqueId } from '../../../renderer/src/designer/ids.ts';

describe('designer node ids', () => {
  it('numbers new ids from 1 after the type, skipping taken ones', () => {
    expect(uniqueId('dense', new Set())).toBe('dense1');
    expect(uniqueId('dense', new Set(['dense1', 'dense2']))).toBe('dense3');
    expect(uniqueId('dense', new Set(['dense2']))).toBe('dense1');
  });

  it('a copy of "dense7" gets the first free dense number', () => {
    expect(idStem('dense7')).toBe('dense');
    expect(uniqueId('dense7', new Set(['dense7', 'dense1']))).toBe('dense2');
  });

  it('cleans characters the pattern forbids and keeps ids within 64 characters', () => {
    expect(uniqueId('my layer!', new Set())).toBe('my_layer_1');
    const long = 'a'.repeat(80);
    const id = uniqueId(long, new Set());
    expect(id.length).toBeLessThanOrEqual(64);
    expect(NODE_ID_PATTERN.test(id)).toBe(true);
    expect(uniqueId('', new Set())).toBe('node1');
  });

  it('reports invalid and duplicate ids, but a node may keep its own id', () => {
    const taken = new Set(['x', 'dense1']);
    expect(idProblem('dense 1', taken, 'dense1')).toMatch(/letters, digits/);
    expect(idProblem('', taken, 'dense1')).toMatch(/1 to 64/);
    expect(idProblem('x', taken, 'dense1')).toMatch(/already used/);
    expect(idProblem('dense1', taken, 'dense1')).toBeNull();
    expect(idProblem('hidden', taken, 'dense1')).toBeNull();
  });
});
