// What differs between two runs' recipes: their training settings field by field,
// and their networks node by node (matched by id, because a duplicated run keeps
// its ids: "sigmoid3" may hold a ReLU in the copy). The Compare view lists these so
// a student sees the one change behind two different gradient pictures.
//
// Pure and cheap: explicit weights are compared by length first, element by
// element only when the lengths agree (one pass over what may be millions of values).
import type { TrainingSettings } from '../training/settings.ts';
import type { NetworkEdge, NetworkNode, NetworkSpec, NodeType } from './spec.ts';

/** One field that differs: `before` is the first recipe's value, `after` the second's (undefined: absent). */
export interface FieldChange {
  /** Dotted path, e.g. "optimizer.lr" or "clip_norm". */
  field: string;
  before: unknown;
  after: unknown;
}

/** One node's field that differs: "type", a param key ("init", "units") or "weights.<tensor>". */
export interface NodeChange extends FieldChange {
  id: string;
}

export interface NetworkDiff {
  /** Nodes only in the second network, in its order. */
  added: { id: string; type: NodeType }[];
  /** Nodes only in the first network, in its order. */
  removed: { id: string; type: NodeType }[];
  /** Fields of nodes in both, node by node in the first network's order, "type" first. */
  changed: NodeChange[];
  edgesAdded: NetworkEdge[];
  edgesRemoved: NetworkEdge[];
  /** The loss, when it differs. */
  loss: FieldChange | null;
}

type Plain = Record<string, unknown>;

