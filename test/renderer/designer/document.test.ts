import { describe, expect, it } from 'vitest';

import { NETWORK_FORMAT, NODE_ID_PATTERN, type NetworkSpecInput } from '../../../core/network/spec.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import {
  NODE_BOX,
  addNode,
  connect,
  connectionProblem,
  edgeId,
  freeSpot,
  moveNodes,
  removeElements,
  renameNode,
  setLoss,
  setName,
  setParam,
  type DesignDoc,
} from '../../../renderer/src/designer/document.ts';

function chainDoc(): DesignDoc {
  const spec: NetworkSpecInput = {
    format: NETWORK_FORMAT,
    nodes: [
      { id: 'x', type: 'input', params: { features: 2 } },
      { id: 'dense1', type: 'dense', params: { units: 8 } },
      { id: 'out', type: 'dense', params: { units: 2 } },
    ],
    edges: [
      { from: 'x', to: 'dense1' },
      { from: 'dense1', to: 'out' },
    ],
    loss: { type: 'softmax_cross_entropy' },
  };
  return { spec, positions: { x: { x: 0, y: 0 }, dense1: { x: 260, y: 0 }, out: { x: 520, y: 0 } } };
}

describe('designer document edits', () => {
  it('adds a node with a fresh valid id, default params and a position', () => {
    const doc = chainDoc();
    const { doc: next, id } = addNode(doc, 'dense', { x: 10, y: 20 });
    expect(id).toBe('dense2');
    expect(NODE_ID_PATTERN.test(id)).toBe(true);
    expect(next.spec.nodes.at(-1)).toEqual({
      id: 'dense2',
      type: 'dense',
      params: { units: 32, bias: true, init: 'xavier_uniform', init_scale: 1 },
    });
    expect(next.positions.dense2).toEqual({ x: 10, y: 20 });
    expect(doc.spec.nodes).toHaveLength(3); // the old document is untouched
  });

  it('adding after a node splices the new node into the chain, keeping it valid', () => {
    const { doc } = addNode(chainDoc(), 'sigmoid', { x: 0, y: 200 }, 'dense1');
    expect(doc.spec.edges).toEqual([
      { from: 'x', to: 'dense1' },
      { from: 'sigmoid1', to: 'out' },
      { from: 'dense1', to: 'sigmoid1' },
    ]);
    expect(validateNetwork(doc.spec).ok).toBe(true);
  });

  it('an input node added after something stays unconnected', () => {
    const { doc } = addNode(chainDoc(), 'input', { x: 0, y: 0 }, 'out');
    expect(doc.spec.edges).toHaveLength(2);
  });

  it('connect refuses self-loops, edges into the input, duplicates and cycles', () => {
    const spec = chainDoc().spec;
    expect(connectionProblem(spec, 'out', 'out')).toMatch(/itself/);
    expect(connectionProblem(spec, 'dense1', 'x')).toMatch(/input node/);
    expect(connectionProblem(spec, 'x', 'dense1')).toMatch(/already/);
    expect(connectionProblem(spec, 'out', 'dense1')).toMatch(/cycle/);
    expect(connectionProblem(spec, 'x', 'nope')).toMatch(/nodes/);
    expect(connect(chainDoc(), 'out', 'dense1')).toBeNull();
  });

  it('connecting into a full single-input node replaces its old input', () => {
    const { doc } = addNode(chainDoc(), 'dense', { x: 0, y: 0 });
    const wired = connect(doc, 'x', 'dense2')!;
    const rewired = connect(wired, 'dense2', 'out')!;
    expect(rewired.spec.edges.filter((e) => e.to === 'out')).toEqual([{ from: 'dense2', to: 'out' }]);
  });

  it('a skip connection is two edges into an add node', () => {
    let { doc } = addNode(chainDoc(), 'add', { x: 0, y: 0 }, 'dense1');
    doc = setParam(doc, 'dense1', 'units', 2);
    doc = connect(doc, 'x', 'add1')!;
    expect(doc.spec.edges.filter((e) => e.to === 'add1')).toHaveLength(2);
    const result = validateNetwork(doc.spec);
    expect(result.ok).toBe(true);
    // A third input replaces the oldest one.
    const { doc: withRelu } = addNode(doc, 'relu', { x: 0, y: 0 });
    const third = connect(connect(withRelu, 'x', 'relu1')!, 'relu1', 'add1')!;
    expect(third.spec.edges.filter((e) => e.to === 'add1')).toEqual([
      { from: 'x', to: 'add1' },
      { from: 'relu1', to: 'add1' },
    ]);
  });

  it('removing a node removes its edges and position; edges go by id', () => {
    const doc = removeElements(chainDoc(), ['dense1']);
    expect(doc.spec.nodes.map((n) => n.id)).toEqual(['x', 'out']);
    expect(doc.spec.edges).toEqual([]);
    expect(doc.positions.dense1).toBeUndefined();
    const noEdge = removeElements(chainDoc(), [], [edgeId({ from: 'dense1', to: 'out' })]);
    expect(noEdge.spec.edges).toEqual([{ from: 'x', to: 'dense1' }]);
  });

  it('renaming a node renames its edges and position', () => {
    const doc = renameNode(chainDoc(), 'dense1', 'hidden');
    expect(doc.spec.nodes[1].id).toBe('hidden');
    expect(doc.spec.edges).toEqual([
      { from: 'x', to: 'hidden' },
      { from: 'hidden', to: 'out' },
    ]);
    expect(doc.positions.hidden).toEqual({ x: 260, y: 0 });
    expect(doc.positions.dense1).toBeUndefined();
  });

  it('setParam sets or (with undefined) removes one param', () => {
    let doc = setParam(chainDoc(), 'x', 'sequence_length', 20);
    expect(doc.spec.nodes[0].params).toEqual({ features: 2, sequence_length: 20 });
    doc = setParam(doc, 'x', 'sequence_length', undefined);
    expect(doc.spec.nodes[0].params).toEqual({ features: 2 });
  });

  it('sets the loss and the name, moves nodes', () => {
    expect(setLoss(chainDoc(), 'mse').spec.loss).toEqual({ type: 'mse' });
    expect(setName(chainDoc(), 'Mine').spec.name).toBe('Mine');
    expect('name' in setName(setName(chainDoc(), 'Mine'), '  ').spec).toBe(false);
    expect(moveNodes(chainDoc(), { out: { x: 1, y: 2 } }).positions.out).toEqual({ x: 1, y: 2 });
  });

  it('freeSpot places right of the anchor and below anything in the way', () => {
    const doc = chainDoc();
    expect(freeSpot(doc, 'x')).toEqual({ x: 260, y: NODE_BOX.height + 24 });
    expect(freeSpot(doc)).toEqual({ x: 780, y: 0 });
    expect(freeSpot({ spec: doc.spec, positions: {} })).toEqual({ x: 0, y: 0 });
  });
});
