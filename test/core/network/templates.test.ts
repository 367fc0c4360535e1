import { describe, expect, it } from 'vitest';

import { validateNetwork } from '../../../core/network/validate.ts';
import {
  MLP_LIMITS,
  RECURRENT_LIMITS,
  TEMPLATE_LIST,
  buildTemplate,
  deepReluHeMlp,
  deepSigmoidMlp,
  recurrentAdding,
  residualMlp,
} from '../../../core/network/templates.ts';

function planOf(spec: unknown) {
  const result = validateNetwork(spec);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.plan;
}

describe('templates', () => {
  it('every template validates at its defaults and at the corners of its limits', () => {
    for (const t of TEMPLATE_LIST) {
      const { depth, width, sequenceLength } = t.limits;
      const corners = [
        t.defaults,
        { depth: depth.min, width: width.min, sequenceLength: sequenceLength.min },
        { depth: depth.max, width: width.max, sequenceLength: sequenceLength.max },
      ];
      for (const options of corners) {
        const result = validateNetwork(buildTemplate(t.id, options));
        expect(result.ok, `${t.id} ${JSON.stringify(options)}`).toBe(true);
      }
    }
  });

  it('the deep sigmoid MLP has depth dense+sigmoid pairs of the given width and a 2-class output', () => {
    const spec = deepSigmoidMlp({ depth: 4, width: 16 });
    const plan = planOf(spec);
    expect(spec.nodes.filter((n) => n.type === 'sigmoid')).toHaveLength(4);
    expect(spec.nodes.filter((n) => n.type === 'dense')).toHaveLength(5);
    expect(plan.shapes.dense1).toBe(16);
    expect(plan.shapes[plan.output]).toBe(2);
    expect(plan.output).toBe('logits');
    expect(spec.loss.type).toBe('softmax_cross_entropy');
  });

  it('the ReLU template uses ReLU and He initialisation throughout', () => {
    const spec = deepReluHeMlp({ depth: 3, width: 8 });
    expect(spec.nodes.some((n) => n.type === 'sigmoid')).toBe(false);
    expect(spec.nodes.filter((n) => n.type === 'relu')).toHaveLength(3);
    for (const n of spec.nodes) if (n.type === 'dense') expect(n.params.init).toBe('he_normal');
  });

  it('the residual MLP joins each block with an add node fed by the block and its skip', () => {
    const spec = residualMlp({ depth: 3, width: 8 });
    const plan = planOf(spec);
    expect(spec.nodes.filter((n) => n.type === 'add')).toHaveLength(3);
    expect(plan.inputs.add1).toEqual(['relu1', 'stem']);
    expect(plan.inputs.add2).toEqual(['relu2', 'add1']);
  });

  it('the adding-problem templates read 2 features over T steps and regress one number', () => {
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const spec = recurrentAdding(cell, { sequenceLength: 30, width: 12 });
      const plan = planOf(spec);
      expect(plan.time.x).toBe(30);
      expect(plan.shapes.x).toBe(2);
      expect(plan.shapes[cell]).toBe(12);
      expect(plan.sequence[cell]).toBe(false);
      expect(plan.shapes.sum).toBe(1);
      expect(spec.loss.type).toBe('mse');
    }
  });

  it('stacked recurrent layers return sequences except the last', () => {
    const spec = recurrentAdding('gru', { depth: 3, width: 4, sequenceLength: 5 });
    const plan = planOf(spec);
    expect(plan.sequence.gru1).toBe(true);
    expect(plan.sequence.gru2).toBe(true);
    expect(plan.sequence.gru3).toBe(false);
  });

  it('clamps and rounds sizes outside the limits instead of building an invalid spec', () => {
    const spec = buildTemplate('deep_sigmoid', { depth: 1e6, width: -3.7 });
    expect(spec.nodes.filter((n) => n.type === 'sigmoid')).toHaveLength(MLP_LIMITS.depth.max);
    expect(validateNetwork(spec).ok).toBe(true);
    const rnn = buildTemplate('lstm_adding', { sequenceLength: Number.NaN, depth: 99 });
    expect(rnn.nodes.filter((n) => n.type === 'lstm')).toHaveLength(RECURRENT_LIMITS.depth.max);
    expect(validateNetwork(rnn).ok).toBe(true);
  });

  it('node ids are unique in every template', () => {
    for (const t of TEMPLATE_LIST) {
      const spec = buildTemplate(t.id, { depth: 5 });
      const ids = spec.nodes.map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
