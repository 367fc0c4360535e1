import { describe, expect, it } from 'vitest';

import { deepSigmoidMlp } from '../../../core/network/templates.ts';
import { deepEqual, sameNetwork } from '../../../renderer/src/designer/sameNetwork.ts';

describe('same network', () => {
  it('a copy is the same network', () => {
    const spec = deepSigmoidMlp({ depth: 2 });
    expect(sameNetwork(spec, structuredClone(spec))).toBe(true);
  });

  it('the same spec with defaults filled in is the same network', () => {
    const written = { format: 'vglab-network/1', nodes: [{ id: 'x', type: 'input', params: { features: 2 } }, { id: 'r', type: 'relu' }], edges: [{ from: 'x', to: 'r' }], loss: { type: 'mse' } } as const;
    const filled = { ...written, nodes: [written.nodes[0], { id: 'r', type: 'relu', params: {} }] };
    expect(sameNetwork(written as never, filled as never)).toBe(true);
  });

  it('a changed param is a different network', () => {
    const spec = deepSigmoidMlp({ depth: 2 });
    const other = structuredClone(spec);
    (other.nodes[1].params as { units: number }).units = 7;
    expect(sameNetwork(spec, other)).toBe(false);
  });

  it('deepEqual treats undefined keys as absent and compares arrays by element', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [1, 2])).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: [1] }, { a: { 0: 1 } })).toBe(false);
  });
});
