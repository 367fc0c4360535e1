// The network diagram: every node drawn once with its id, type and width; every
// edge drawn, skip connections marked; long networks drawn top to bottom; node
// text escaped (an invalid spec can hold any id).
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';

import { networkDiagram, networkDiagramSvg } from '../../../core/network/diagram.ts';
import { deepSigmoidMlp, recurrentAdding, residualMlp } from '../../../core/network/templates.ts';
import { NETWORK_FORMAT, type NetworkSpecInput } from '../../../core/network/spec.ts';

function parseSvg(svg: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document;
}

describe('networkDiagram', () => {
  it('marks the edges that bypass a block as skip connections, and only those', () => {
    const spec = residualMlp({ depth: 3, width: 16 });
    const d = networkDiagram(spec);
    const skips = d.edges.filter((e) => e.skip).map((e) => `${e.from}->${e.to}`);
    expect(skips).toEqual(['stem->add1', 'add1->add2', 'add2->add3']);
    expect(d.edges).toHaveLength(spec.edges.length);
    for (const e of d.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it('labels each node with its type and output width, per timestep for a sequence', () => {
    const d = networkDiagram(recurrentAdding('lstm', { depth: 1, width: 24 }));
    const detail = Object.fromEntries(d.nodes.map((n) => [n.id, n.detail]));
    const lstm = d.nodes.find((n) => n.detail.startsWith('LSTM'));
    expect(lstm?.detail).toBe('LSTM · 24');
    const input = d.nodes.find((n) => n.detail.startsWith('Input'))!;
    expect(input.detail).toMatch(/^Input · \d+ × 2$/);
    expect(Object.keys(detail)).toHaveLength(3);
  });

  it('draws a short network left to right within the width, a deep one top to bottom', () => {
    const short = networkDiagram(recurrentAdding('gru', { depth: 1 }), { maxWidth: 760 });
    expect(short.direction).toBe('LR');
    expect(short.width).toBeLessThanOrEqual(760);
    const deep = networkDiagram(deepSigmoidMlp({ depth: 10 }), { maxWidth: 760 });
    expect(deep.direction).toBe('TB');
    expect(deep.width).toBeLessThanOrEqual(760);
    expect(deep.height).toBeGreaterThan(deep.width);
  });

  it('keeps nodes from overlapping', () => {
    const { nodes } = networkDiagram(residualMlp({ depth: 4 }));
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
  });
});

describe('networkDiagramSvg', () => {
  it('is well-formed SVG with one group per node, one path per edge, dashed skips and a title', () => {
    const spec = residualMlp({ depth: 2, width: 8 });
    const doc = parseSvg(networkDiagramSvg(spec, { idPrefix: 'r1', title: 'Network of Run 1' }));
    const svg = doc.documentElement;
    expect(svg.tagName.toLowerCase()).toBe('svg');
    expect(svg.getAttribute('role')).toBe('img');
    expect(doc.querySelector('title')?.textContent).toBe('Network of Run 1: 9 nodes, 10 connections, 2 of them skip connections (dashed)');
    const ids = Array.from(doc.querySelectorAll('g.node')).map((g) => g.getAttribute('data-node-id'));
    expect(ids).toEqual(spec.nodes.map((n) => n.id));
    const texts = Array.from(doc.querySelectorAll('g.node text')).map((t) => t.textContent);
    expect(texts).toContain('dense1');
    expect(texts).toContain('Dense · 8');
    expect(texts).toContain('Add (skip connection) · 8');
    expect(doc.querySelectorAll('path.edge')).toHaveLength(spec.edges.length);
    const skips = Array.from(doc.querySelectorAll('path.edge.skip'));
    expect(skips).toHaveLength(2);
    for (const p of skips) {
      expect(p.getAttribute('stroke-dasharray')).toBeTruthy();
      expect(p.getAttribute('marker-end')).toBe('url(#r1-arrow-skip)');
    }
    expect(doc.getElementById('r1-arrow')).not.toBeNull();
  });

  it('escapes node ids and types, which may be any text in an invalid spec', () => {
    const evil = '<script>alert(1)</script>';
    const spec = {
      format: NETWORK_FORMAT,
      nodes: [
        { id: 'x', type: 'input', params: { features: 2 } },
        { id: evil, type: '"><img src=x onerror=alert(1)>', params: {} },
      ],
      edges: [{ from: 'x', to: evil }, { from: 'x', to: 'nowhere' }],
      loss: { type: 'mse' },
    } as unknown as NetworkSpecInput;
    const svg = networkDiagramSvg(spec);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    const doc = parseSvg(svg);
    expect(Array.from(doc.querySelectorAll('g.node')).map((g) => g.getAttribute('data-node-id'))).toEqual(['x', evil]);
    // The edge to a node that does not exist is left out rather than inventing one.
    expect(doc.querySelectorAll('path.edge')).toHaveLength(1);
  });

  it('draws an add that takes the same node twice as two edges', () => {
    const spec: NetworkSpecInput = {
      format: NETWORK_FORMAT,
      nodes: [
        { id: 'x', type: 'input', params: { features: 3 } },
        { id: 'twice', type: 'add', params: {} },
      ],
      edges: [{ from: 'x', to: 'twice' }, { from: 'x', to: 'twice' }],
      loss: { type: 'mse' },
    };
    expect(networkDiagram(spec).edges).toHaveLength(2);
  });
});
