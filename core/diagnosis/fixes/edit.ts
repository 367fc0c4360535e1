// Small pure edits of a parsed network spec, shared by the fixes: fresh node ids,
// replacing a node in place, inserting a node after another. Each returns a new spec
// and leaves its argument alone; nodes that do not change are shared, not copied
// (a dense node may carry millions of explicit weights).
import { NODE_ID_PATTERN, type NetworkNode, type NetworkSpec } from '../../network/spec.ts';

/**
 * An id for a new node, not in `taken`: `base` when it is free, else base_2, base_3...
 * Characters NODE_ID_PATTERN rejects become "_" and the id is cut to fit 64 characters.
 * The new id is added to `taken`, so one set serves a whole batch of insertions.
 */
export function freshId(base: string, taken: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'node';
  let id = clean;
  for (let k = 2; taken.has(id); k++) {
    const suffix = `_${k}`;
    id = clean.slice(0, 64 - suffix.length) + suffix;
  }
  if (!NODE_ID_PATTERN.test(id)) throw new Error(`freshId produced an invalid id "${id}"`);
  taken.add(id);
  return id;
}

/** "dense7" -> "bn7" with prefix "bn"; an id without a trailing number -> "<id>_bn". */
export function derivedId(fromId: string, prefix: string): string {
  const m = /(\d+)$/.exec(fromId);
  return m ? `${prefix}${m[1]}` : `${fromId}_${prefix}`;
}

/** The ids of every node of `spec`. */
export function idsOf(spec: NetworkSpec): Set<string> {
  return new Set(spec.nodes.map((n) => n.id));
}

/** The node without its explicit weights, so the engine draws them from the (new) init. */
export function withoutWeights<N extends NetworkNode>(node: N): N {
  if (node.weights === undefined) return node;
  const copy = { ...node };
  delete copy.weights;
  return copy;
}

/** `spec` with each node passed through `edit` (return the same object to keep it). */
export function mapNodes(spec: NetworkSpec, edit: (node: NetworkNode) => NetworkNode): NetworkSpec {
  let changed = false;
  const nodes = spec.nodes.map((n) => {
    const next = edit(n);
    if (next !== n) changed = true;
    return next;
  });
  return changed ? { ...spec, nodes } : spec;
}

/**
 * Inserts `node` after `afterId`: every edge leaving `afterId` now leaves `node`,
 * and `afterId` feeds `node`. The node is listed right after `afterId`, so the
 * plan's order (ties follow the node list) stays natural.
 */
export function insertAfter(spec: NetworkSpec, afterId: string, node: NetworkNode): NetworkSpec {
  const at = spec.nodes.findIndex((n) => n.id === afterId);
  if (at < 0) return spec;
  const nodes = [...spec.nodes.slice(0, at + 1), node, ...spec.nodes.slice(at + 1)];
  const edges = spec.edges.map((e) => (e.from === afterId ? { from: node.id, to: e.to } : e));
  edges.push({ from: afterId, to: node.id });
  return { ...spec, nodes, edges };
}

/**
 * Wraps the chain ending at `endId` with a skip from `skipFrom`: a new add node takes
 * `endId` and `skipFrom` (in that order) and feeds everything `endId` fed.
 */
export function insertSkip(spec: NetworkSpec, endId: string, skipFrom: string, addId: string): NetworkSpec {
  const add: NetworkNode = { id: addId, type: 'add', params: {} };
  const joined = insertAfter(spec, endId, add);
  return { ...joined, edges: [...joined.edges, { from: skipFrom, to: addId }] };
}
