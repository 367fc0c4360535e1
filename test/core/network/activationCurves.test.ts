import { describe, expect, it } from 'vitest';

import {
  ACTIVATION_KINDS,
  GELU_DERIVATIVE_MAX,
  activationCurve,
  activationOfNode,
  chainGainBound,
  chainGainProfile,
  erf,
  sampleCurve,
} from '../../../core/network/activationCurves.ts';

/** Central difference, away from kinks. */
function numericDerivative(f: (x: number) => number, x: number): number {
  const h = 1e-5;
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe('activation curves', () => {
  it('states the exact derivative maxima the theory overlay uses', () => {
    expect(activationCurve('sigmoid').derivativeMax).toBe(0.25);
    expect(activationCurve('tanh').derivativeMax).toBe(1);
    expect(activationCurve('relu').derivativeMax).toBe(1);
    expect(activationCurve('leaky_relu').derivativeMax).toBe(1);
    expect(activationCurve('elu').derivativeMax).toBe(1);
    expect(activationCurve('softplus').derivativeMax).toBe(1);
    expect(activationCurve('linear').derivativeMax).toBe(1);
    expect(GELU_DERIVATIVE_MAX).toBeCloseTo(1.1289041452, 9);
  });

  it('a leaky slope or an ELU alpha above 1 raises the bound to that value', () => {
    expect(activationCurve('leaky_relu', { slope: 3 }).derivativeMax).toBe(3);
    expect(activationCurve('leaky_relu', { slope: -2 }).derivativeMax).toBe(2);
    expect(activationCurve('elu', { alpha: 1.5 }).derivativeMax).toBe(1.5);
  });

  it('each derivative matches a finite difference of its function', () => {
    const xs = [-4.2, -1.3, -0.4, 0.37, 1.1, 3.9];
    for (const kind of ACTIVATION_KINDS) {
      const c = activationCurve(kind, { slope: 0.2, alpha: 0.7 });
      for (const x of xs) expect(c.df(x), `${kind} at ${x}`).toBeCloseTo(numericDerivative(c.f, x), 6);
    }
  });

  it('no sampled |derivative| exceeds the stated bound, and the bound is nearly reached', () => {
    for (const kind of ACTIVATION_KINDS) {
      const c = activationCurve(kind);
      const { dy } = sampleCurve(c, -30, 30, 60001);
      const top = Math.max(...dy.map(Math.abs));
      expect(top, kind).toBeLessThanOrEqual(c.derivativeMax + 1e-12);
      expect(top, kind).toBeGreaterThan(c.derivativeMax - 1e-6);
    }
  });

  it('the chain bound of n sigmoid layers is 0.25^n', () => {
    expect(chainGainBound('sigmoid', 10)).toBeCloseTo(0.25 ** 10, 20);
    expect(chainGainBound('relu', 50)).toBe(1);
  });

  it('the chain profile gives the bound at every depth, from 1 at depth 0', () => {
    expect(chainGainProfile('sigmoid', 3)).toEqual([1, 0.25, 0.0625, 0.015625]);
    expect(chainGainProfile('tanh', 2)).toEqual([1, 1, 1]);
  });

  it('erf matches known values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 12);
    expect(erf(-0.5)).toBeCloseTo(-0.5204998778130465, 12);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 12);
    expect(erf(10)).toBe(1);
  });

  it('functions stay finite far out (no overflow in sigmoid or softplus)', () => {
    for (const kind of ACTIVATION_KINDS) {
      const c = activationCurve(kind);
      for (const x of [-800, 800]) {
        expect(Number.isFinite(c.f(x)), `${kind}(${x})`).toBe(true);
        expect(Number.isFinite(c.df(x)), `${kind}'(${x})`).toBe(true);
      }
    }
  });

  it('sampleCurve spans the range evenly', () => {
    const s = sampleCurve(activationCurve('tanh'), -2, 2, 5);
    expect(s.x).toEqual([-2, -1, 0, 1, 2]);
    expect(s.dy[2]).toBe(1);
  });

  it('finds the activation of activation nodes and of an rnn, none for dense or lstm', () => {
    expect(activationOfNode({ id: 'a', type: 'leaky_relu', params: { slope: 0.3 } })).toEqual({
      kind: 'leaky_relu',
      params: { slope: 0.3, alpha: undefined },
    });
    expect(activationOfNode({ id: 'r', type: 'rnn', params: { hidden_size: 4 } })?.kind).toBe('tanh');
    expect(activationOfNode({ id: 'r', type: 'rnn', params: { hidden_size: 4, nonlinearity: 'relu' } })?.kind).toBe('relu');
    expect(activationOfNode({ id: 'd', type: 'dense', params: { units: 4 } })).toBeNull();
    expect(activationOfNode({ id: 'l', type: 'lstm', params: { hidden_size: 4 } })).toBeNull();
  });
});
