import { describe, expect, it } from 'vitest';

import { targetLayout, validateNetwork, type NetworkError } from '../../../core/network/validate.ts';

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

describe('validateNetwork: sequences and recurrent nodes', () => {
  /** x (a sequence of `steps` steps of 3 features) -> the given chain. */
  function sequenceChain(steps: number | undefined, ...rest: Node[]): { nodes: Node[]; edges: Edge[] } {
    const params = steps === undefined ? { features: 3 } : { features: 3, sequence_length: steps };
    const nodes: Node[] = [{ id: 'x', type: 'input', params }, ...rest];
    const edges = rest.map((n, i) => ({ from: nodes[i].id, to: n.id }));
    return { nodes, edges };
  }

  it('plans an lstm that returns its last state: a plain output after it', () => {
    const { nodes, edges } = sequenceChain(10, { id: 'r', type: 'lstm', params: { hidden_size: 8 } }, { id: 'o', type: 'dense', params: { units: 2 } });
    const result = validateNetwork(net(nodes, edges, 'softmax_cross_entropy'));
    if (!result.ok) throw new Error(result.errors[0].message);
    expect(result.plan.shapes).toEqual({ x: 3, r: 8, o: 2 });
    expect(result.plan.time).toEqual({ x: 10, r: 1, o: 1 });
    expect(result.plan.sequence).toEqual({ x: true, r: false, o: false });
    expect(result.plan.parameterCount).toBe(4 * 8 * (3 + 8) + 2 * 4 * 8 + 8 * 2 + 2);
    expect(result.spec.nodes[1].params).toEqual({
      hidden_size: 8,
      return: 'last',
      init: 'pytorch_default',
      recurrent_init: 'pytorch_default',
      init_scale: 1,
      forget_bias: 0,
    });
  });

  it('keeps the time axis through dense, activations, norms, dropout and add after return "sequence"', () => {
    const { nodes, edges } = sequenceChain(
      12,
      { id: 'r', type: 'rnn', params: { hidden_size: 4, return: 'sequence', nonlinearity: 'relu' } },
      { id: 'd', type: 'dense', params: { units: 4 } },
      { id: 'a', type: 'tanh' },
      { id: 'bn', type: 'batchnorm' },
      { id: 'ln', type: 'layernorm' },
      { id: 'dr', type: 'dropout' },
      { id: 's', type: 'add' },
      { id: 'o', type: 'dense', params: { units: 1 } },
    );
    edges.push({ from: 'r', to: 's' }); // skip connection r -> s, both sequences of 12 steps
    const result = validateNetwork(net(nodes, edges, 'bce_with_logits'));
    if (!result.ok) throw new Error(result.errors[0].message);
    for (const id of ['x', 'r', 'd', 'a', 'bn', 'ln', 'dr', 's', 'o']) {
      expect(result.plan.time[id], id).toBe(12);
      expect(result.plan.sequence[id], id).toBe(true);
    }
    expect(targetLayout(result.plan, 'bce_with_logits')).toEqual({ kind: 'values', shape: [12, 1], count: 12 });
    expect(targetLayout(result.plan, 'softmax_cross_entropy')).toEqual({ kind: 'labels', shape: [12], count: 12 });
  });

  it('stacks recurrent nodes when the first returns the sequence', () => {
    const { nodes, edges } = sequenceChain(
      5,
      { id: 'r1', type: 'gru', params: { hidden_size: 6, return: 'sequence' } },
      { id: 'r2', type: 'lstm', params: { hidden_size: 2 } },
    );
    const result = validateNetwork(net(nodes, edges));
    if (!result.ok) throw new Error(result.errors[0].message);
    expect(result.plan.time).toEqual({ x: 5, r1: 5, r2: 1 });
    expect(result.plan.shapes.r2).toBe(2);
    expect(targetLayout(result.plan, 'mse')).toEqual({ kind: 'values', shape: [2], count: 2 });
  });

  it('gives a plain network time 1 and no sequence anywhere', () => {
    const { nodes, edges } = chain('d1:dense:4');
    const result = validateNetwork(net(nodes, edges, 'softmax_cross_entropy'));
    if (!result.ok) throw new Error(result.errors[0].message);
    expect(result.plan.time).toEqual({ x: 1, d1: 1 });
    expect(result.plan.sequence).toEqual({ x: false, d1: false });
    expect(targetLayout(result.plan, 'softmax_cross_entropy')).toEqual({ kind: 'labels', shape: [], count: 1 });
    expect(targetLayout(result.plan, 'mse')).toEqual({ kind: 'values', shape: [4], count: 4 });
  });

  it('tells apart a sequence of one step from a plain input', () => {
    const { nodes, edges } = sequenceChain(1, { id: 'r', type: 'rnn', params: { hidden_size: 2, return: 'sequence' } });
    const result = validateNetwork(net(nodes, edges));
    if (!result.ok) throw new Error(result.errors[0].message);
    expect(result.plan.time.r).toBe(1);
    expect(result.plan.sequence.r).toBe(true);
    expect(targetLayout(result.plan, 'mse').shape).toEqual([1, 2]);
  });

  it('asks for a sequence_length when a recurrent node reads a plain input', () => {
    const { nodes, edges } = sequenceChain(undefined, { id: 'd', type: 'dense', params: { units: 4 } }, { id: 'r1', type: 'lstm', params: { hidden_size: 4 } });
    expect(errorsOf(net(nodes, edges))).toEqual([
      {
        nodeId: 'r1',
        message:
          'node "r1": an lstm needs a sequence input ([batch][time][features]), but "d" gives one vector per sample; ' +
          'give the input node "x" a sequence_length',
      },
    ]);
    const rnn = sequenceChain(undefined, { id: 'r', type: 'rnn', params: { hidden_size: 4 } });
    expect(messagesOf(net(rnn.nodes, rnn.edges))[0]).toMatch(/^node "r": an rnn needs a sequence input/);
    const gru = sequenceChain(undefined, { id: 'g', type: 'gru', params: { hidden_size: 4 } });
    expect(messagesOf(net(gru.nodes, gru.edges))[0]).toMatch(/^node "g": a gru needs a sequence input/);
  });

  it('asks for return "sequence" upstream when an earlier recurrent node returned only its last state', () => {
    const { nodes, edges } = sequenceChain(
      8,
      { id: 'r1', type: 'rnn', params: { hidden_size: 4 } },
      { id: 'a', type: 'tanh' },
      { id: 'r2', type: 'gru', params: { hidden_size: 4 } },
    );
    expect(messagesOf(net(nodes, edges))).toEqual([
      'node "r2": a gru needs a sequence input ([batch][time][features]), but "a" gives one vector per sample; ' +
        'set return to "sequence" on "r1" to stack recurrent layers',
    ]);
  });

  it('rejects an add of a sequence and a plain vector, naming both inputs', () => {
    const nodes: Node[] = [
      { id: 'x', type: 'input', params: { features: 3, sequence_length: 20 } },
      { id: 'seq', type: 'lstm', params: { hidden_size: 4, return: 'sequence' } },
      { id: 'last', type: 'lstm', params: { hidden_size: 4 } },
      { id: 's1', type: 'add' },
    ];
    const edges: Edge[] = [
      { from: 'x', to: 'seq' },
      { from: 'x', to: 'last' },
      { from: 'seq', to: 's1' },
      { from: 'last', to: 's1' },
    ];
    expect(errorsOf(net(nodes, edges))).toEqual([
      {
        nodeId: 's1',
        message:
          'node "s1": the inputs "seq" (a sequence of 20 steps) and "last" (one vector per sample) differ in time; ' +
          'an add needs equal features and the same time shape',
      },
    ]);
  });

  it('checks hidden_size, sequence_length, return, nonlinearity and the init schemes by node and field', () => {
    const { nodes, edges } = sequenceChain(
      10_001,
      { id: 'r0', type: 'rnn', params: { hidden_size: 0, nonlinearity: 'sigmoid' } },
      { id: 'r1', type: 'lstm', params: { hidden_size: 4097, return: 'all' } },
      { id: 'r2', type: 'gru', params: { hidden_size: 4, init: 'orthogonal', recurrent_init: 'glorot' } },
      { id: 'r3', type: 'gru', params: {} },
    );
    const errors = errorsOf(net(nodes, edges));
    expect(errors.map((e) => [e.nodeId, e.field])).toEqual([
      ['x', 'params.sequence_length'],
      ['r0', 'params.hidden_size'],
      ['r0', 'params.nonlinearity'],
      ['r1', 'params.hidden_size'],
      ['r1', 'params.return'],
      ['r2', 'params.init'],
      ['r2', 'params.recurrent_init'],
      ['r3', 'params.hidden_size'],
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'node "x": sequence_length must be at most 10,000',
      'node "r0": hidden_size must be a positive integer',
      'node "r0": nonlinearity must be one of tanh, relu',
      'node "r1": hidden_size must be at most 4,096',
      'node "r1": return must be one of last, sequence',
      'node "r2": init must be one of pytorch_default, xavier_uniform, xavier_normal, he_uniform, he_normal, ' +
        'lecun_uniform, lecun_normal, normal, uniform, zeros',
      'node "r2": recurrent_init must be one of pytorch_default, xavier_uniform, xavier_normal, he_uniform, ' +
        'he_normal, lecun_uniform, lecun_normal, normal, uniform, zeros, orthogonal',
      'node "r3": hidden_size is missing; it must be a positive integer',
    ]);
  });

  it('rejects a sequence_length of 0 or a fraction, and accepts 10,000 steps with an orthogonal recurrent_init', () => {
    const zero = sequenceChain(0, { id: 'r', type: 'rnn', params: { hidden_size: 2 } });
    expect(messagesOf(net(zero.nodes, zero.edges))).toEqual(['node "x": sequence_length must be a positive integer']);
    const half = sequenceChain(2.5, { id: 'r', type: 'rnn', params: { hidden_size: 2 } });
    expect(messagesOf(net(half.nodes, half.edges))).toEqual(['node "x": sequence_length must be a positive integer']);
    const long = sequenceChain(10_000, { id: 'r', type: 'rnn', params: { hidden_size: 2, recurrent_init: 'orthogonal', init_scale: 0.9 } });
    expect(validateNetwork(net(long.nodes, long.edges)).ok).toBe(true);
  });

  it('names parameters that belong to another recurrent type', () => {
    const { nodes, edges } = sequenceChain(4, { id: 'g', type: 'gru', params: { hidden_size: 4, forget_bias: 1 } });
    expect(errorsOf(net(nodes, edges))).toEqual([
      {
        nodeId: 'g',
        field: 'params.forget_bias',
        message: 'node "g": "forget_bias" is not a parameter of gru; it takes hidden_size, return, init, recurrent_init, init_scale',
      },
    ]);
    const lstm = sequenceChain(4, { id: 'l', type: 'lstm', params: { hidden_size: 4, nonlinearity: 'relu' } });
    expect(messagesOf(net(lstm.nodes, lstm.edges))).toEqual([
      'node "l": "nonlinearity" is not a parameter of lstm; it takes hidden_size, return, init, recurrent_init, init_scale, forget_bias',
    ]);
  });

  it('checks explicit recurrent weights against [G*H][in], [G*H][H] and [G*H]', () => {
    const { nodes, edges } = sequenceChain(4, {
      id: 'l',
      type: 'lstm',
      params: { hidden_size: 2 },
      weights: { weight_ih: new Array(24).fill(0), weight_hh: new Array(15).fill(0), bias_ih: new Array(8).fill(0), bias_hh: [0] },
    });
    expect(errorsOf(net(nodes, edges))).toEqual([
      { nodeId: 'l', field: 'weights.weight_hh', message: 'node "l": weights.weight_hh has 15 values, expected 16 (8 x 2)' },
      { nodeId: 'l', field: 'weights.bias_hh', message: 'node "l": weights.bias_hh has 1 value, expected 8' },
    ]);
    const gru = sequenceChain(4, { id: 'g', type: 'gru', params: { hidden_size: 2 }, weights: { weight_ih: new Array(6).fill(0) } });
    expect(messagesOf(net(gru.nodes, gru.edges))).toEqual(['node "g": weights.weight_ih has 6 values, expected 18 (6 x 3)']);
    const bad = sequenceChain(4, { id: 'g', type: 'gru', params: { hidden_size: 2 }, weights: { weight: [1] } });
    expect(messagesOf(net(bad.nodes, bad.edges))).toEqual([
      'node "g": "weights.weight" is not a weight of gru; it holds weight_ih, weight_hh, bias_ih, bias_hh',
    ]);
  });

  it('counts recurrent parameters toward the limit', () => {
    const { nodes, edges } = sequenceChain(4, { id: 'l', type: 'lstm', params: { hidden_size: 4096, return: 'sequence' } }, { id: 'l2', type: 'lstm', params: { hidden_size: 4096 } });
    expect(messagesOf(net(nodes, edges))[0]).toEqual(
      'the network has 201,441,280 parameters; the limit is 50,000,000 (the largest node is "l2" with 134,250,496)',
    );
  });
});
