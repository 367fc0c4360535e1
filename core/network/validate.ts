// Validation of a `vglab-network/1` spec: the zod shape first, then the graph
// (ids, edges, cycles, reachability, arity), then feature widths and time axes,
// weights, limits and the loss. Every message names the node (or edge) and the
// field, so the designer can put it next to the thing that is wrong.
//
// Stages stop early when a later stage would only repeat the same mistake in other
// words (no widths can be inferred around a cycle, for instance).
import type { z } from 'zod';

import {
  LOSS_TYPES,
  MAX_NODES,
  MAX_PARAMETERS,
  NETWORK_FORMAT,
  NODE_ID_PATTERN,
  NODE_TYPES,
  NODE_TYPE_LIST,
  formatCount,
  isRecurrentNode,
  networkSpecSchema,
  nodeTensors,
  outFeaturesOf,
  weightNamesOf,
  type LossType,
  type NetworkNode,
  type NetworkSpec,
  type NodeType,
} from './spec.ts';

export interface NetworkError {
  /** The node the message is about, when there is one. */
  nodeId?: string;
  /** Path of the field inside the node ("params.units", "weights.bias") or the spec ("edges[4].to"). */
  field?: string;
  /** Index of the edge the message is about (counted from 0, as in the file). */
  edge?: number;
  message: string;
}

export interface NetworkPlan {
  /** Node ids in topological order; ties keep the order of `nodes`. */
  order: string[];
  /** Output width (features; per timestep for a sequence) of every node. */
  shapes: Record<string, number>;
  /**
   * Timesteps per sample of every node's output: the sequence length T when the
   * output is a sequence [batch][T][features], 1 when it is a plain [batch][features].
   * (A sequence of length 1 also has 1; `sequence` tells the two apart.)
   */
  time: Record<string, number>;
  /** True when the node's output has a time axis, [batch][time][features]. */
  sequence: Record<string, boolean>;
  /** Incoming node ids of every node, in edge order. */
  inputs: Record<string, string[]>;
  input: string;
  output: string;
  /** Trainable parameter values in the whole network. */
  parameterCount: number;
}

export type ValidationResult =
  | { ok: true; spec: NetworkSpec; plan: NetworkPlan }
  | { ok: false; errors: NetworkError[] };

/** Checks `spec` (anything, e.g. parsed JSON) and, when it is sound, plans it. */
export function validateNetwork(spec: unknown): ValidationResult {
  const parsed = networkSpecSchema.safeParse(spec, { error: predicateFor });
  if (!parsed.success) {
    return { ok: false, errors: dedupe(parsed.error.issues.map((issue) => translateIssue(issue, spec))) };
  }
  const net = parsed.data;

  const structure = checkStructure(net);
  if (structure.length > 0) return { ok: false, errors: structure };

  const index = new Map(net.nodes.map((n, i) => [n.id, i]));
  const outgoing: number[][] = net.nodes.map(() => []);
  const incoming: number[][] = net.nodes.map(() => []);
  for (const e of net.edges) {
    const from = index.get(e.from)!;
    const to = index.get(e.to)!;
    outgoing[from].push(to);
    incoming[to].push(from);
  }

  const cycle = findCycle(net.nodes, outgoing);
  if (cycle) {
    const path = cycle.map((i) => `"${net.nodes[i].id}"`).join(' -> ');
    return { ok: false, errors: [{ nodeId: net.nodes[cycle[0]].id, message: `the graph has a cycle through ${path}` }] };
  }

  const inputIndex = net.nodes.findIndex((n) => n.type === 'input');
  const connectivity = checkConnectivity(net, inputIndex, incoming, outgoing);
  if (connectivity.errors.length > 0) return { ok: false, errors: connectivity.errors };

  const order = topologicalOrder(net.nodes.length, incoming, outgoing);
  const widths = inferWidths(net, order, incoming, inputIndex, connectivity.output);
  if (widths.errors.length > 0) return { ok: false, errors: widths.errors };

  const plan: NetworkPlan = {
    order: order.map((i) => net.nodes[i].id),
    shapes: Object.fromEntries(net.nodes.map((n, i) => [n.id, widths.out[i]])),
    time: Object.fromEntries(net.nodes.map((n, i) => [n.id, widths.time[i].steps])),
    sequence: Object.fromEntries(net.nodes.map((n, i) => [n.id, widths.time[i].sequence])),
    inputs: Object.fromEntries(net.nodes.map((n, i) => [n.id, incoming[i].map((j) => net.nodes[j].id)])),
    input: net.nodes[inputIndex].id,
    output: net.nodes[connectivity.output].id,
    parameterCount: widths.parameterCount,
  };
  return { ok: true, spec: net, plan };
}

