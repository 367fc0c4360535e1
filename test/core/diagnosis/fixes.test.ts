// Every fix is a pure transform whose output validates and does what its label says:
// no sigmoid left after "Use ReLU", a batchnorm after every hidden dense layer, add
// nodes only where widths match, an LSTM of the same hidden size, and so on. Ids of
// existing nodes stay; new ones are unique.
import { describe, expect, it } from 'vitest';

import { leakyReluFix, reluHeFix } from '../../../core/diagnosis/fixes/activations.ts';
import { FIX_ORDER, buildFixes } from '../../../core/diagnosis/fixes/catalog.ts';
import { derivedId, freshId } from '../../../core/diagnosis/fixes/edit.ts';
import { standardInitFix } from '../../../core/diagnosis/fixes/init.ts';
import { batchnormFix } from '../../../core/diagnosis/fixes/normalisation.ts';
import { forgetBiasFix, gruFix, lstmFix } from '../../../core/diagnosis/fixes/recurrent.ts';
import { residualFix } from '../../../core/diagnosis/fixes/residual.ts';
import { clipGradientsFix, lowerLearningRateFix } from '../../../core/diagnosis/fixes/training.ts';
import type { Fix, FixResult } from '../../../core/diagnosis/types.ts';
import { NODE_ID_PATTERN, type NetworkNode, type NetworkSpec } from '../../../core/network/spec.ts';
import { validateNetwork, type NetworkPlan } from '../../../core/network/validate.ts';
import { idsOfType, mlp, settings, template, validated } from './helpers.ts';

/** Applies `fix`, checks the input was not touched and the output validates; returns the output and its plan. */
function applyChecked(fix: Fix | null, spec: NetworkSpec, s = settings()): FixResult & { plan: NetworkPlan } {
  if (!fix) throw new Error('the fix was not offered');
  const before = structuredClone(spec);
  const settingsBefore = structuredClone(s);
  const out = fix.apply(spec, s);
  expect(spec).toEqual(before);
  expect(s).toEqual(settingsBefore);
  const v = validateNetwork(out.spec);
  if (!v.ok) throw new Error(`${fix.id} gave an invalid spec: ${v.errors.map((e) => e.message).join('; ')}`);
  for (const n of out.spec.nodes) expect(n.id).toMatch(NODE_ID_PATTERN);
  return { ...out, plan: v.plan };
}

const byId = (spec: NetworkSpec, id: string): NetworkNode => spec.nodes.find((n) => n.id === id)!;
const ids = (spec: NetworkSpec) => spec.nodes.map((n) => n.id);

describe('Use ReLU with He initialisation', () => {
  const net = template('deep_sigmoid', { depth: 10 });

  it('leaves no sigmoid, keeps every id, and draws the dense layers with He', () => {
    const fix = reluHeFix(net.spec);
    const { spec } = applyChecked(fix, net.spec);
    expect(idsOfType(spec, 'sigmoid')).toEqual([]);
    expect(idsOfType(spec, 'relu')).toEqual(idsOfType(net.spec, 'sigmoid'));
    expect(ids(spec)).toEqual(ids(net.spec));
    expect(spec.edges).toEqual(net.spec.edges);
    for (let i = 1; i <= 10; i++) expect(byId(spec, `dense${i}`)).toMatchObject({ params: { init: 'he_normal', init_scale: 1 } });
    expect(fix?.description).toContain('"sigmoid1"');
    expect(reluHeFix(spec)).toBeNull();
  });

  it('keeps an output activation, which the loss may rely on', () => {
    const input = structuredClone(mlp('tanh', 3, 'xavier_uniform').spec);
    input.nodes.push({ id: 'squash', type: 'sigmoid', params: {} });
    input.edges.push({ from: 'logits', to: 'squash' });
    input.loss = { type: 'mse' };
    const { spec } = applyChecked(reluHeFix(validated(input).spec), validated(input).spec);
    expect(idsOfType(spec, 'sigmoid')).toEqual(['squash']);
    expect(idsOfType(spec, 'tanh')).toEqual([]);
  });

  it('drops explicit weights of the layers it redraws', () => {
    const input = structuredClone(mlp('sigmoid', 2, 'xavier_uniform', 1, 3).spec);
    const d1 = input.nodes.find((n) => n.id === 'dense1');
    if (d1?.type !== 'dense') throw new Error('no dense1');
    d1.weights = { weight: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], bias: [0, 0, 0] };
    const net = validated(input);
    const { spec } = applyChecked(reluHeFix(net.spec), net.spec);
    expect(byId(spec, 'dense1').weights).toBeUndefined();
  });
});

