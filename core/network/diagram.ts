/**
 * A network as a picture: one SVG of its graph, each node a box with its id, its
 * type and its output width, each edge an arrow, skip connections (edges that
 * jump over layers) dashed and coloured so they stand out. Laid out by dagre, as
 * the designer's auto-layout is. Pure (no DOM, no Node), so the report and the
 * app draw the same picture; every text is escaped, a node id being free text.
 */
import dagre from '@dagrejs/dagre';

import { escapeHtml } from '../text/escapeHtml.ts';
import { NODE_TYPES, type NetworkSpecInput } from './spec.ts';
import { validateNetwork } from './validate.ts';

export interface NetworkDiagramOptions {
  /** Widest the picture may be (CSS px); a network too long for it is drawn top to bottom. Default 760. */
  maxWidth?: number;
  /** Prefix of the SVG's own ids (its arrow heads), unique per document that shows several diagrams. */
  idPrefix?: string;
  /** The SVG's accessible title; default "Network diagram". */
  title?: string;
}

/** A node as drawn: its id, a second line (type and width), and its box. */
export interface DiagramNode {
  id: string;
  detail: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge as drawn: the polyline dagre routed, and whether it skips layers. */
export interface DiagramEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
  skip: boolean;
}

export interface NetworkDiagram {
  width: number;
  height: number;
  direction: 'LR' | 'TB';
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

type SpecNode = NetworkSpecInput['nodes'][number];

const FONT_PX = 12;
/** Average advance of a character of the diagram's font, px; enough for ids of capitals and digits. */
const CHAR_PX = 7.2;
const BOX_HEIGHT = 42;
const BOX_PADDING = 14;
const SKIP_COLOUR = '#c2410c';
const EDGE_COLOUR = '#555';

/** The node's width, as a number: from the plan when the network is valid, else from its params. */
function widthText(node: SpecNode, shapes: Record<string, number> | null, time: Record<string, number> | null, sequence: Record<string, boolean> | null): string {
  const params = (node.params ?? {}) as Record<string, unknown>;
  const width = shapes?.[node.id] ?? params.units ?? params.hidden_size ?? params.features;
  if (typeof width !== 'number') return '';
  return sequence?.[node.id] && time ? `${time[node.id]} × ${width}` : String(width);
}

function detailText(node: SpecNode, width: string): string {
  const label = node.type in NODE_TYPES ? NODE_TYPES[node.type].label : String(node.type);
  return width ? `${label} · ${width}` : label;
}

/**
 * Depth of every node along the longest path from an input (Kahn's order). An edge
 * whose ends are more than one level apart bypasses a layer: a skip connection.
 */
function depths(spec: NetworkSpecInput, ids: Set<string>): Map<string, number> {
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const id of ids) {
    preds.set(id, []);
    succs.set(id, []);
  }
  for (const e of spec.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    preds.get(e.to)!.push(e.from);
    succs.get(e.from)!.push(e.to);
  }
  const depth = new Map<string, number>();
  const waiting = new Map([...ids].map((id) => [id, preds.get(id)!.length]));
  const ready = [...ids].filter((id) => waiting.get(id) === 0);
  for (const id of ready) depth.set(id, 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    for (const next of succs.get(id)!) {
      depth.set(next, Math.max(depth.get(next) ?? 0, depth.get(id)! + 1));
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  // A cycle (an invalid network) leaves nodes unvisited: they count as depth 0.
  for (const id of ids) if (!depth.has(id)) depth.set(id, 0);
  return depth;
}

function layout(spec: NetworkSpecInput, boxes: Map<string, { w: number; h: number }>, direction: 'LR' | 'TB') {
  // A multigraph: an add may take the same node twice (x + x), two edges between one pair.
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: 24, ranksep: 40, edgesep: 16, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [id, b] of boxes) g.setNode(id, { width: b.w, height: b.h });
  spec.edges.forEach((e, i) => {
    // Edges naming unknown nodes (an invalid spec) would make dagre invent nodes.
    if (boxes.has(e.from) && boxes.has(e.to)) g.setEdge(e.from, e.to, {}, `e${i}`);
  });
  dagre.layout(g);
  return g;
}

/** Lays out `spec` (valid or not; unknown edge ends are left out). */
export function networkDiagram(spec: NetworkSpecInput, options: NetworkDiagramOptions = {}): NetworkDiagram {
  const maxWidth = options.maxWidth ?? 760;
  const checked = validateNetwork(spec);
  const plan = checked.ok ? checked.plan : null;
  const ids = new Set(spec.nodes.map((n) => n.id));
  const detail = new Map(spec.nodes.map((n) => [n.id, detailText(n, widthText(n, plan?.shapes ?? null, plan?.time ?? null, plan?.sequence ?? null))]));
  const boxes = new Map(
    spec.nodes.map((n) => {
      const chars = Math.max(n.id.length, detail.get(n.id)!.length);
      return [n.id, { w: Math.ceil(chars * CHAR_PX + 2 * BOX_PADDING), h: BOX_HEIGHT }];
    }),
  );
  let direction: 'LR' | 'TB' = 'LR';
  let g = layout(spec, boxes, direction);
  if ((g.graph().width ?? 0) > maxWidth) {
    direction = 'TB';
    g = layout(spec, boxes, direction);
  }
  const depth = depths(spec, ids);
  const nodes = spec.nodes.map((n) => {
    const c = g.node(n.id);
    const b = boxes.get(n.id)!;
    return { id: n.id, detail: detail.get(n.id)!, x: c.x - b.w / 2, y: c.y - b.h / 2, width: b.w, height: b.h };
  });
  const edges: DiagramEdge[] = [];
  spec.edges.forEach((e, i) => {
    if (!ids.has(e.from) || !ids.has(e.to)) return;
    const points = (g.edge(e.from, e.to, `e${i}`)?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y }));
    edges.push({ from: e.from, to: e.to, points, skip: depth.get(e.to)! - depth.get(e.from)! > 1 });
  });
  return { width: Math.ceil(g.graph().width ?? 0), height: Math.ceil(g.graph().height ?? 0), direction, nodes, edges };
}