function isPlainObject(v: unknown): v is Plain {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/**
 * Leaf fields of two plain JSON-like objects that differ, with dotted paths, in
 * the first object's key order then the second's new keys. Arrays compare as whole values.
 */
export function diffFields(a: unknown, b: unknown, prefix = ''): FieldChange[] {
  if (!isPlainObject(a) || !isPlainObject(b)) {
    return sameValue(a, b) ? [] : [{ field: prefix, before: a, after: b }];
  }
  const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
  const out: FieldChange[] = [];
  for (const key of keys) {
    const field = prefix ? `${prefix}.${key}` : key;
    const x = a[key];
    const y = b[key];
    if (isPlainObject(x) && isPlainObject(y)) out.push(...diffFields(x, y, field));
    else if (!sameValue(x, y)) out.push({ field, before: x, after: y });
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return sameNumbers(a, b);
  return false;
}

function sameNumbers(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The training settings fields that differ (e.g. optimizer.lr, batch_size, clip_norm), settings order. */
export function diffSettings(a: TrainingSettings, b: TrainingSettings): FieldChange[] {
  return diffFields(a, b);
}

function edgeKey(e: NetworkEdge): string {
  return `${e.from}\u0000${e.to}`;
}

/** Edges of `a` not matched by an edge of `b` (as multisets: a repeated edge counts twice). */
function edgesMissing(a: readonly NetworkEdge[], b: readonly NetworkEdge[]): NetworkEdge[] {
  const left = new Map<string, number>();
  for (const e of b) left.set(edgeKey(e), (left.get(edgeKey(e)) ?? 0) + 1);
  const out: NetworkEdge[] = [];
  for (const e of a) {
    const n = left.get(edgeKey(e)) ?? 0;
    if (n > 0) left.set(edgeKey(e), n - 1);
    else out.push({ from: e.from, to: e.to });
  }
  return out;
}

/** How a tensor's explicit weights read in a diff: the engine draws absent ones from the init. */
function weightsWord(values: readonly number[] | undefined): string {
  return values === undefined ? 'drawn from init' : `${values.length} given values`;
}

function nodeChanges(a: NetworkNode, b: NetworkNode): NodeChange[] {
  const out: NodeChange[] = [];
  if (a.type !== b.type) out.push({ id: a.id, field: 'type', before: a.type, after: b.type });
  for (const c of diffFields(a.params, b.params)) out.push({ id: a.id, ...c });
  const wa = (a.weights ?? {}) as Record<string, number[] | undefined>;
  const wb = (b.weights ?? {}) as Record<string, number[] | undefined>;
  const names = [...Object.keys(wa), ...Object.keys(wb).filter((k) => !Object.hasOwn(wa, k))];
  for (const name of names) {
    const x = wa[name];
    const y = wb[name];
    if (x === undefined && y === undefined) continue;
    if (x !== undefined && y !== undefined && sameNumbers(x, y)) continue;
    const after = x !== undefined && y !== undefined ? `${y.length} other given values` : weightsWord(y);
    out.push({ id: a.id, field: `weights.${name}`, before: weightsWord(x), after });
  }
  return out;
}

/** Nodes added, removed and changed (matched by id), edges added and removed, and the loss, from `a` to `b`. */
export function diffNetworks(a: NetworkSpec, b: NetworkSpec): NetworkDiff {
  const inA = new Map(a.nodes.map((n) => [n.id, n]));
  const inB = new Map(b.nodes.map((n) => [n.id, n]));
  const changed: NodeChange[] = [];
  for (const n of a.nodes) {
    const other = inB.get(n.id);
    if (other) changed.push(...nodeChanges(n, other));
  }
  return {
    added: b.nodes.filter((n) => !inA.has(n.id)).map((n) => ({ id: n.id, type: n.type })),
    removed: a.nodes.filter((n) => !inB.has(n.id)).map((n) => ({ id: n.id, type: n.type })),
    changed,
    edgesAdded: edgesMissing(b.edges, a.edges),
    edgesRemoved: edgesMissing(a.edges, b.edges),
    loss: a.loss.type === b.loss.type ? null : { field: 'loss', before: a.loss.type, after: b.loss.type },
  };
}

/** True when the two networks are the same graph with the same nodes. */
export function isSameNetwork(d: NetworkDiff): boolean {
  return (
    d.added.length === 0 &&
    d.removed.length === 0 &&
    d.changed.length === 0 &&
    d.edgesAdded.length === 0 &&
    d.edgesRemoved.length === 0 &&
    d.loss === null
  );
}

/** A diff value in words: absent is "–", numbers as written (0.01, 1e-8), the rest as text. */
export function formatDiffValue(v: unknown): string {
  if (v === undefined || v === null) return '–';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.length} values]`;
  if (isPlainObject(v)) return JSON.stringify(v);
  return String(v);
}

/** "before → after" with the values in words. */
export function changeText(c: Pick<FieldChange, 'before' | 'after'>): string {
  return `${formatDiffValue(c.before)} → ${formatDiffValue(c.after)}`;
}

/**
 * The network diff as lines a student reads: "sigmoid3: type sigmoid → relu",
 * "dense1.init: xavier_uniform → he_normal", "added add1 (add)",
 * "edge dense2 → add1 added", "loss: mse → bce_with_logits".
 */
export function networkDiffLines(d: NetworkDiff): string[] {
  return [
    ...d.removed.map((n) => `removed ${n.id} (${n.type})`),
    ...d.added.map((n) => `added ${n.id} (${n.type})`),
    ...d.changed.map((c) => (c.field === 'type' ? `${c.id}: type ${changeText(c)}` : `${c.id}.${c.field}: ${changeText(c)}`)),
    ...d.edgesRemoved.map((e) => `edge ${e.from} → ${e.to} removed`),
    ...d.edgesAdded.map((e) => `edge ${e.from} → ${e.to} added`),
    ...(d.loss ? [`loss: ${changeText(d.loss)}`] : []),
  ];
}

/** "a, b, c" for up to three ids, else "a, b … z (n nodes)". */
function idList(ids: readonly string[]): string {
  if (ids.length <= 3) return ids.join(', ');
  return `${ids[0]}, ${ids[1]} … ${ids[ids.length - 1]} (${ids.length} nodes)`;
}

/**
 * The network diff in as few lines as it takes: the same change made to several
 * nodes is one line ("type sigmoid → relu: sigmoid1, sigmoid2 … sigmoid10 (10 nodes)",
 * "init xavier_uniform → he_normal: dense1, dense2 … logits (11 nodes)"), in order of
 * first appearance; added and removed nodes, edges and the loss as in networkDiffLines.
 */
export function groupedNetworkDiffLines(d: NetworkDiff): string[] {
  const groups = new Map<string, { change: NodeChange; ids: string[] }>();
  for (const c of d.changed) {
    const key = `${c.field}\u0000${formatDiffValue(c.before)}\u0000${formatDiffValue(c.after)}`;
    const g = groups.get(key);
    if (g) g.ids.push(c.id);
    else groups.set(key, { change: c, ids: [c.id] });
  }
  const changed = [...groups.values()].map(({ change, ids }) =>
    ids.length === 1
      ? networkDiffLines({ ...d, added: [], removed: [], edgesAdded: [], edgesRemoved: [], loss: null, changed: [change] })[0]
      : `${change.field} ${changeText(change)}: ${idList(ids)}`,
  );
  const rest = networkDiffLines({ ...d, changed: [] });
  const nodes = rest.filter((l) => l.startsWith('removed ') || l.startsWith('added '));
  return [...nodes, ...changed, ...rest.slice(nodes.length)];
}