describe('Use leaky ReLU', () => {
  it('turns every ReLU into a leaky ReLU', () => {
    const net = template('deep_relu_he', { depth: 5 });
    const { spec } = applyChecked(leakyReluFix(net.spec), net.spec);
    expect(idsOfType(spec, 'relu')).toEqual([]);
    expect(idsOfType(spec, 'leaky_relu')).toEqual(idsOfType(net.spec, 'relu'));
    expect(byId(spec, 'relu1')).toMatchObject({ params: { slope: 0.01 } });
  });

  it('is not offered without ReLU layers', () => {
    expect(leakyReluFix(template('deep_sigmoid').spec)).toBeNull();
  });
});

describe('Use He / Xavier initialisation', () => {
  it('gives ReLU stacks He and squashing stacks Xavier, at scale 1', () => {
    const relu = mlp('relu', 6, 'normal', 0.01);
    const { spec } = applyChecked(standardInitFix(relu.spec), relu.spec);
    for (let i = 1; i <= 6; i++) expect(byId(spec, `dense${i}`)).toMatchObject({ params: { init: 'he_normal', init_scale: 1 } });
    expect(byId(spec, 'logits')).toMatchObject({ params: { init: 'xavier_uniform', init_scale: 1 } });

    const tanh = mlp('tanh', 4, 'he_normal', 3);
    const out = applyChecked(standardInitFix(tanh.spec), tanh.spec).spec;
    expect(byId(out, 'dense2')).toMatchObject({ params: { init: 'xavier_uniform', init_scale: 1 } });
  });

  it('is not offered when every layer already has a fitting scheme', () => {
    expect(standardInitFix(template('deep_relu_he').spec)).toBeNull();
    expect(standardInitFix(template('deep_sigmoid').spec)).toBeNull();
  });
});

describe('Add batch normalisation', () => {
  const net = template('deep_sigmoid', { depth: 10 });

  it('puts a batchnorm between every hidden dense layer and its activation, not after the read-out', () => {
    const { spec, plan } = applyChecked(batchnormFix(net.spec), net.spec);
    const bns = idsOfType(spec, 'batchnorm');
    expect(bns).toEqual(Array.from({ length: 10 }, (_, i) => `bn${i + 1}`));
    for (let i = 1; i <= 10; i++) {
      expect(plan.inputs[`bn${i}`]).toEqual([`dense${i}`]);
      expect(plan.inputs[`sigmoid${i}`]).toEqual([`bn${i}`]);
    }
    expect(plan.output).toBe('logits');
    expect(batchnormFix(spec)).toBeNull();
  });

  it('names new nodes around ids already taken', () => {
    const input = structuredClone(net.spec);
    input.nodes.push({ id: 'bn3', type: 'relu', params: {} });
    input.edges = input.edges.filter((e) => e.from !== 'sigmoid10');
    input.edges.push({ from: 'sigmoid10', to: 'bn3' }, { from: 'bn3', to: 'logits' });
    const taken = validated(input);
    const { spec } = applyChecked(batchnormFix(taken.spec), taken.spec);
    expect(idsOfType(spec, 'batchnorm')).toContain('bn3_2');
    expect(new Set(ids(spec)).size).toBe(spec.nodes.length);
  });
});

describe('Add skip connections', () => {
  const net = template('deep_sigmoid', { depth: 10 });

  it('wraps every equal-width block in an add, chaining the skips, and skips the widening first block', () => {
    const fix = residualFix(net.spec);
    const { spec, plan } = applyChecked(fix, net.spec);
    expect(idsOfType(spec, 'add')).toEqual(Array.from({ length: 9 }, (_, i) => `add${i + 2}`));
    expect(plan.inputs.add2).toEqual(['sigmoid2', 'sigmoid1']);
    expect(plan.inputs.add3).toEqual(['sigmoid3', 'add2']);
    expect(plan.inputs.dense3).toEqual(['add2']);
    expect(plan.inputs.logits).toEqual(['add10']);
    expect(fix?.description).toContain('The block at "dense1" changes width');
    expect(residualFix(spec)).toBeNull();
  });

  it('is not offered for a network that is residual already or has no equal widths', () => {
    expect(residualFix(template('residual_mlp').spec)).toBeNull();
    expect(residualFix(mlp('relu', 1, 'he_normal').spec)).toBeNull();
  });

  it('composes with ReLU and batchnorm into a valid network', () => {
    let out = { spec: net.spec, settings: settings() };
    for (const make of [reluHeFix, batchnormFix, residualFix]) out = applyChecked(make(out.spec), out.spec, out.settings);
    expect(idsOfType(out.spec, 'add')).toHaveLength(9);
    expect(idsOfType(out.spec, 'batchnorm')).toHaveLength(10);
    expect(idsOfType(out.spec, 'sigmoid')).toEqual([]);
  });
});

