import { describe, expect, it } from 'vitest';

import { NETWORK_FORMAT, type NetworkSpecInput } from '../../../core/network/spec.ts';
import { recurrentAdding, residualMlp } from '../../../core/network/templates.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import type { DesignDoc } from '../../../renderer/src/designer/document.ts';
import { LAYER_NODE_TYPE, positionsOf, toFlow } from '../../../renderer/src/designer/graph.ts';
import { layoutPositions } from '../../../renderer/src/designer/layout.ts';
import { partialShapes } from '../../../renderer/src/designer/partialShapes.ts';

function docOf(spec: DesignDoc['spec']): DesignDoc {
  return { spec, positions: layoutPositions(spec) };
}

describe('spec -> canvas', () => {
  it('makes one layer node per spec node and one edge per spec edge, labelled with the shape', () => {
    const doc = docOf(residualMlp({ depth: 2, width: 16 }));
    const flow = toFlow(doc, validateNetwork(doc.spec));
    expect(flow.nodes.map((n) => n.id)).toEqual(doc.spec.nodes.map((n) => n.id));
    expect(flow.nodes.every((n) => n.type === LAYER_NODE_TYPE)).toBe(true);
    const dense1 = flow.nodes.find((n) => n.id === 'dense1')!;
    expect(dense1.data?.shape).toBe('16');
    expect(dense1.data?.summary).toContain('16 units');
    expect(flow.nodes.find((n) => n.id === 'add1')?.data?.inputs).toBe(2);
    expect(flow.nodes.find((n) => n.id === 'logits')?.data?.isOutput).toBe(true);
    expect(flow.edges).toHaveLength(doc.spec.edges.length);
    expect(flow.edges.find((e) => e.source === 'x')?.label).toBe('2');
  });

  it('writes a sequence as T×features', () => {
    const doc = docOf(recurrentAdding('lstm', { sequenceLength: 50, width: 32 }));
    const flow = toFlow(doc, validateNetwork(doc.spec));
    const x = flow.nodes.find((n) => n.id === 'x')!;
    expect(x.data?.shape).toBe('T×2');
    expect(x.data?.shapeText).toBe('a sequence of 50 steps × 2 features');
    expect(flow.nodes.find((n) => n.id === 'lstm')?.data?.shape).toBe('32');
    expect(flow.edges.find((e) => e.source === 'x')?.label).toBe('T×2');
  });

  it('puts the engine message on the node it names and shows no shape for it', () => {
    const spec: NetworkSpecInput = {
      format: NETWORK_FORMAT,
      nodes: [
        { id: 'x', type: 'input', params: { features: 2 } },
        { id: 'd', type: 'dense', params: { units: 0 } },
      ],
      edges: [{ from: 'x', to: 'd' }],
      loss: { type: 'mse' },
    };
    const doc = docOf(spec);
    const flow = toFlow(doc, validateNetwork(spec));
    const d = flow.nodes.find((n) => n.id === 'd')!;
    expect(d.data?.errors).toEqual(['node "d": units must be a positive integer']);
    expect(d.data?.shape).toBeNull();
    expect(flow.nodes.find((n) => n.id === 'x')?.data?.errors).toEqual([]);
  });

  it('reads positions back from canvas nodes, rounded', () => {
    expect(positionsOf([{ id: 'a', position: { x: 1.4, y: 2.6 } }])).toEqual({ a: { x: 1, y: 3 } });
  });
});

describe('automatic layout', () => {
  it('lays a chain out left to right', () => {
    const spec = residualMlp({ depth: 1, width: 4 });
    const p = layoutPositions(spec);
    expect(p.x.x).toBeLessThan(p.stem.x);
    expect(p.stem.x).toBeLessThan(p.dense1.x);
    expect(p.add1.x).toBeLessThan(p.logits.x);
  });

  it('ignores edges that name missing nodes', () => {
    const spec = residualMlp({ depth: 1, width: 4 });
    spec.edges.push({ from: 'ghost', to: 'x' });
    const p = layoutPositions(spec);
    expect(Object.keys(p).sort()).toEqual(spec.nodes.map((n) => n.id).sort());
  });
});

describe('shapes of an invalid network', () => {
  it('a dangling new node does not hide the shapes of the sound chain', () => {
    const spec = residualMlp({ depth: 1, width: 8 });
    spec.nodes.push({ id: 'loose', type: 'tanh', params: {} });
    spec.edges.push({ from: 'add1', to: 'loose' }); // now two outputs: logits and loose
    const result = validateNetwork(spec);
    expect(result.ok).toBe(false);
    const shapes = partialShapes(spec, result);
    expect(shapes.shapes.logits).toBe(2);
    expect(shapes.shapes.loose).toBe(8);
    expect(shapes.shapes.dense1).toBe(8);
  });

  it('stops before a node with a bad param, keeping the shapes upstream', () => {
    const spec = residualMlp({ depth: 2, width: 8 });
    const dense2 = spec.nodes.find((n) => n.id === 'dense2')!;
    (dense2.params as { units: number }).units = 0;
    const shapes = partialShapes(spec);
    expect(shapes.shapes.add1).toBe(8);
    expect(shapes.shapes.dense2).toBeUndefined();
    expect(shapes.shapes.logits).toBeUndefined();
  });

  it('a valid network gives the whole plan', () => {
    const spec = recurrentAdding('gru', { sequenceLength: 7 });
    const shapes = partialShapes(spec);
    expect(shapes.time.x).toBe(7);
    expect(shapes.sequence.gru).toBe(false);
  });
});
