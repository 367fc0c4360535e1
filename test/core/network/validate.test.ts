import { describe, expect, it } from 'vitest';

import { validateNetwork, type NetworkError } from '../../../core/network/validate.ts';

type Node = { id: string; type: string; params?: Record<string, unknown>; weights?: Record<string, unknown> };
type Edge = { from: string; to: string };

function net(nodes: Node[], edges: Edge[], loss = 'mse'): unknown {
  return { format: 'vglab-network/1', nodes, edges, loss: { type: loss } };
}

/** Builds a chain x -> a -> b -> ... from "id:type[:units]" words. */
function chain(...words: string[]): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [{ id: 'x', type: 'input', params: { features: 2 } }];
  const edges: Edge[] = [];
  let prev = 'x';
  for (const w of words) {
    const [id, type, units] = w.split(':');
    nodes.push(units ? { id, type, params: { units: Number(units) } } : { id, type });
    edges.push({ from: prev, to: id });
    prev = id;
  }
  return { nodes, edges };
}

function errorsOf(spec: unknown): NetworkError[] {
  const result = validateNetwork(spec);
  if (result.ok) throw new Error('expected the spec to be rejected');
  return result.errors;
}

function messagesOf(spec: unknown): string[] {
  return errorsOf(spec).map((e) => e.message);
}

describe('validateNetwork: a sound network', () => {
  it('returns the spec with defaults, the topological order and the widths', () => {
    const { nodes, edges } = chain('d1:dense:32', 'a1:tanh', 'd2:dense:3');
    const result = validateNetwork(net(nodes, edges, 'softmax_cross_entropy'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.order).toEqual(['x', 'd1', 'a1', 'd2']);
    expect(result.plan.shapes).toEqual({ x: 2, d1: 32, a1: 32, d2: 3 });
    expect(result.plan.input).toBe('x');
    expect(result.plan.output).toBe('d2');
    expect(result.plan.parameterCount).toBe(2 * 32 + 32 + 32 * 3 + 3);
    expect(result.spec.nodes[1].params).toMatchObject({ bias: true, init: 'xavier_uniform' });
  });

  it('orders ties by their position in nodes, whatever the edge order', () => {
    // x feeds two branches joined by an add; "b1" is listed before "a1".
    const nodes: Node[] = [
      { id: 'x', type: 'input', params: { features: 4 } },
      { id: 'b1', type: 'relu' },
      { id: 'a1', type: 'tanh' },
      { id: 's', type: 'add' },
      { id: 'o', type: 'dense', params: { units: 2 } },
    ];
    const edges: Edge[] = [
      { from: 'x', to: 'a1' },
      { from: 'a1', to: 's' },
      { from: 'x', to: 'b1' },
      { from: 'b1', to: 's' },
      { from: 's', to: 'o' },
    ];
    const first = validateNetwork(net(nodes, edges));
    const again = validateNetwork(net(nodes, [...edges].reverse()));
    expect(first.ok && first.plan.order).toEqual(['x', 'b1', 'a1', 's', 'o']);
    expect(again.ok && again.plan.order).toEqual(['x', 'b1', 'a1', 's', 'o']);
    expect(first.ok && first.plan.inputs.s).toEqual(['a1', 'b1']);
  });

  it('infers widths through a residual block', () => {
    const nodes: Node[] = [
      { id: 'x', type: 'input', params: { features: 3 } },
      { id: 'd0', type: 'dense', params: { units: 8 } },
      { id: 'd1', type: 'dense', params: { units: 8, in_features: 8 } },
      { id: 'r1', type: 'relu' },
      { id: 'ln', type: 'layernorm' },
      { id: 's1', type: 'add' },
      { id: 'dr', type: 'dropout' },
      { id: 'bn', type: 'batchnorm' },
      { id: 'o', type: 'dense', params: { units: 1 } },
    ];
    const edges: Edge[] = [
      { from: 'x', to: 'd0' },
      { from: 'd0', to: 'd1' },
      { from: 'd1', to: 'r1' },
      { from: 'r1', to: 'ln' },
      { from: 'ln', to: 's1' },
      { from: 'd0', to: 's1' },
      { from: 's1', to: 'dr' },
      { from: 'dr', to: 'bn' },
      { from: 'bn', to: 'o' },
    ];
    const result = validateNetwork(net(nodes, edges, 'bce_with_logits'));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.plan.shapes).toMatchObject({ s1: 8, bn: 8, o: 1 });
  });

  it('accepts explicit weights of the right lengths', () => {
    const nodes: Node[] = [
      { id: 'x', type: 'input', params: { features: 2 } },
      { id: 'd1', type: 'dense', params: { units: 3 }, weights: { weight: [1, 2, 3, 4, 5, 6], bias: [0, 0, 0] } },
      { id: 'bn', type: 'batchnorm', weights: { gamma: [1, 1, 1], beta: [0, 0, 0], running_mean: [0, 0, 0], running_var: [1, 1, 1] } },
    ];
    expect(validateNetwork(net(nodes, [{ from: 'x', to: 'd1' }, { from: 'd1', to: 'bn' }])).ok).toBe(true);
  });
});

