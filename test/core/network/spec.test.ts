import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  GATE_COUNT,
  MAX_FEATURES,
  MAX_HIDDEN_SIZE,
  MAX_SEQUENCE_LENGTH,
  MAX_NODES,
  MAX_PARAMETERS,
  NODE_SCHEMAS,
  NODE_TYPES,
  NODE_TYPE_LIST,
  PARAM_DEFAULTS,
  RECURRENT_GATES,
  RECURRENT_HH_INIT_SCHEMES,
  RECURRENT_INIT_SCHEMES,
  RECURRENT_TYPES,
  isRecurrentNode,
  isRecurrentType,
  networkSpecSchema,
  nodeTensors,
  outFeaturesOf,
  weightNamesOf,
  type NetworkSpecInput,
} from '../../../core/network/spec.ts';

function spec(nodes: NetworkSpecInput['nodes']): NetworkSpecInput {
  return { format: 'vglab-network/1', nodes, edges: [], loss: { type: 'mse' } };
}

describe('network spec schema', () => {
  it('exports the limits the native side repeats', () => {
    expect(MAX_NODES).toBe(512);
    expect(MAX_FEATURES).toBe(65_536);
    expect(MAX_PARAMETERS).toBe(50_000_000);
    expect(MAX_SEQUENCE_LENGTH).toBe(10_000);
    expect(MAX_HIDDEN_SIZE).toBe(4096);
  });

  it('fills every documented default', () => {
    const parsed = networkSpecSchema.parse(
      spec([
        { id: 'x', type: 'input', params: { features: 2 } },
        { id: 'd1', type: 'dense', params: { units: 4 } },
        { id: 'l1', type: 'leaky_relu' },
        { id: 'e1', type: 'elu' },
        { id: 'bn', type: 'batchnorm' },
        { id: 'ln', type: 'layernorm' },
        { id: 'dr', type: 'dropout' },
        { id: 'a1', type: 'sigmoid' },
      ]),
    );
    const params = Object.fromEntries(parsed.nodes.map((n) => [n.id, n.params]));
    expect(params.d1).toEqual({ units: 4, bias: true, init: 'xavier_uniform', init_scale: 1 });
    expect(params.l1).toEqual({ slope: 0.01 });
    expect(params.e1).toEqual({ alpha: 1 });
    expect(params.bn).toEqual({ eps: 1e-5, momentum: 0.1 });
    expect(params.ln).toEqual({ eps: 1e-5 });
    expect(params.dr).toEqual({ p: 0.5 });
    expect(params.a1).toEqual({});
    expect(PARAM_DEFAULTS.dense).toEqual({ bias: true, init: 'xavier_uniform', init_scale: 1 });
  });

  it('accepts the example from the brief, weights included', () => {
    const result = networkSpecSchema.safeParse({
      format: 'vglab-network/1',
      name: 'example',
      nodes: [
        { id: 'x', type: 'input', params: { features: 2 } },
        {
          id: 'd1',
          type: 'dense',
          params: { units: 2, in_features: 2, bias: true, init: 'he_normal', init_scale: 1 },
          weights: { weight: [1, 2, 3, 4], bias: [0, 0] },
        },
        { id: 'bn', type: 'batchnorm', params: { eps: 1e-5, momentum: 0.1 }, weights: { gamma: [1, 1], beta: [0, 0], running_mean: [0, 0], running_var: [1, 1] } },
      ],
      edges: [{ from: 'x', to: 'd1' }],
      loss: { type: 'softmax_cross_entropy' },
    });
    expect(result.success).toBe(true);
  });

  it.each([
    ['an unknown node type', { id: 'c', type: 'conv' }],
    ['units 0', { id: 'd', type: 'dense', params: { units: 0 } }],
    ['fractional units', { id: 'd', type: 'dense', params: { units: 2.5 } }],
    ['units above the limit', { id: 'd', type: 'dense', params: { units: MAX_FEATURES + 1 } }],
    ['an unknown init scheme', { id: 'd', type: 'dense', params: { units: 2, init: 'glorot' } }],
    ['a negative init_scale', { id: 'd', type: 'dense', params: { units: 2, init_scale: -1 } }],
    ['an unknown param', { id: 'd', type: 'dense', params: { units: 2, unit: 3 } }],
    ['nested params', { id: 'd', type: 'dense', params: { units: 2, extra: { a: 1 } } }],
    ['dropout p = 1', { id: 'p', type: 'dropout', params: { p: 1 } }],
    ['batchnorm eps = 0', { id: 'b', type: 'batchnorm', params: { eps: 0 } }],
    ['batchnorm momentum > 1', { id: 'b', type: 'batchnorm', params: { momentum: 1.5 } }],
    ['an id with a space', { id: 'd 1', type: 'relu' }],
    ['an empty id', { id: '', type: 'relu' }],
    ['an id of 65 characters', { id: 'a'.repeat(65), type: 'relu' }],
    ['a NaN weight', { id: 'd', type: 'dense', params: { units: 1 }, weights: { weight: [Number.NaN] } }],
    ['an Infinity param', { id: 'l', type: 'leaky_relu', params: { slope: Number.POSITIVE_INFINITY } }],
    ['nested weights', { id: 'd', type: 'dense', params: { units: 1 }, weights: { weight: [[1]] } }],
    ['a weight name the type does not hold', { id: 'd', type: 'dense', params: { units: 1 }, weights: { gamma: [1] } }],
    ['weights on an activation', { id: 's', type: 'sigmoid', weights: { weight: [1] } }],
    ['an input without features', { id: 'x', type: 'input' }],
    ['a sequence_length of 0', { id: 'x', type: 'input', params: { features: 2, sequence_length: 0 } }],
    ['a sequence_length above 10,000', { id: 'x', type: 'input', params: { features: 2, sequence_length: 10_001 } }],
    ['an rnn without hidden_size', { id: 'r', type: 'rnn' }],
    ['an lstm with hidden_size above 4,096', { id: 'r', type: 'lstm', params: { hidden_size: 4097 } }],
    ['a return other than last or sequence', { id: 'r', type: 'gru', params: { hidden_size: 2, return: 'all' } }],
    ['an rnn nonlinearity other than tanh or relu', { id: 'r', type: 'rnn', params: { hidden_size: 2, nonlinearity: 'sigmoid' } }],
    ['orthogonal as the input-weight init', { id: 'r', type: 'rnn', params: { hidden_size: 2, init: 'orthogonal' } }],
    ['a forget_bias on a gru', { id: 'r', type: 'gru', params: { hidden_size: 2, forget_bias: 1 } }],
    ['a non-finite forget_bias', { id: 'r', type: 'lstm', params: { hidden_size: 2, forget_bias: Number.NaN } }],
    ['a dense weight on an lstm', { id: 'r', type: 'lstm', params: { hidden_size: 2 }, weights: { weight: [1] } }],
  ])('rejects %s', (_what, node) => {
    expect(networkSpecSchema.safeParse(spec([node as never])).success).toBe(false);
  });

  it('rejects a wrong format and more than MAX_NODES nodes', () => {
    expect(networkSpecSchema.safeParse({ ...spec([]), format: 'vglab-network/2' }).success).toBe(false);
    const many = Array.from({ length: MAX_NODES + 1 }, (_, i) => ({ id: `r${i}`, type: 'relu' as const }));
    expect(networkSpecSchema.safeParse(spec(many)).success).toBe(false);
  });
});

