// Shapes for as much of an invalid network as can be planned. While a student
// builds, the graph is invalid most of the time (a node dropped but not yet
// wired, two outputs for a moment); the sound part should still show its shapes.
//
// How: validate the sub-network that ends at each output-less node (its ancestors
// only). Where that fails, step back to the inputs of the nodes the engine blamed
// and try again. Every shape shown comes from validateNetwork itself, so the
// designer never repeats the engine's shape rules.
import type { NetworkSpecInput } from '../../../core/network/spec.ts';
import { validateNetwork, type NetworkPlan, type ValidationResult } from '../../../core/network/validate.ts';

export type ShapeInfo = Pick<NetworkPlan, 'shapes' | 'sequence' | 'time'>;

/** Sub-networks validated at most, so a big broken graph stays cheap to redraw. */
const MAX_ATTEMPTS = 24;

function ancestorsOf(end: string, incoming: Map<string, string[]>): Set<string> {
  const seen = new Set([end]);
  const stack = [end];
  while (stack.length > 0) {
    for (const from of incoming.get(stack.pop()!) ?? []) {
      if (!seen.has(from)) (seen.add(from), stack.push(from));
    }
  }
  return seen;
}

/**
 * Output shapes of every node that a sound sub-network reaches; the whole plan
 * when `result` is valid. Nodes missing from the answer have no known shape.
 */
export function partialShapes(spec: NetworkSpecInput, result: ValidationResult = validateNetwork(spec)): ShapeInfo {
  if (result.ok) return result.plan;
  const out: ShapeInfo = { shapes: {}, sequence: {}, time: {} };
  if (!Array.isArray(spec.nodes) || !Array.isArray(spec.edges)) return out;

  const ids = new Set(spec.nodes.map((n) => n.id));
  const incoming = new Map<string, string[]>();
  const hasOutgoing = new Set<string>();
  for (const e of spec.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    incoming.set(e.to, [...(incoming.get(e.to) ?? []), e.from]);
    hasOutgoing.add(e.from);
  }

  const queue = spec.nodes.filter((n) => !hasOutgoing.has(n.id)).map((n) => n.id);
  const tried = new Set<string>();
  let attempts = 0;
  while (queue.length > 0 && attempts < MAX_ATTEMPTS) {
    const end = queue.shift()!;
    if (tried.has(end) || out.shapes[end] !== undefined) continue;
    tried.add(end);
    const keep = ancestorsOf(end, incoming);
    if (!spec.nodes.some((n) => n.type === 'input' && keep.has(n.id))) continue;
    attempts++;
    // mse takes any output width, so a sub-network is not refused for the real loss's needs.
    const sub = validateNetwork({
      ...spec,
      loss: { type: 'mse' },
      nodes: spec.nodes.filter((n) => keep.has(n.id)),
      edges: spec.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
    });
    if (sub.ok) {
      Object.assign(out.shapes, sub.plan.shapes);
      Object.assign(out.sequence, sub.plan.sequence);
      Object.assign(out.time, sub.plan.time);
      continue;
    }
    // Step back behind each blamed node (or behind `end` when no node is named).
    const blamed = sub.errors.map((e) => e.nodeId).filter((id): id is string => id !== undefined && keep.has(id));
    for (const id of blamed.length > 0 ? blamed : [end]) queue.push(...(incoming.get(id) ?? []));
  }
  return out;
}
