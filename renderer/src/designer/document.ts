// The designer's document — a spec plus the canvas position of each node — and
// every edit on it as a pure function from one document to the next. The
// component only picks which edit to run; undo, copy/paste and tests all work on
// these plain values.
import { NODE_TYPES, type LossType, type NetworkSpecInput, type NodeType } from '../../../core/network/spec.ts';
import { newNode, type SpecNode } from './catalog.ts';
import { uniqueId } from './ids.ts';

export interface XY {
  x: number;
  y: number;
}
export type Positions = Record<string, XY>;
export type SpecEdge = NetworkSpecInput['edges'][number];

export interface DesignDoc {
  spec: NetworkSpecInput;
  positions: Positions;
}

/** Room one node takes on the canvas (flow units), for placing new nodes clear of others. */
export const NODE_BOX = { width: 200, height: 96 } as const;
/** Gap between a node and the one placed after it. */
const STEP_X = NODE_BOX.width + 60;
const STEP_Y = NODE_BOX.height + 24;

/** The canvas id of an edge; `>` cannot occur in a node id, so this is unambiguous. */
export function edgeId(e: SpecEdge): string {
  return `${e.from}>${e.to}`;
}

export function nodeIds(spec: NetworkSpecInput): Set<string> {
  return new Set(spec.nodes.map((n) => n.id));
}

function withSpec(doc: DesignDoc, patch: Partial<NetworkSpecInput>, positions = doc.positions): DesignDoc {
  return { spec: { ...doc.spec, ...patch }, positions };
}

/** True when a node at `at` would overlap a node of `positions`. */
function overlaps(at: XY, positions: Positions): boolean {
  return Object.values(positions).some(
    (p) => Math.abs(p.x - at.x) < NODE_BOX.width && Math.abs(p.y - at.y) < NODE_BOX.height,
  );
}

/**
 * Where a node added by keyboard goes: right of `anchor` (or of the rightmost
 * node), moved down until it overlaps nothing.
 */
export function freeSpot(doc: DesignDoc, anchor?: string): XY {
  const all = Object.values(doc.positions);
  const from = anchor !== undefined ? doc.positions[anchor] : undefined;
  const start: XY = from
    ? { x: from.x + STEP_X, y: from.y }
    : all.length > 0
      ? { x: Math.max(...all.map((p) => p.x)) + STEP_X, y: Math.min(...all.map((p) => p.y)) }
      : { x: 0, y: 0 };
  const at = { ...start };
  while (overlaps(at, doc.positions)) at.y += STEP_Y;
  return at;
}

/** Why an edge from -> to cannot be drawn, or null when it can. */
export function connectionProblem(spec: NetworkSpecInput, from: string, to: string): string | null {
  const target = spec.nodes.find((n) => n.id === to);
  if (!target || !spec.nodes.some((n) => n.id === from)) return 'both ends must be nodes';
  if (from === to) return 'a node cannot feed itself';
  if (NODE_TYPES[target.type].inputs === 0) return 'the input node takes no incoming edges';
  if (spec.edges.some((e) => e.from === from && e.to === to)) return 'these nodes are already connected';
  // A path to -> ... -> from would close a cycle.
  const seen = new Set<string>([to]);
  const stack = [to];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (u === from) return 'this edge would make a cycle';
    for (const e of spec.edges) if (e.from === u && !seen.has(e.to)) (seen.add(e.to), stack.push(e.to));
  }
  return null;
}

/**
 * Adds the edge from -> to. A target that already has all the inputs its type
 * takes drops its oldest one, so dragging a new edge into a layer re-wires it.
 * Null when the edge cannot be drawn (see connectionProblem).
 */
export function connect(doc: DesignDoc, from: string, to: string): DesignDoc | null {
  if (connectionProblem(doc.spec, from, to) !== null) return null;
  const target = doc.spec.nodes.find((n) => n.id === to)!;
  const arity = NODE_TYPES[target.type].inputs;
  let edges = [...doc.spec.edges];
  const incoming = edges.filter((e) => e.to === to);
  const excess = incoming.length + 1 - arity;
  if (excess > 0) {
    const drop = new Set(incoming.slice(0, excess));
    edges = edges.filter((e) => !drop.has(e));
  }
  edges.push({ from, to });
  return withSpec(doc, { edges });
}