describe('validateNetwork: shape errors name the node and the field', () => {
  it('reports a bad units value by node id and field', () => {
    const { nodes, edges } = chain('d1:dense:4', 'd3:dense:0');
    const [error] = errorsOf(net(nodes, edges));
    expect(error).toEqual({ nodeId: 'd3', field: 'params.units', message: 'node "d3": units must be a positive integer' });
  });

  it('reports units above the limit, a missing units and fractional units', () => {
    expect(messagesOf(net(chain('d3:dense:70000').nodes, chain('d3:dense:70000').edges))).toEqual([
      'node "d3": units must be at most 65,536',
    ]);
    const missing = chain('d3:dense');
    missing.nodes[1].params = {};
    expect(messagesOf(net(missing.nodes, missing.edges))).toEqual(['node "d3": units is missing; it must be a positive integer']);
    const fraction = chain('d3:dense:2.5');
    expect(messagesOf(net(fraction.nodes, fraction.edges))).toEqual(['node "d3": units must be a positive integer']);
  });

  it('names an unknown param and lists the ones the type takes', () => {
    const { nodes, edges } = chain('d1:dense:4');
    nodes[1].params = { units: 4, unit: 3 };
    const [error] = errorsOf(net(nodes, edges));
    expect(error.nodeId).toBe('d1');
    expect(error.field).toBe('params.unit');
    expect(error.message).toBe('node "d1": "unit" is not a parameter of dense; it takes units, in_features, bias, init, init_scale');
  });

  it('names an unknown node type', () => {
    const { nodes, edges } = chain('c1:conv');
    expect(messagesOf(net(nodes, edges))[0]).toMatch(/^node "c1": unknown type "conv"; the node types are input, dense, /);
  });

  it('names a bad id by its position', () => {
    const { nodes, edges } = chain('a1:relu');
    nodes[1].id = 'has space';
    const [error] = errorsOf(net(nodes, edges));
    expect(error.nodeId).toBeUndefined();
    expect(error.message).toBe('node 1: id must be 1 to 64 letters, digits, "_", "." or "-"');
  });

  it('rejects non-finite numbers with the node and the field', () => {
    const { nodes, edges } = chain('l1:leaky_relu');
    nodes[1].params = { slope: Number.NaN };
    expect(messagesOf(net(nodes, edges))).toEqual(['node "l1": slope must be a finite number']);

    const w = chain('d1:dense:1');
    w.nodes[1].weights = { weight: [1, Number.POSITIVE_INFINITY] };
    const [error] = errorsOf(net(w.nodes, w.edges));
    expect(error.field).toBe('weights.weight[1]');
    expect(error.message).toBe('node "d1": weights.weight[1] must be a finite number (got null)');
  });

  it('checks dropout p, batchnorm momentum and the init scheme', () => {
    const { nodes, edges } = chain('dr:dropout', 'bn:batchnorm', 'd1:dense:2');
    nodes[1].params = { p: 1 };
    nodes[2].params = { momentum: 2 };
    nodes[3].params = { units: 2, init: 'glorot' };
    expect(messagesOf(net(nodes, edges))).toEqual([
      'node "dr": p must be a number from 0 up to (not including) 1',
      'node "bn": momentum must be a number from 0 to 1',
      'node "d1": init must be one of xavier_uniform, xavier_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, normal, uniform, zeros',
    ]);
  });

  it('reports the spec-level fields', () => {
    expect(messagesOf({ format: 'vglab-network/9', nodes: [], edges: [], loss: { type: 'mse' } })).toEqual([
      'format is "vglab-network/9"; this version reads "vglab-network/1"',
    ]);
    expect(messagesOf({ format: 'vglab-network/1', nodes: [], edges: [], loss: { type: 'hinge' } })).toEqual([
      'loss.type "hinge" is unknown; it must be one of softmax_cross_entropy, mse, bce_with_logits',
    ]);
    expect(messagesOf(42)).toEqual(['the network spec must be an object with format, nodes, edges and loss']);
  });

  it('enforces the node count limit', () => {
    const nodes = Array.from({ length: 513 }, (_, i) => ({ id: `r${i}`, type: 'relu' }));
    expect(messagesOf(net(nodes, []))).toEqual(['the network has 513 nodes; the limit is 512']);
  });
});

