import { describe, expect, it } from 'vitest';

import { residualMlp } from '../../../core/network/templates.ts';
import { initialPositions } from '../../../renderer/src/designer/initialPositions.ts';

describe('positions of a network from outside', () => {
  it('lays out a network that has no positions', () => {
    const spec = residualMlp({ depth: 1, width: 4 });
    const p = initialPositions(spec, {});
    expect(Object.keys(p).sort()).toEqual(spec.nodes.map((n) => n.id).sort());
  });

  it('returns complete positions unchanged (same object)', () => {
    const spec = residualMlp({ depth: 1, width: 4 });
    const full = initialPositions(spec, {});
    expect(initialPositions(spec, full)).toBe(full);
  });

  it('keeps given positions, places missing nodes, drops unknown ids', () => {
    const spec = residualMlp({ depth: 1, width: 4 });
    const given = { x: { x: 5, y: 5 }, ghost: { x: 0, y: 0 } };
    const p = initialPositions(spec, given);
    expect(p.x).toEqual({ x: 5, y: 5 });
    expect(p.ghost).toBeUndefined();
    expect(Object.keys(p)).toHaveLength(spec.nodes.length);
  });
});
