// Copy and paste of a selection. The clipboard is the designer's own value (not
// the system clipboard): the copied nodes, the edges among them, and their
// positions. Pasting gives every node a fresh id and shifts it, so pasting twice
// stacks the copies instead of hiding one under the other.
import type { SpecNode } from './catalog.ts';
import { nodeIds, type DesignDoc, type Positions, type SpecEdge } from './document.ts';
import { uniqueId } from './ids.ts';

export interface Clipboard {
  nodes: SpecNode[];
  /** Only edges with both ends copied. */
  edges: SpecEdge[];
  positions: Positions;
}

/** Offset of each paste from the copied positions (flow units). */
export const PASTE_OFFSET = 40;

/** The selected nodes, deep-copied so later edits cannot reach into the clipboard. */
export function copyNodes(doc: DesignDoc, ids: Iterable<string>): Clipboard | null {
  const chosen = new Set(ids);
  const nodes = doc.spec.nodes.filter((n) => chosen.has(n.id));
  if (nodes.length === 0) return null;
  const positions: Positions = {};
  for (const n of nodes) positions[n.id] = { ...(doc.positions[n.id] ?? { x: 0, y: 0 }) };
  return structuredClone({
    nodes,
    edges: doc.spec.edges.filter((e) => chosen.has(e.from) && chosen.has(e.to)),
    positions,
  });
}

/**
 * Adds the clipboard's nodes to `doc` under new ids, shifted by PASTE_OFFSET
 * times `times` (1 for the first paste). Returns the new ids in clipboard order.
 */
export function pasteNodes(doc: DesignDoc, clip: Clipboard, times = 1): { doc: DesignDoc; ids: string[] } {
  const taken = nodeIds(doc.spec);
  const rename = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = uniqueId(n.id, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const shift = PASTE_OFFSET * times;
  const positions = { ...doc.positions };
  const copies = structuredClone(clip.nodes).map((n) => {
    const id = rename.get(n.id)!;
    const p = clip.positions[n.id] ?? { x: 0, y: 0 };
    positions[id] = { x: p.x + shift, y: p.y + shift };
    return { ...n, id };
  });
  const edges = clip.edges.map((e) => ({ from: rename.get(e.from)!, to: rename.get(e.to)! }));
  return {
    doc: {
      spec: { ...doc.spec, nodes: [...doc.spec.nodes, ...copies], edges: [...doc.spec.edges, ...edges] },
      positions,
    },
    ids: copies.map((n) => n.id),
  };
}
