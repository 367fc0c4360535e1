// Automatic left-to-right layout with dagre: the input on the left, the loss end
// on the right, skip connections routed around the blocks they bypass.
import dagre from '@dagrejs/dagre';

import type { NetworkSpecInput } from '../../../core/network/spec.ts';
import { NODE_BOX, type Positions } from './document.ts';

/** Top-left corner of every node (Vue Flow's position), laid out by dagre. */
export function layoutPositions(spec: NetworkSpecInput, sizes: Record<string, { width: number; height: number }> = {}): Positions {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 32, ranksep: 64, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(spec.nodes.map((n) => n.id));
  for (const n of spec.nodes) {
    const size = sizes[n.id] ?? NODE_BOX;
    g.setNode(n.id, { width: size.width, height: size.height });
  }
  // Edges naming unknown nodes (an invalid spec) would make dagre invent nodes.
  for (const e of spec.edges) if (ids.has(e.from) && ids.has(e.to)) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const positions: Positions = {};
  for (const n of spec.nodes) {
    // dagre gives centres; Vue Flow places nodes by their top-left corner.
    const c = g.node(n.id);
    const size = sizes[n.id] ?? NODE_BOX;
    positions[n.id] = { x: Math.round(c.x - size.width / 2), y: Math.round(c.y - size.height / 2) };
  }
  return positions;
}