/**
 * What the loss compares the network output with, per sample. softmax_cross_entropy
 * takes class labels: one per sample ([]), or one per timestep ([T]) when the output
 * is a sequence. mse and bce_with_logits take one value per output: [features], or
 * [T, features] for a sequence output. `count` is the product of `shape` (labels or
 * values per sample); a batch's targets are these, sample after sample, row-major.
 */
export interface TargetLayout {
  kind: 'labels' | 'values';
  shape: number[];
  count: number;
}

export function targetLayout(plan: NetworkPlan, loss: LossType): TargetLayout {
  const out = plan.output;
  const time = plan.sequence[out] ? [plan.time[out]] : [];
  const shape = loss === 'softmax_cross_entropy' ? time : [...time, plan.shapes[out]];
  return { kind: loss === 'softmax_cross_entropy' ? 'labels' : 'values', shape, count: shape.reduce((a, b) => a * b, 1) };
}

// ---- zod issues -> messages ---------------------------------------------------------

/** Fallback predicates for issues whose schema has no message of its own. */
function predicateFor(issue: { code?: string; expected?: unknown; minimum?: unknown; maximum?: unknown }): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'object' ? 'must be an object' : `must be ${String(issue.expected)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    default:
      return 'has a value that is not allowed';
  }
}

function at(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** "units", "weights.bias[3]", "params" for a path inside a node. */
function fieldLabel(path: readonly PropertyKey[]): string {
  let label = '';
  for (const key of path) {
    if (typeof key === 'number') label += `[${key}]`;
    else label += label ? `.${String(key)}` : String(key);
  }
  return label;
}

function quoteList(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

function translateIssue(issue: z.core.$ZodIssue, raw: unknown): NetworkError {
  const path = issue.path;
  const value = at(raw, path);
  const missing = value === undefined && issue.code === 'invalid_type';

  if (path[0] === 'nodes' && typeof path[1] === 'number') {
    const i = path[1];
    const rawNode = at(raw, ['nodes', i]) as Record<string, unknown> | undefined;
    const id = typeof rawNode?.id === 'string' && NODE_ID_PATTERN.test(rawNode.id) ? rawNode.id : undefined;
    const subject = id !== undefined ? `node "${id}"` : `node ${i}`;
    const rest = path.slice(2);
    // Params are named bare (`units`), everything else by its path (`weights.bias`).
    const shown = rest[0] === 'params' && rest.length > 1 ? rest.slice(1) : rest;
    const field = rest.length > 0 ? fieldLabel(rest) : undefined;
    const base: NetworkError = { message: '', ...(id !== undefined ? { nodeId: id } : {}), ...(field ? { field } : {}) };
    const type = typeof rawNode?.type === 'string' ? rawNode.type : undefined;

    if (rest.length === 0) {
      if (issue.code === 'unrecognized_keys') {
        const message = `${subject}: unknown field ${quoteList(issue.keys)}; a node has id, type, params and weights`;
        return { ...base, message };
      }
      return { ...base, message: `${subject} must be an object with an id and a type` };
    }
    if (rest[0] === 'type' && issue.code === 'invalid_union') {
      const got = type === undefined ? 'type is missing' : `unknown type "${type}"`;
      return { ...base, message: `${subject}: ${got}; the node types are ${NODE_TYPE_LIST.join(', ')}` };
    }
    if (issue.code === 'unrecognized_keys' && (rest[0] === 'params' || rest[0] === 'weights') && rest.length === 1) {
      base.field = `${String(rest[0])}.${issue.keys[0]}`;
      const known = type && (NODE_TYPE_LIST as readonly string[]).includes(type) ? (type as NodeType) : undefined;
      if (rest[0] === 'params') {
        const names = known ? NODE_TYPES[known].paramKeys : [];
        const takes = names.length > 0 ? `it takes ${names.join(', ')}` : 'it takes none';
        const verb = issue.keys.length > 1 ? 'are not parameters' : 'is not a parameter';
        return { ...base, message: `${subject}: ${quoteList(issue.keys)} ${verb} of ${type}; ${takes}` };
      }
      const names = known ? weightNamesOf(known) : [];
      const holds = names.length > 0 ? `it holds ${names.join(', ')}` : 'it has no weights';
      const keys = quoteList(issue.keys.map((k) => `weights.${k}`));
      const verb = issue.keys.length > 1 ? 'are not weights' : 'is not a weight';
      return { ...base, message: `${subject}: ${keys} ${verb} of ${type}; ${holds}` };
    }
    const name = fieldLabel(shown);
    const message = missing ? `${subject}: ${name} is missing; it ${issue.message}` : `${subject}: ${name} ${issue.message}`;
    return { ...base, message };
  }

  if (path[0] === 'edges' && typeof path[1] === 'number') {
    const j = path[1];
    const rest = path.slice(2);
    const field = `edges[${j}]${rest.length > 0 ? `.${fieldLabel(rest)}` : ''}`;
    if (rest.length === 0) {
      if (issue.code === 'unrecognized_keys') {
        return { edge: j, field, message: `edge ${j}: unknown field ${quoteList(issue.keys)}; an edge has "from" and "to"` };
      }
      return { edge: j, field, message: `edge ${j} must be an object with "from" and "to"` };
    }
    const name = `"${fieldLabel(rest)}"`;
    const message = missing ? `edge ${j}: ${name} is missing; it ${issue.message}` : `edge ${j}: ${name} ${issue.message}`;
    return { edge: j, field, message };
  }

  if (path.length === 0) {
    if (issue.code === 'unrecognized_keys') {
      const keys = quoteList(issue.keys);
      return { message: `unknown field ${keys} in the network spec; it has format, name, nodes, edges and loss` };
    }
    return { message: 'the network spec must be an object with format, nodes, edges and loss' };
  }

  const field = fieldLabel(path);
  if (field === 'nodes' && issue.code === 'too_big') {
    const count = Array.isArray(value) ? value.length : 0;
    return { field, message: `the network has ${formatCount(count)} nodes; the limit is ${MAX_NODES}` };
  }
  if (field === 'format' && typeof value === 'string') {
    return { field, message: `format is "${value}"; this version reads "${NETWORK_FORMAT}"` };
  }
  if (field === 'loss.type' && typeof value === 'string') {
    return { field, message: `loss.type "${value}" is unknown; it must be one of ${LOSS_TYPES.join(', ')}` };
  }
  return { field, message: missing ? `${field} is missing; it ${issue.message}` : `${field} ${issue.message}` };
}

function dedupe(errors: NetworkError[]): NetworkError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}

// ---- graph structure ------------------------------------------------------------------

function article(word: string): string {
  // rnn and lstm are read letter by letter ("an R-N-N"), so they take "an" too.
  return /^([aeiou]|rnn|lstm)/i.test(word) ? `an ${word}` : `a ${word}`;
}

function checkStructure(net: NetworkSpec): NetworkError[] {
  const errors: NetworkError[] = [];

  const counts = new Map<string, number>();
  for (const n of net.nodes) counts.set(n.id, (counts.get(n.id) ?? 0) + 1);
  for (const [id, count] of counts) {
    if (count > 1) {
      const message = `node "${id}": the id is used by ${count} nodes; ids must be unique`;
      errors.push({ nodeId: id, field: 'id', message });
    }
  }

  const inputs = net.nodes.filter((n) => n.type === 'input');
  if (inputs.length === 0) {
    errors.push({ message: 'the network has no input node; add one "input" node' });
  } else if (inputs.length > 1) {
    errors.push({
      nodeId: inputs[1].id,
      field: 'type',
      message: `the network has ${inputs.length} input nodes (${quoteList(inputs.map((n) => n.id))}); it needs exactly one`,
    });
  }

  const seenEdges = new Map<string, number>();
  net.edges.forEach((e, j) => {
    for (const end of ['from', 'to'] as const) {
      if (!counts.has(e[end])) {
        const message = `edge ${j}: "${end}" names an unknown node "${e[end]}"`;
        errors.push({ edge: j, field: `edges[${j}].${end}`, message });
      }
    }
    const key = JSON.stringify([e.from, e.to]);
    const first = seenEdges.get(key);
    if (first !== undefined) {
      errors.push({ edge: j, field: `edges[${j}]`, message: `edge ${j} repeats edge ${first} ("${e.from}" -> "${e.to}")` });
    } else {
      seenEdges.set(key, j);
    }
  });
  return errors;
}

/** A cycle as node indices, first node repeated at the end; null when there is none. */
function findCycle(nodes: readonly NetworkNode[], outgoing: number[][]): number[] | null {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const color = new Uint8Array(nodes.length);
  for (let start = 0; start < nodes.length; start++) {
    if (color[start] !== WHITE) continue;
    // Iterative DFS: stack of [node, next edge to follow].
    const stack: [number, number][] = [[start, 0]];
    color[start] = GREY;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [u, k] = top;
      if (k < outgoing[u].length) {
        top[1]++;
        const v = outgoing[u][k];
        if (color[v] === GREY) {
          const from = stack.findIndex(([w]) => w === v);
          return [...stack.slice(from).map(([w]) => w), v];
        }
        if (color[v] === WHITE) {
          color[v] = GREY;
          stack.push([v, 0]);
        }
      } else {
        color[u] = BLACK;
        stack.pop();
      }
    }
  }
  return null;
}

function checkConnectivity(
  net: NetworkSpec,
  inputIndex: number,
  incoming: number[][],
  outgoing: number[][],
): { errors: NetworkError[]; output: number } {
  const errors: NetworkError[] = [];
  const nodes = net.nodes;
  const inputId = nodes[inputIndex].id;

  const reached = new Uint8Array(nodes.length);
  reached[inputIndex] = 1;
  const queue = [inputIndex];
  while (queue.length > 0) {
    const u = queue.shift()!;
    for (const v of outgoing[u]) {
      if (!reached[v]) {
        reached[v] = 1;
        queue.push(v);
      }
    }
  }

  nodes.forEach((n, i) => {
    if (!reached[i]) {
      const message = `node "${n.id}": cannot be reached from the input "${inputId}"; connect it or remove it`;
      errors.push({ nodeId: n.id, message });
      return;
    }
    const want = NODE_TYPES[n.type].inputs;
    const have = incoming[i].length;
    if (have === want) return;
    if (n.type === 'input') {
      errors.push({ nodeId: n.id, message: `node "${n.id}": the input node takes no incoming edges, it has ${have}` });
    } else {
      const plural = want === 1 ? 'input' : 'inputs';
      const message = `node "${n.id}": ${article(n.type)} node takes exactly ${want} ${plural}, it has ${have}`;
      errors.push({ nodeId: n.id, message });
    }
  });

  const sinks = nodes.map((_, i) => i).filter((i) => reached[i] && outgoing[i].length === 0);
  let output = sinks.length === 1 ? sinks[0] : -1;
  if (sinks.length === 1 && sinks[0] === inputIndex) {
    errors.push({ nodeId: inputId, message: `the input "${inputId}" is not connected to any layer` });
    output = -1;
  } else if (sinks.length > 1) {
    const names = sinks.map((i) => `"${nodes[i].id}"`).join(', ');
    errors.push({
      nodeId: nodes[sinks[1]].id,
      message: `the network has ${sinks.length} outputs (${names}); it needs exactly one node without outgoing edges`,
    });
  }
  return { errors, output };
}

/** Kahn's algorithm; among ready nodes the one listed first in `nodes` goes first. */
function topologicalOrder(count: number, incoming: number[][], outgoing: number[][]): number[] {
  const pending = incoming.map((list) => list.length);
  const done = new Uint8Array(count);
  const order: number[] = [];
  while (order.length < count) {
    let next = -1;
    for (let i = 0; i < count; i++) {
      if (!done[i] && pending[i] === 0) {
        next = i;
        break;
      }
    }
    if (next < 0) break; // unreachable after findCycle found none
    done[next] = 1;
    order.push(next);
    for (const v of outgoing[next]) pending[v]--;
  }
  return order;
}

// ---- widths, time axes, weights, limits, loss --------------------------------------------

/** The time axis of a node's output. */
interface TimeShape {
  sequence: boolean;
  /** T for a sequence, 1 otherwise. */
  steps: number;
  /** For a plain output: the recurrent node (index) that returned only its last step, -1 when none did. */
  endedBy: number;
}

function describeTime(t: TimeShape): string {
  if (!t.sequence) return 'one vector per sample';
  return `a sequence of ${formatCount(t.steps)} ${t.steps === 1 ? 'step' : 'steps'}`;
}

function inferWidths(
  net: NetworkSpec,
  order: number[],
  incoming: number[][],
  inputIndex: number,
  output: number,
): { out: number[]; time: TimeShape[]; errors: NetworkError[]; parameterCount: number } {
  const nodes = net.nodes;
  const errors: NetworkError[] = [];
  const out = nodes.map(() => Number.NaN); // NaN: unknown because of an earlier error
  const time: TimeShape[] = nodes.map(() => ({ sequence: false, steps: 1, endedBy: -1 }));
  let parameterCount = 0;
  let largest = { id: '', count: 0 };

  for (const i of order) {
    const n = nodes[i];
    const ins = incoming[i].map((j) => out[j]);
    if (ins.some((w) => Number.isNaN(w))) continue;
    let inFeatures = i === inputIndex ? 0 : ins[0];
    const inTime = i === inputIndex ? time[i] : time[incoming[i][0]];

    if (n.type === 'add' && ins[0] !== ins[1]) {
      const message = `node "${n.id}": the inputs have ${ins[0]} and ${ins[1]} features; an add needs equal widths`;
      errors.push({ nodeId: n.id, message });
      continue;
    }
    if (n.type === 'add') {
      const [a, b] = incoming[i].map((j) => time[j]);
      if (a.sequence !== b.sequence || a.steps !== b.steps) {
        const [ida, idb] = incoming[i].map((j) => nodes[j].id);
        errors.push({
          nodeId: n.id,
          message:
            `node "${n.id}": the inputs "${ida}" (${describeTime(a)}) and "${idb}" (${describeTime(b)}) ` +
            'differ in time; an add needs equal features and the same time shape',
        });
        continue;
      }
    }
    if (isRecurrentNode(n) && !inTime.sequence) {
      const src = nodes[incoming[i][0]].id;
      const fix =
        inTime.endedBy >= 0
          ? `set return to "sequence" on "${nodes[inTime.endedBy].id}" to stack recurrent layers`
          : `give the input node "${nodes[inputIndex].id}" a sequence_length`;
      errors.push({
        nodeId: n.id,
        message:
          `node "${n.id}": ${article(n.type)} needs a sequence input ([batch][time][features]), ` +
          `but "${src}" gives one vector per sample; ${fix}`,
      });
      continue;
    }

    if (n.type === 'input') {
      const steps = n.params.sequence_length;
      time[i] = { sequence: steps !== undefined, steps: steps ?? 1, endedBy: -1 };
    } else if (isRecurrentNode(n)) {
      time[i] = n.params.return === 'sequence' ? { ...inTime } : { sequence: false, steps: 1, endedBy: i };
    } else {
      time[i] = { ...inTime };
    }
    if (n.type === 'dense' && n.params.in_features !== undefined && n.params.in_features !== inFeatures) {
      const src = nodes[incoming[i][0]].id;
      errors.push({
        nodeId: n.id,
        field: 'params.in_features',
        message: `node "${n.id}": in_features ${n.params.in_features} does not match the ${inFeatures} produced by "${src}"`,
      });
      inFeatures = n.params.in_features; // the weights check below still makes sense
    }
    const width = outFeaturesOf(n, inFeatures);
    out[i] = width;

    let nodeCount = 0;
    for (const t of nodeTensors(n, inFeatures, width)) {
      if (t.trainable) nodeCount += t.numel;
      const given = (n.weights as Record<string, number[] | undefined> | undefined)?.[t.name];
      if (given !== undefined && given.length !== t.numel) {
        const dims = t.shape.length > 1 ? ` (${t.shape.join(' x ')})` : '';
        errors.push({
          nodeId: n.id,
          field: `weights.${t.name}`,
          message:
            `node "${n.id}": weights.${t.name} has ${formatCount(given.length)} value${given.length === 1 ? '' : 's'}, ` +
            `expected ${formatCount(t.numel)}${dims}`,
        });
      }
      if (t.name === 'running_var' && given?.some((v) => v < 0)) {
        const message = `node "${n.id}": weights.running_var holds a negative value; a variance cannot be negative`;
        errors.push({ nodeId: n.id, field: 'weights.running_var', message });
      }
    }
    if (n.type === 'dense' && !n.params.bias && n.weights?.bias !== undefined) {
      const message = `node "${n.id}": weights.bias is given but bias is false`;
      errors.push({ nodeId: n.id, field: 'weights.bias', message });
    }
    parameterCount += nodeCount;
    if (nodeCount > largest.count) largest = { id: n.id, count: nodeCount };
  }

  if (parameterCount > MAX_PARAMETERS) {
    errors.push({
      nodeId: largest.id,
      message:
        `the network has ${formatCount(parameterCount)} parameters; the limit is ${formatCount(MAX_PARAMETERS)} ` +
        `(the largest node is "${largest.id}" with ${formatCount(largest.count)})`,
    });
  }

  const outWidth = out[output];
  if (net.loss.type === 'softmax_cross_entropy' && !Number.isNaN(outWidth) && outWidth < 2) {
    errors.push({
      nodeId: nodes[output].id,
      field: 'loss.type',
      message:
        'the loss softmax_cross_entropy needs an output with at least 2 features (one per class), ' +
        `but the output "${nodes[output].id}" has ${outWidth}; use bce_with_logits for one output`,
    });
  }
  return { out, time, errors, parameterCount };
}
