// Spec -> canvas: the Vue Flow nodes and edges for a document and its validation
// result, and canvas -> spec for the only thing the canvas owns (positions). The
// spec stays the single source of truth; the canvas is redrawn from it.
import type { Edge, Node } from '@vue-flow/core';

import { NODE_TYPES, type NodeCategory, type NodeType } from '../../../core/network/spec.ts';
import type { NetworkError, ValidationResult } from '../../../core/network/validate.ts';
import { cardLabel, nodeSummary, type SpecNode } from './catalog.ts';
import { edgeId, type DesignDoc, type Positions } from './document.ts';
import { partialShapes, type ShapeInfo } from './partialShapes.ts';

let flowCount = 0;

/**
 * A Vue Flow store id unique in this page. Vue Flow keeps its stores by id in one
 * global map, so two designers (or two apps, as in tests) must never share one.
 */
export function nextFlowId(): string {
  flowCount += 1;
  return `vg-designer-${flowCount}`;
}

/** The custom node type name registered with Vue Flow. */
export const LAYER_NODE_TYPE = 'layer';

export interface LayerNodeData {
  /** The spec node (params as written). */
  node: SpecNode;
  typeLabel: string;
  category: NodeCategory;
  /** Key params for the canvas ("32 units", "he_normal"). */
  summary: string[];
  /** Output shape per sample: "32", or "T×32" for a sequence; null when no sound part of the graph reaches it. */
  shape: string | null;
  /** The shape in words, for the tooltip and screen readers. */
  shapeText: string;
  /** The engine's messages about this node. */
  errors: string[];
  /** How many incoming edges it takes (0 hides the input handle). */
  inputs: 0 | 1 | 2;
  isOutput: boolean;
}

export type LayerFlowNode = Node<LayerNodeData>;
export type LayerFlowEdge = Edge<{ shapeText: string; errors: string[] }>;

/** "32" or "T×32": features per sample, with the time axis when the output is a sequence. */
export function shapeLabel(plan: ShapeInfo, id: string): string {
  const features = plan.shapes[id];
  return plan.sequence[id] ? `T×${features}` : String(features);
}

/** The shape in words: "32 features" or "a sequence of 50 steps × 32 features". */
export function shapeText(plan: ShapeInfo, id: string): string {
  const f = plan.shapes[id];
  const features = `${f} ${f === 1 ? 'feature' : 'features'}`;
  if (!plan.sequence[id]) return features;
  const t = plan.time[id];
  return `a sequence of ${t} ${t === 1 ? 'step' : 'steps'} × ${features}`;
}

/** Errors grouped by the node they name; edge errors keyed by edgeId; the rest. */
export interface ErrorIndex {
  byNode: Map<string, NetworkError[]>;
  byEdge: Map<string, NetworkError[]>;
  general: NetworkError[];
}

export function indexErrors(doc: DesignDoc, result: ValidationResult): ErrorIndex {
  const index: ErrorIndex = { byNode: new Map(), byEdge: new Map(), general: [] };
  if (result.ok) return index;
  const push = <K>(map: Map<K, NetworkError[]>, key: K, e: NetworkError) => map.set(key, [...(map.get(key) ?? []), e]);
  for (const e of result.errors) {
    const edge = e.edge !== undefined ? doc.spec.edges[e.edge] : undefined;
    if (e.nodeId !== undefined) push(index.byNode, e.nodeId, e);
    else if (edge) push(index.byEdge, edgeId(edge), e);
    else index.general.push(e);
  }
  return index;
}

/**
 * The canvas nodes and edges of `doc`. Shapes come from the plan when the network
 * is valid, else from the sound parts of it (partialShapes).
 */
export function toFlow(
  doc: DesignDoc,
  result: ValidationResult,
  shapes: ShapeInfo = partialShapes(doc.spec, result),
): { nodes: LayerFlowNode[]; edges: LayerFlowEdge[] } {
  const errors = indexErrors(doc, result);
  const known = (id: string) => shapes.shapes[id] !== undefined;
  const output = result.ok ? result.plan.output : null;
  const nodes = doc.spec.nodes.map((n): LayerFlowNode => {
    const info = NODE_TYPES[n.type as NodeType];
    return {
      id: n.id,
      type: LAYER_NODE_TYPE,
      position: { ...(doc.positions[n.id] ?? { x: 0, y: 0 }) },
      // Vue Flow's wrapper is the focus stop (Tab, then Enter selects): it needs a name of
      // its own; the card inside (LayerNode) carries the full description.
      ariaLabel: `${cardLabel(n.type)} ${n.id}`,
      data: {
        node: n,
        typeLabel: cardLabel(n.type),
        category: info.category,
        summary: nodeSummary(n),
        shape: known(n.id) ? shapeLabel(shapes, n.id) : null,
        shapeText: known(n.id) ? shapeText(shapes, n.id) : 'shape unknown until this part of the network is valid',
        errors: (errors.byNode.get(n.id) ?? []).map((e) => e.message),
        inputs: info.inputs,
        isOutput: output === n.id,
      },
    };
  });
  const edges = doc.spec.edges.map((e): LayerFlowEdge => {
    const id = edgeId(e);
    const edgeErrors = (errors.byEdge.get(id) ?? []).map((x) => x.message);
    const label = known(e.from) ? shapeLabel(shapes, e.from) : '';
    const text = known(e.from) ? shapeText(shapes, e.from) : '';
    return {
      id,
      source: e.from,
      target: e.to,
      label,
      class: edgeErrors.length > 0 ? 'vg-edge vg-edge--invalid' : 'vg-edge',
      ariaLabel: `Edge from ${e.from} to ${e.to}${text ? `, carries ${text}` : ''}`,
      data: { shapeText: text, errors: edgeErrors },
    };
  });
  return { nodes, edges };
}

/** Canvas -> document: the positions Vue Flow holds for the given nodes (rounded to whole units). */
export function positionsOf(nodes: readonly { id: string; position: { x: number; y: number } }[]): Positions {
  const out: Positions = {};
  for (const n of nodes) out[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
  return out;
}
