// Automatic left-to-right layout with dagre: the input on the left, the loss end
// on the right, skip connections routed around the blocks they bypass.
import dagre from '@dagrejs/dagre';

import { NODE_TYPES, type NetworkSpecInput } from '../../../core/network/spec.ts';
import { NODE_BOX, type Positions } from './document.ts';

type Size = { width: number; height: number };

/**
 * A node's size before the canvas has measured it: activations and joins are
 * small cards, layers with params larger. Close guesses keep long chains compact
 * enough to read when the view is fitted.
 */
export function estimatedSize(type: NetworkSpecInput['nodes'][number]['type']): Size {
  // Measured on the canvas: a bare activation card is about 104 x 46, a dense one 150-170 x 63.
  switch (NODE_TYPES[type].category) {
    case 'activation':
    case 'normalization':
      return { width: 110, height: 50 };
    case 'join':
    case 'regularization':
      return { width: 115, height: 66 };
    default:
      return { width: 170, height: 66 };
  }
}

/** Top-left corner of every node (Vue Flow's position), laid out by dagre. */
export function layoutPositions(spec: NetworkSpecInput, sizes: Record<string, Size> = {}): Positions {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 44, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(spec.nodes.map((n) => n.id));
  const sizeOf = (n: NetworkSpecInput['nodes'][number]): Size =>
    sizes[n.id] ?? (n.type in NODE_TYPES ? estimatedSize(n.type) : NODE_BOX);
  for (const n of spec.nodes) {
    const size = sizeOf(n);
    g.setNode(n.id, { width: size.width, height: size.height });
  }
  // Edges naming unknown nodes (an invalid spec) would make dagre invent nodes.
  for (const e of spec.edges) if (ids.has(e.from) && ids.has(e.to)) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const positions: Positions = {};
  for (const n of spec.nodes) {
    // dagre gives centres; Vue Flow places nodes by their top-left corner.
    const c = g.node(n.id);
    const size = sizeOf(n);
    positions[n.id] = { x: Math.round(c.x - size.width / 2), y: Math.round(c.y - size.height / 2) };
  }
  return positions;
}