describe('recurrent node types', () => {
  it('fill the documented defaults: return last, PyTorch initialisation, tanh, forget_bias 0', () => {
    const parsed = networkSpecSchema.parse(
      spec([
        { id: 'x', type: 'input', params: { features: 3, sequence_length: 12 } },
        { id: 'r', type: 'rnn', params: { hidden_size: 8 } },
        { id: 'l', type: 'lstm', params: { hidden_size: 8, forget_bias: 1 } },
        { id: 'g', type: 'gru', params: { hidden_size: 8, return: 'sequence', recurrent_init: 'orthogonal' } },
      ]),
    );
    const params = Object.fromEntries(parsed.nodes.map((n) => [n.id, n.params]));
    const common = { return: 'last', init: 'pytorch_default', recurrent_init: 'pytorch_default', init_scale: 1 };
    expect(params.x).toEqual({ features: 3, sequence_length: 12 });
    expect(params.r).toEqual({ hidden_size: 8, ...common, nonlinearity: 'tanh' });
    expect(params.l).toEqual({ hidden_size: 8, ...common, forget_bias: 1 });
    expect(params.g).toEqual({ hidden_size: 8, ...common, return: 'sequence', recurrent_init: 'orthogonal' });
    expect(PARAM_DEFAULTS.lstm).toEqual({ ...common, forget_bias: 0 });
    expect(isRecurrentNode(parsed.nodes[2])).toBe(true);
    expect(isRecurrentNode(parsed.nodes[0])).toBe(false);
  });

  it('list their init schemes: pytorch_default first, orthogonal only for weight_hh', () => {
    expect(RECURRENT_INIT_SCHEMES[0]).toBe('pytorch_default');
    expect(RECURRENT_INIT_SCHEMES).not.toContain('orthogonal');
    expect(RECURRENT_HH_INIT_SCHEMES).toEqual([...RECURRENT_INIT_SCHEMES, 'orthogonal']);
  });

  it('have G gate blocks in PyTorch order: rnn 1, lstm i f g o, gru r z n', () => {
    expect(RECURRENT_TYPES).toEqual(['rnn', 'lstm', 'gru']);
    expect(GATE_COUNT).toEqual({ rnn: 1, lstm: 4, gru: 3 });
    expect(RECURRENT_GATES.lstm.map((g) => g.name)).toEqual(['i', 'f', 'g', 'o']);
    expect(RECURRENT_GATES.gru.map((g) => g.name)).toEqual(['r', 'z', 'n']);
    expect(RECURRENT_GATES.lstm.map((g) => g.activation)).toEqual(['sigmoid', 'sigmoid', 'tanh', 'sigmoid']);
    expect(isRecurrentType('gru')).toBe(true);
    expect(isRecurrentType('dense')).toBe(false);
  });

  it('hold weight_ih [G*H][I], weight_hh [G*H][H], bias_ih and bias_hh [G*H], all trainable', () => {
    const parsed = networkSpecSchema.parse(
      spec([
        { id: 'r', type: 'rnn', params: { hidden_size: 5 } },
        { id: 'l', type: 'lstm', params: { hidden_size: 5 } },
        { id: 'g', type: 'gru', params: { hidden_size: 5 } },
      ]),
    );
    const shapes = (i: number) => nodeTensors(parsed.nodes[i], 3, outFeaturesOf(parsed.nodes[i], 3)).map((t) => [t.name, t.shape, t.trainable]);
    expect(shapes(0)).toEqual([
      ['weight_ih', [5, 3], true],
      ['weight_hh', [5, 5], true],
      ['bias_ih', [5], true],
      ['bias_hh', [5], true],
    ]);
    expect(shapes(1).map(([, shape]) => shape)).toEqual([[20, 3], [20, 5], [20], [20]]);
    expect(shapes(2).map(([, shape]) => shape)).toEqual([[15, 3], [15, 5], [15], [15]]);
    for (const type of RECURRENT_TYPES) {
      expect(NODE_TYPES[type].category).toBe('recurrent');
      expect(NODE_TYPES[type].timeAxis).toBe('recurrent');
      expect(NODE_TYPES[type].inputs).toBe(1);
      expect(weightNamesOf(type)).toEqual(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']);
    }
    expect(NODE_TYPES.lstm.label).toBe('LSTM');
  });

  it('say what each node type does with the time axis', () => {
    expect(NODE_TYPES.input.timeAxis).toBe('source');
    for (const type of NODE_TYPE_LIST) {
      if (type === 'input' || isRecurrentType(type)) continue;
      expect(NODE_TYPES[type].timeAxis, type).toBe('per_step');
    }
  });
});

describe('NODE_TYPES metadata', () => {
  it('describes every node type', () => {
    expect(Object.keys(NODE_TYPES).sort()).toEqual([...NODE_TYPE_LIST].sort());
    for (const type of NODE_TYPE_LIST) {
      expect(NODE_TYPES[type].type).toBe(type);
      expect(NODE_TYPES[type].label.length).toBeGreaterThan(0);
      expect(NODE_TYPES[type].hasParameters).toBe(NODE_TYPES[type].parameters.length > 0);
    }
  });

  it('gives parameter shapes as functions of (in, units)', () => {
    const [weight, bias] = NODE_TYPES.dense.parameters;
    expect(weight.name).toBe('weight');
    expect(weight.shape(3, 5)).toEqual([5, 3]);
    expect(bias.shape(3, 5)).toEqual([5]);
    expect(NODE_TYPES.batchnorm.parameters.map((t) => t.name)).toEqual(['gamma', 'beta']);
    expect(NODE_TYPES.batchnorm.buffers.map((t) => t.name)).toEqual(['running_mean', 'running_var']);
    expect(NODE_TYPES.layernorm.parameters.map((t) => t.shape(7, 7))).toEqual([[7], [7]]);
    expect(NODE_TYPES.add.inputs).toBe(2);
    expect(NODE_TYPES.input.inputs).toBe(0);
    expect(weightNamesOf('batchnorm')).toEqual(['gamma', 'beta', 'running_mean', 'running_var']);
  });

  it('leaves out the dense bias when bias is false', () => {
    const parsed = networkSpecSchema.parse(
      spec([
        { id: 'a', type: 'dense', params: { units: 4, bias: false } },
        { id: 'b', type: 'dense', params: { units: 4 } },
      ]),
    );
    expect(nodeTensors(parsed.nodes[0], 3, 4).map((t) => t.name)).toEqual(['weight']);
    expect(nodeTensors(parsed.nodes[1], 3, 4).map((t) => [t.name, t.numel])).toEqual([
      ['weight', 12],
      ['bias', 4],
    ]);
    expect(outFeaturesOf(parsed.nodes[1], 3)).toBe(4);
  });
});

describe('NODE_TYPES params keys', () => {
  it('match the keys of each params schema', () => {
    expect(NODE_TYPES.dense.paramKeys).toEqual(['units', 'in_features', 'bias', 'init', 'init_scale']);
    expect(NODE_TYPES.leaky_relu.paramKeys).toEqual(['slope']);
    expect(NODE_TYPES.batchnorm.paramKeys).toEqual(['eps', 'momentum']);
    expect(NODE_TYPES.relu.paramKeys).toEqual([]);
    expect(NODE_TYPES.input.paramKeys).toEqual(['features', 'sequence_length']);
    expect(NODE_TYPES.rnn.paramKeys).toEqual(['hidden_size', 'return', 'init', 'recurrent_init', 'init_scale', 'nonlinearity']);
    expect(NODE_TYPES.lstm.paramKeys).toEqual(['hidden_size', 'return', 'init', 'recurrent_init', 'init_scale', 'forget_bias']);
    expect(NODE_TYPES.gru.paramKeys).toEqual(['hidden_size', 'return', 'init', 'recurrent_init', 'init_scale']);
  });

  it('list exactly the keys each params schema accepts, for every type', () => {
    for (const type of NODE_TYPE_LIST) {
      const params = NODE_SCHEMAS[type].shape.params as z.ZodType;
      const object = (params instanceof z.ZodPrefault ? params.unwrap() : params) as z.ZodObject;
      expect(Object.keys(object.shape), type).toEqual(NODE_TYPES[type].paramKeys);
    }
  });

  it('weights schemas accept exactly the tensors NODE_TYPES lists', () => {
    for (const type of NODE_TYPE_LIST) {
      const weights = NODE_SCHEMAS[type].shape.weights.unwrap() as z.ZodObject;
      expect(Object.keys(weights.shape), type).toEqual(weightNamesOf(type));
    }
  });
});