describe('validateNetwork: graph structure', () => {
  it('rejects duplicate ids', () => {
    const { nodes, edges } = chain('d1:dense:2', 'a1:relu');
    nodes[2].id = 'd1';
    expect(errorsOf(net(nodes, edges))).toContainEqual({
      nodeId: 'd1',
      field: 'id',
      message: 'node "d1": the id is used by 2 nodes; ids must be unique',
    });
  });

  it('needs exactly one input', () => {
    expect(messagesOf(net([{ id: 'a', type: 'relu' }], []))).toEqual(['the network has no input node; add one "input" node']);
    const { nodes, edges } = chain('d1:dense:2');
    nodes.push({ id: 'x2', type: 'input', params: { features: 2 } });
    expect(messagesOf(net(nodes, edges))).toEqual(['the network has 2 input nodes ("x", "x2"); it needs exactly one']);
  });

  it('names a dangling edge by its index and end', () => {
    const { nodes, edges } = chain('d1:dense:2', 'a1:relu', 'd2:dense:2', 'a2:relu');
    edges.push({ from: 'a2', to: 'd9' });
    expect(errorsOf(net(nodes, edges))).toEqual([{ edge: 4, field: 'edges[4].to', message: 'edge 4: "to" names an unknown node "d9"' }]);
    const bad = chain('d1:dense:2');
    bad.edges.push({ from: 'nowhere', to: 'd1' });
    expect(messagesOf(net(bad.nodes, bad.edges))).toEqual(['edge 1: "from" names an unknown node "nowhere"']);
  });

  it('rejects a repeated edge', () => {
    const { nodes, edges } = chain('d1:dense:2');
    edges.push({ from: 'x', to: 'd1' });
    expect(messagesOf(net(nodes, edges))).toEqual(['edge 1 repeats edge 0 ("x" -> "d1")']);
  });

  it('reports a cycle with its path', () => {
    const { nodes, edges } = chain('d1:dense:4', 'd2:dense:4', 'a2:relu', 'o:dense:1');
    edges.push({ from: 'a2', to: 'd2' });
    expect(errorsOf(net(nodes, edges))).toEqual([{ nodeId: 'd2', message: 'the graph has a cycle through "d2" -> "a2" -> "d2"' }]);
  });

  it('reports a self loop as a cycle', () => {
    const { nodes, edges } = chain('d1:dense:4', 's:add', 'o:dense:1');
    edges.push({ from: 's', to: 's' });
    expect(messagesOf(net(nodes, edges))).toEqual(['the graph has a cycle through "s" -> "s"']);
  });

  it('reports nodes that cannot be reached from the input', () => {
    const { nodes, edges } = chain('d1:dense:2');
    nodes.push({ id: 'lost', type: 'relu' }, { id: 'lost2', type: 'tanh' });
    edges.push({ from: 'lost', to: 'lost2' });
    expect(messagesOf(net(nodes, edges))).toEqual([
      'node "lost": cannot be reached from the input "x"; connect it or remove it',
      'node "lost2": cannot be reached from the input "x"; connect it or remove it',
    ]);
  });

  it('needs exactly one output', () => {
    const { nodes, edges } = chain('d1:dense:2', 'o1:dense:1');
    nodes.push({ id: 'o2', type: 'dense', params: { units: 1 } });
    edges.push({ from: 'd1', to: 'o2' });
    expect(messagesOf(net(nodes, edges))).toEqual([
      'the network has 2 outputs ("o1", "o2"); it needs exactly one node without outgoing edges',
    ]);
  });

  it('rejects an input with no layer after it', () => {
    expect(messagesOf(net([{ id: 'x', type: 'input', params: { features: 2 } }], []))).toEqual([
      'the input "x" is not connected to any layer',
    ]);
  });

  it('checks arity: add takes 2, every other layer 1', () => {
    const oneInput = chain('d1:dense:2', 's1:add');
    expect(messagesOf(net(oneInput.nodes, oneInput.edges))).toEqual(['node "s1": an add node takes exactly 2 inputs, it has 1']);

    const two = chain('d1:dense:2', 'd2:dense:2');
    two.edges.push({ from: 'x', to: 'd2' });
    expect(messagesOf(net(two.nodes, two.edges))).toEqual(['node "d2": a dense node takes exactly 1 input, it has 2']);
  });
});