describe('Replace the RNN', () => {
  const net = template('rnn_adding', { sequenceLength: 40, width: 24 });

  it('with an LSTM of the same hidden size and forget bias 1, keeping the id and edges', () => {
    const { spec } = applyChecked(lstmFix(net.spec), net.spec);
    expect(byId(spec, 'rnn')).toMatchObject({ type: 'lstm', params: { hidden_size: 24, return: 'last', forget_bias: 1 } });
    expect(spec.edges).toEqual(net.spec.edges);
    expect(lstmFix(spec)).toBeNull();
  });

  it('with a GRU of the same hidden size', () => {
    const { spec } = applyChecked(gruFix(net.spec), net.spec);
    expect(byId(spec, 'rnn')).toMatchObject({ type: 'gru', params: { hidden_size: 24 } });
  });

  it('in a stack, every layer, keeping the return modes', () => {
    const stack = template('rnn_adding', { depth: 3, sequenceLength: 20 });
    const { spec } = applyChecked(lstmFix(stack.spec), stack.spec);
    expect(spec.nodes.filter((n) => n.type === 'lstm').map((n) => (n.type === 'lstm' ? n.params.return : ''))).toEqual([
      'sequence',
      'sequence',
      'last',
    ]);
  });

  it('opens a closed LSTM forget gate', () => {
    const input = structuredClone(template('lstm_adding').spec);
    const lstm = input.nodes.find((n) => n.type === 'lstm');
    if (lstm?.type !== 'lstm') throw new Error('no lstm');
    lstm.params.forget_bias = 0;
    const { spec } = applyChecked(forgetBiasFix(input), input);
    expect(byId(spec, 'lstm')).toMatchObject({ params: { forget_bias: 1 } });
    expect(forgetBiasFix(template('lstm_adding').spec)).toBeNull();
  });
});

describe('training-setting fixes', () => {
  const net = template('deep_relu_he', { depth: 2 });

  it('turns clipping on at norm 1, only when it is off', () => {
    const out = applyChecked(clipGradientsFix(settings()), net.spec);
    expect(out.settings.clip_norm).toBe(1);
    expect(out.spec).toBe(net.spec);
    expect(clipGradientsFix(settings({ clip_norm: 2 }))).toBeNull();
  });

  it('divides the learning rate by ten and says the new value', () => {
    const s = settings({ optimizer: { type: 'adam', lr: 0.003 } });
    const fix = lowerLearningRateFix(s);
    expect(fix.label).toBe('Lower the learning rate to 3e-4');
    const out = applyChecked(fix, net.spec, s);
    expect(out.settings.optimizer).toMatchObject({ type: 'adam', lr: 0.0003 });
  });
});

describe('buildFixes', () => {
  it('builds each applicable fix once, in FIX_ORDER, dropping those that change nothing', () => {
    const net = template('deep_sigmoid', { depth: 8 });
    const fixes = buildFixes(['residual', 'lstm', 'relu-he', 'residual', 'clip-gradients'], net.spec, settings());
    expect(fixes.map((f) => f.id)).toEqual(['relu-he', 'residual', 'clip-gradients']);
    expect(FIX_ORDER.indexOf('relu-he')).toBeLessThan(FIX_ORDER.indexOf('residual'));
  });
});

describe('new node ids', () => {
  it('follow the layer number and avoid taken ids, within the length limit', () => {
    expect(derivedId('dense7', 'bn')).toBe('bn7');
    expect(derivedId('hidden', 'bn')).toBe('hidden_bn');
    const taken = new Set(['bn7', 'bn7_2']);
    expect(freshId('bn7', taken)).toBe('bn7_3');
    expect(taken.has('bn7_3')).toBe(true);
    const long = freshId('x'.repeat(80), new Set(['x'.repeat(64)]));
    expect(long).toMatch(NODE_ID_PATTERN);
    expect(long.endsWith('_2')).toBe(true);
    expect(freshId('a b', new Set())).toBe('a_b');
  });
});