/**
 * Adds a node of `type` at `at` with a fresh id and default params. With `after`,
 * it is spliced in behind that node: after -> new, and the edges that left
 * `after` now leave the new node (so Enter on an activation inserts it into a
 * chain). An input node is never connected.
 */
export function addNode(doc: DesignDoc, type: NodeType, at: XY, after?: string): { doc: DesignDoc; id: string } {
  const id = uniqueId(type, nodeIds(doc.spec));
  const nodes = [...doc.spec.nodes, newNode(type, id)];
  let edges = doc.spec.edges;
  if (after !== undefined && type !== 'input' && doc.spec.nodes.some((n) => n.id === after)) {
    edges = [...edges.map((e) => (e.from === after ? { from: id, to: e.to } : e)), { from: after, to: id }];
  }
  return { doc: withSpec(doc, { nodes, edges }, { ...doc.positions, [id]: { x: at.x, y: at.y } }), id };
}

/** Removes the given nodes (with their edges) and edges (by edgeId). */
export function removeElements(doc: DesignDoc, nodes: Iterable<string>, edges: Iterable<string> = []): DesignDoc {
  const goneNodes = new Set(nodes);
  const goneEdges = new Set(edges);
  const positions = { ...doc.positions };
  for (const id of goneNodes) delete positions[id];
  return withSpec(
    doc,
    {
      nodes: doc.spec.nodes.filter((n) => !goneNodes.has(n.id)),
      edges: doc.spec.edges.filter((e) => !goneNodes.has(e.from) && !goneNodes.has(e.to) && !goneEdges.has(edgeId(e))),
    },
    positions,
  );
}

/** Renames node `from` to `to` everywhere (edges, positions). The caller checks `to` with idProblem. */
export function renameNode(doc: DesignDoc, from: string, to: string): DesignDoc {
  if (from === to) return doc;
  const rename = (id: string) => (id === from ? to : id);
  const positions: Positions = {};
  for (const [id, p] of Object.entries(doc.positions)) positions[rename(id)] = p;
  return withSpec(
    doc,
    {
      nodes: doc.spec.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
      edges: doc.spec.edges.map((e) => ({ from: rename(e.from), to: rename(e.to) })),
    },
    positions,
  );
}

/** Sets one param of node `id`; `undefined` removes the key (an optional param left empty). */
export function setParam(doc: DesignDoc, id: string, key: string, value: unknown): DesignDoc {
  const nodes = doc.spec.nodes.map((n): SpecNode => {
    if (n.id !== id) return n;
    const params: Record<string, unknown> = { ...((n.params ?? {}) as Record<string, unknown>) };
    if (value === undefined) delete params[key];
    else params[key] = value;
    return { ...n, params } as SpecNode;
  });
  return withSpec(doc, { nodes });
}

export function setLoss(doc: DesignDoc, type: LossType): DesignDoc {
  return withSpec(doc, { loss: { type } });
}

/** Moves the listed nodes; positions of other nodes stay. */
export function moveNodes(doc: DesignDoc, moved: Positions): DesignDoc {
  return { spec: doc.spec, positions: { ...doc.positions, ...moved } };
}

/** The document with a position for every node: missing ones are placed with freeSpot. */
export function withAllPositions(doc: DesignDoc): DesignDoc {
  const missing = doc.spec.nodes.filter((n) => !doc.positions[n.id]);
  if (missing.length === 0) return doc;
  let next = doc;
  for (const n of missing) next = moveNodes(next, { [n.id]: freeSpot(next) });
  return next;
}

/** Sets the network's display name; an empty name removes it. */
export function setName(doc: DesignDoc, name: string): DesignDoc {
  const spec = { ...doc.spec };
  if (name.trim() === '') delete spec.name;
  else spec.name = name;
  return { spec, positions: doc.positions };
}
