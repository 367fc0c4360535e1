// The initial-scale judgement: each scheme's spread at a fan-in, and which stacks
// start too small or too large for the activation after their layers.
import { describe, expect, it } from 'vitest';

import { analyseNetwork } from '../../../core/diagnosis/anatomy.ts';
import { judgeNetworkInit } from '../../../core/diagnosis/causes.ts';
import { initStd } from '../../../core/diagnosis/initScale.ts';
import { TEMPLATE_IDS } from '../../../core/network/templates.ts';
import { mlp, template, type Validated } from './helpers.ts';

const verdict = (net: Validated) => judgeNetworkInit(net.spec, analyseNetwork(net.spec, net.plan));

describe('initStd', () => {
  it('gives the spread each scheme draws', () => {
    expect(initStd('he_normal', 1, 32, 32)).toBeCloseTo(Math.sqrt(2 / 32), 12);
    expect(initStd('he_uniform', 2, 50, 10)).toBeCloseTo(2 * Math.sqrt(2 / 50), 12);
    expect(initStd('xavier_uniform', 1, 32, 32)).toBeCloseTo(Math.sqrt(2 / 64), 12);
    expect(initStd('lecun_normal', 1, 16, 4)).toBeCloseTo(0.25, 12);
    expect(initStd('normal', 0.01, 32, 32)).toBe(0.01);
    expect(initStd('uniform', 0.3, 32, 32)).toBeCloseTo(0.3 / Math.sqrt(3), 12);
    expect(initStd('zeros', 1, 32, 32)).toBe(0);
  });
});

describe('judging a stack', () => {
  it('finds every template about right', () => {
    for (const id of TEMPLATE_IDS) expect(verdict(template(id)), id).toBeNull();
  });

  it('flags Xavier in front of ReLU over a deep stack, not a shallow one', () => {
    const deep = verdict(mlp('relu', 10, 'xavier_uniform'));
    expect(deep).toMatchObject({ direction: 'too-small', xavierWithRelu: true });
    expect(deep!.factor).toBeCloseTo(Math.SQRT1_2 ** 9, 6);
    expect(verdict(mlp('relu', 3, 'xavier_uniform'))).toBeNull();
  });

  it('flags a tiny normal and all-zero weights as too small', () => {
    expect(verdict(mlp('tanh', 3, 'normal', 0.01))).toMatchObject({ direction: 'too-small', xavierWithRelu: false });
    expect(verdict(mlp('relu', 2, 'zeros'))?.direction).toBe('too-small');
  });

  it('flags a unit normal on wide layers and a large gain as too large', () => {
    const wide = verdict(mlp('tanh', 4, 'normal', 1, 256));
    expect(wide?.direction).toBe('too-large');
    expect(wide?.layers.map((l) => l.id)).toEqual(['dense1', 'dense2', 'dense3', 'dense4']);
    expect(verdict(mlp('relu', 8, 'he_normal', 2))?.direction).toBe('too-large');
  });
});
