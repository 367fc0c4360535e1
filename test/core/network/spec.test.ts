import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  MAX_FEATURES,
  MAX_NODES,
  MAX_PARAMETERS,
  NODE_SCHEMAS,
  NODE_TYPES,
  NODE_TYPE_LIST,
  PARAM_DEFAULTS,
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
  ])('rejects %s', (_what, node) => {
    expect(networkSpecSchema.safeParse(spec([node as never])).success).toBe(false);
  });

  it('rejects a wrong format and more than MAX_NODES nodes', () => {
    expect(networkSpecSchema.safeParse({ ...spec([]), format: 'vglab-network/2' }).success).toBe(false);
    const many = Array.from({ length: MAX_NODES + 1 }, (_, i) => ({ id: `r${i}`, type: 'relu' as const }));
    expect(networkSpecSchema.safeParse(spec(many)).success).toBe(false);
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
