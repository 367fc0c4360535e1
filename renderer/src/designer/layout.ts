// Automatic left-to-right layout with dagre: the input on the left, the loss end
// on the right, skip connections routed around the blocks they bypass. A long
// chain (a 50-layer MLP is 102 nodes, some 19,000 px wide and 66 high) is wrapped
// into rows like lines of text, so that fitting it in view leaves it readable.
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
  const boxes = spec.nodes.map((n): Box => {
    // dagre gives centres; Vue Flow places nodes by their top-left corner.
    const c = g.node(n.id);
    const size = sizeOf(n);
    return { id: n.id, x: Math.round(c.x - size.width / 2), y: Math.round(c.y - size.height / 2), ...size };
  });
  const positions: Positions = {};
  for (const b of wrapIntoRows(boxes)) positions[b.id] = { x: b.x, y: b.y };
  return positions;
}

/** A node's box: top-left corner and size (px). */
export interface Box extends Size {
  id: string;
  x: number;
  y: number;
}

/**
 * A layout wider than this (px) is wrapped into rows: a canvas of about 900 px (the
 * designer's in a 1400 px window) shows it whole at zoom 0.5, the smallest at which
 * a card's text can still be read (MIN_FIT_ZOOM). The new project's 4-layer MLP
 * (1,860 px in one row) becomes two rows.
 */
export const MAX_ROW_WIDTH = 1500;
/** The width / height a wrapped layout aims at: about that of the canvas on a laptop. */
export const TARGET_ASPECT = 1.6;
/** Space between wrapped rows (px): room for the edge from a row's end to the next row's start. */
export const ROW_GAP = 70;

/** The bounding box of `boxes` (x, y its top-left corner). */
export function boundsOf(boxes: readonly Box[]): { x: number; y: number; width: number; height: number } {
  if (boxes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * A left-to-right layout wider than MAX_ROW_WIDTH cut into rows of equal width, each
 * row placed under the one before and moved back to the left edge: as few rows as
 * bring it under MAX_ROW_WIDTH, but no more than make it TARGET_ASPECT wide for its
 * height (a row of a residual network is tall). Cuts fall between dagre's columns
 * (a column's nodes share their centre x), so a column is never split; within a row
 * everything keeps its place. Returns new boxes; narrower layouts come back as they were.
 */
export function wrapIntoRows(boxes: readonly Box[]): Box[] {
  const all = boundsOf(boxes);
  if (all.width <= MAX_ROW_WIDTH) return boxes.map((b) => ({ ...b }));
  const pitch = all.height + ROW_GAP;
  // r rows of width L / r stacked r * pitch high: (L / r) / (r * pitch) = TARGET_ASPECT.
  const square = Math.round(Math.sqrt(all.width / (TARGET_ASPECT * pitch)));
  const rows = Math.max(2, Math.min(Math.ceil(all.width / MAX_ROW_WIDTH), square));
  const band = all.width / rows;
  const rowOf = (b: Box) => Math.min(rows - 1, Math.floor((b.x + b.width / 2 - all.x) / band));
  const rowStart = new Array<number>(rows).fill(Number.POSITIVE_INFINITY);
  for (const b of boxes) rowStart[rowOf(b)] = Math.min(rowStart[rowOf(b)], b.x);
  return boxes.map((b) => {
    const row = rowOf(b);
    return { ...b, x: b.x - rowStart[row] + all.x, y: b.y + row * pitch };
  });
}