const round = (v: number) => Math.round(v * 10) / 10;

function edgePath(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y)}`).join(' ');
}

/**
 * The diagram as a standalone SVG element (inline it in HTML, or save it as a
 * file). Nodes are `<g class="node" data-node-id="...">`, edges `<path class="edge">`
 * (class "edge skip" for a skip connection).
 */
export function networkDiagramSvg(spec: NetworkSpecInput, options: NetworkDiagramOptions = {}): string {
  const d = networkDiagram(spec, options);
  const p = escapeHtml(options.idPrefix ?? 'net');
  const title = escapeHtml(options.title ?? 'Network diagram');
  const skips = d.edges.filter((e) => e.skip).length;
  const skipText = skips === 1 ? 'one of them a skip connection (dashed)' : `${skips} of them skip connections (dashed)`;
  const summary = `${d.nodes.length} nodes, ${d.edges.length} connections${skips > 0 ? `, ${skipText}` : ''}`;
  const edges = d.edges.map((e) => {
    const colour = e.skip ? SKIP_COLOUR : EDGE_COLOUR;
    const dash = e.skip ? ' stroke-dasharray="6 4"' : '';
    const marker = e.skip ? `${p}-arrow-skip` : `${p}-arrow`;
    return `<path class="edge${e.skip ? ' skip' : ''}" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" d="${edgePath(e.points)}" fill="none" stroke="${colour}" stroke-width="1.5"${dash} marker-end="url(#${marker})"/>`;
  });
  const nodes = d.nodes.map((n) => {
    const cx = round(n.x + n.width / 2);
    return [
      `<g class="node" data-node-id="${escapeHtml(n.id)}">`,
      `<rect x="${round(n.x)}" y="${round(n.y)}" width="${n.width}" height="${n.height}" rx="6" fill="#f4f6fb" stroke="#4a5d8a"/>`,
      `<text x="${cx}" y="${round(n.y + 17)}" text-anchor="middle" font-weight="600">${escapeHtml(n.id)}</text>`,
      `<text x="${cx}" y="${round(n.y + 33)}" text-anchor="middle" fill="#555">${escapeHtml(n.detail)}</text>`,
      '</g>',
    ].join('');
  });
  const arrow = (id: string, colour: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="network-diagram" role="img" width="${d.width}" height="${d.height}" viewBox="0 0 ${d.width} ${d.height}" font-family="system-ui, sans-serif" font-size="${FONT_PX}">`,
    `<title>${title}: ${escapeHtml(summary)}</title>`,
    `<defs>${arrow(`${p}-arrow`, EDGE_COLOUR)}${arrow(`${p}-arrow-skip`, SKIP_COLOUR)}</defs>`,
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
}