describe('validateNetwork: widths, weights and limits', () => {
  it('rejects an add of unequal widths', () => {
    const nodes: Node[] = [
      { id: 'x', type: 'input', params: { features: 4 } },
      { id: 'a', type: 'dense', params: { units: 32 } },
      { id: 'b', type: 'dense', params: { units: 16 } },
      { id: 's1', type: 'add' },
    ];
    const edges: Edge[] = [
      { from: 'x', to: 'a' },
      { from: 'x', to: 'b' },
      { from: 'a', to: 's1' },
      { from: 'b', to: 's1' },
    ];
    expect(errorsOf(net(nodes, edges))).toEqual([
      { nodeId: 's1', message: 'node "s1": the inputs have 32 and 16 features; an add needs equal widths' },
    ]);
  });

  it('rejects in_features that do not match the producer', () => {
    const { nodes, edges } = chain('d1:dense:16', 'bn2:batchnorm', 'd3:dense:4');
    nodes[3].params = { units: 4, in_features: 32 };
    expect(errorsOf(net(nodes, edges))).toEqual([
      {
        nodeId: 'd3',
        field: 'params.in_features',
        message: 'node "d3": in_features 32 does not match the 16 produced by "bn2"',
      },
    ]);
  });

  it('checks explicit weight lengths against the shapes', () => {
    const { nodes, edges } = chain('d1:dense:32', 'bn:batchnorm');
    nodes[1].weights = { weight: new Array(30).fill(0.5), bias: [1, 2, 3] };
    nodes[2].weights = { running_var: new Array(32).fill(-1) };
    expect(errorsOf(net(nodes, edges))).toEqual([
      { nodeId: 'd1', field: 'weights.weight', message: 'node "d1": weights.weight has 30 values, expected 64 (32 x 2)' },
      { nodeId: 'd1', field: 'weights.bias', message: 'node "d1": weights.bias has 3 values, expected 32' },
      {
        nodeId: 'bn',
        field: 'weights.running_var',
        message: 'node "bn": weights.running_var holds a negative value; a variance cannot be negative',
      },
    ]);
  });

  it('rejects a bias given to a dense without bias, and weights the type does not hold', () => {
    const { nodes, edges } = chain('d1:dense:1');
    nodes[1].params = { units: 1, bias: false };
    nodes[1].weights = { bias: [0] };
    expect(messagesOf(net(nodes, edges))).toEqual(['node "d1": weights.bias is given but bias is false']);

    const other = chain('d1:dense:1');
    other.nodes[1].weights = { gamma: [1] };
    expect(messagesOf(net(other.nodes, other.edges))).toEqual([
      'node "d1": "weights.gamma" is not a weight of dense; it holds weight, bias',
    ]);
  });

  it('enforces the total parameter limit', () => {
    const { nodes, edges } = chain('d1:dense:8000', 'd2:dense:8000');
    expect(messagesOf(net(nodes, edges))).toEqual([
      'the network has 64,032,000 parameters; the limit is 50,000,000 (the largest node is "d2" with 64,008,000)',
    ]);
  });

  it('needs at least 2 outputs for softmax cross-entropy, any width for mse and bce', () => {
    const { nodes, edges } = chain('d1:dense:4', 'o:dense:1');
    expect(errorsOf(net(nodes, edges, 'softmax_cross_entropy'))).toEqual([
      {
        nodeId: 'o',
        field: 'loss.type',
        message:
          'the loss softmax_cross_entropy needs an output with at least 2 features (one per class), but the output "o" has 1; use bce_with_logits for one output',
      },
    ]);
    expect(validateNetwork(net(nodes, edges, 'mse')).ok).toBe(true);
    expect(validateNetwork(net(nodes, edges, 'bce_with_logits')).ok).toBe(true);
  });
});

describe('validateNetwork: the input takes no incoming edges', () => {
  it('names the input when an edge points into it', () => {
    const { nodes, edges } = chain('d1:dense:2');
    nodes.push({ id: 'stray', type: 'relu' });
    edges.push({ from: 'stray', to: 'x' });
    expect(messagesOf(net(nodes, edges))).toEqual([
      'node "x": the input node takes no incoming edges, it has 1',
      'node "stray": cannot be reached from the input "x"; connect it or remove it',
    ]);
  });
});
