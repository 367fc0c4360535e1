import { describe, expect, it } from 'vitest';

import { derivativeBoundProfile, theoryOverlayOption, type BoundSpec } from '../../../core/charts/theoryOverlay.ts';
import { deepSigmoidMlp } from '../../../core/network/templates.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import { allocateTraceColumns, traceMetric } from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/** input, then `depth` pairs of dense d<k> + `act` a<k>, then a dense output: a chain. */
function chain(depth: number, act: string): { spec: BoundSpec; ids: string[] } {
  const ids = ['x'];
  for (let k = 1; k <= depth; k++) ids.push(`d${k}`, `a${k}`);
  ids.push('out');
  const type = (id: string) => (id === 'x' ? 'input' : id.startsWith('a') ? act : 'dense');
  const spec = {
    nodes: ids.map((id) => ({ id, type: type(id), params: {} })),
    edges: ids.slice(1).map((id, k) => ({ from: ids[k], to: id })),
  } as unknown as BoundSpec; // only ids, types and edges are read
  return { spec, ids };
}

describe('derivativeBoundProfile', () => {
  it('multiplies 0.25 for every sigmoid passed from the output back: 5 sigmoid layers give 0.25^k', () => {
    const { spec, ids } = chain(5, 'sigmoid');
    const p = derivativeBoundProfile(spec, ids);
    const at = (id: string) => p[ids.indexOf(id)];
    expect(at('out')).toBe(1);
    expect(at('a5')).toBe(1);
    for (let k = 1; k <= 5; k++) {
      expect(at(`d${k}`)).toBeCloseTo(0.25 ** (6 - k), 12);
      if (k < 5) expect(at(`a${k}`)).toBeCloseTo(0.25 ** (5 - k), 12);
    }
    expect(at('x')).toBeCloseTo(0.25 ** 5, 12);
  });

  it('keeps the bound at 1 through tanh and ReLU layers', () => {
    for (const act of ['tanh', 'relu']) {
      const { spec, ids } = chain(4, act);
      expect(Array.from(derivativeBoundProfile(spec, ids))).toEqual(ids.map(() => 1));
    }
  });

  it('adds the paths that join at a residual add (a skip keeps the bound at 1 or more)', () => {
    const ids = ['x', 'd1', 's1', 'a', 'out'];
    const spec = {
      nodes: [
        { id: 'x', type: 'input', params: { features: 2 } },
        { id: 'd1', type: 'dense', params: { units: 4 } },
        { id: 's1', type: 'sigmoid', params: {} },
        { id: 'a', type: 'add', params: {} },
        { id: 'out', type: 'dense', params: { units: 1 } },
      ],
      edges: [
        { from: 'x', to: 'd1' },
        { from: 'd1', to: 's1' },
        { from: 's1', to: 'a' },
        { from: 'd1', to: 'a' },
        { from: 'a', to: 'out' },
      ],
    } as BoundSpec;
    expect(Array.from(derivativeBoundProfile(spec, ids))).toEqual([1.25, 1.25, 1, 1, 1]);
  });

  it('accepts a validated spec and its plan order, and gives NaN for nodes the output does not depend on', () => {
    const result = validateNetwork(deepSigmoidMlp({ depth: 3, width: 8 }));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const p = derivativeBoundProfile(result.spec, result.plan.order);
    expect(p[0]).toBeCloseTo(0.25 ** 3, 12);
    expect(p[p.length - 1]).toBe(1);
    const { spec, ids } = chain(1, 'sigmoid');
    expect(Array.from(derivativeBoundProfile(spec, [...ids.slice(0, -1), 'lonely', 'out']))[3]).toBeNaN();
  });
});

describe('theoryOverlayOption', () => {
  /** Measured norms at the 5-sigmoid chain: 0.1 x 0.2^(steps from the last hidden layer); the input's is 0. */
  function columns() {
    const { spec, ids } = chain(5, 'sigmoid');
    const n = ids.length;
    const cols = allocateTraceColumns(2, ids, [], false);
    cols.steps.set([0, 50]);
    for (let r = 0; r < 2; r++) for (let k = 1; k < n; k++) cols.metrics.out_grad_norm[r * n + k] = 0.1 * 0.2 ** Math.max(0, n - 2 - k);
    return { spec, ids, cols };
  }

  it('draws the measured norm per layer and the dashed bound anchored at the last hidden layer on a log axis', () => {
    const { spec, ids, cols } = columns();
    const o = theoryOverlayOption(cols, spec, 1) as AnyOption;
    expect(o.yAxis.type).toBe('log');
    expect(o.xAxis.data).toEqual(ids.slice(1)); // the input's 0 cannot be drawn on a log axis
    const [measured, bound] = o.series;
    expect(measured.name).toContain(traceMetric('out_grad_norm').label);
    expect(measured.data[measured.data.length - 2]).toBeCloseTo(0.1, 6);
    expect(bound.lineStyle.type).toBe('dashed');
    expect(bound.data[bound.data.length - 1]).toBeNull(); // nothing drawn past the anchor
    expect(bound.data[bound.data.length - 2]).toBeCloseTo(0.1, 6); // a5, the anchor
    expect(bound.data[0]).toBeCloseTo(0.1 * 0.25 ** 5, 9); // d1
    expect(o.title.text).toContain('step 50');
  });

  it('takes another anchor when asked, and throws for an unknown one or a row out of range', () => {
    const { spec, cols } = columns();
    const o = theoryOverlayOption(cols, spec, 0, { anchor: 'a3' }) as AnyOption;
    expect(o.series[1].data.filter((v: unknown) => v !== null)).toHaveLength(6); // d1 .. a3
    expect(() => theoryOverlayOption(cols, spec, 0, { anchor: 'nope' })).toThrow(RangeError);
    expect(() => theoryOverlayOption(cols, spec, 2)).toThrow(RangeError);
  });

  it('renders to SVG with its title and legend', () => {
    const { spec, cols } = columns();
    const svg = renderSvg(theoryOverlayOption(cols, spec, 0, { title: 'Theory title' }), 700, 420);
    expect(svg).toContain('Theory title');
    expect(svg).toContain('Bound from activation slopes');
  });
});
