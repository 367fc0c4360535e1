// Property-based tests of the addon's boundary: random and adversarial network
// specs, data shapes, CSV bytes and call orders. Every case must end in a result or
// a clear JavaScript Error (a non-empty message and a code: VGLAB_INVALID_INPUT for
// bad input, VGLAB_BUSY for a call while the network trains), never in a crash.
//
// A native crash would kill the vitest worker with nothing but "Worker exited
// unexpectedly". So these properties run in a child vitest process of their own
// (properties.test.ts starts it with properties.vitest.config.ts), which asserts
// that the child exits cleanly, printing its output and the case that was running.
//
// Runs per property are sized for about 10,000 cases in all (some 20 s, about the
// same under the sanitizers: the cases are tiny); VGLAB_PROPERTY_SCALE scales them.
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { loadAddon, type NativeNetwork, type NativeTargets } from '../../electron/engine/addon.ts';

const SCALE = Number(process.env.VGLAB_PROPERTY_SCALE ?? 1);
const runs = (n: number) => Math.max(20, Math.round(n * (Number.isFinite(SCALE) && SCALE > 0 ? SCALE : 1)));
// Where the child writes the case it is about to run, for the parent to show after a crash.
const LAST_CASE = process.env.VGLAB_PROPERTIES_LAST_CASE;

// ---- what a clear failure looks like -------------------------------------------------

type Code = 'VGLAB_INVALID_INPUT' | 'VGLAB_BUSY';

function expectClearError(e: unknown, codes: readonly Code[] = ['VGLAB_INVALID_INPUT']): void {
  const isError = e instanceof Error || Object.prototype.toString.call(e) === '[object Error]';
  if (!isError) throw new Error(`expected an Error, got ${String(e)}`);
  const err = e as Error & { code?: unknown };
  expect(typeof err.message).toBe('string');
  expect(err.message.trim().length).toBeGreaterThan(0);
  if (!codes.includes(err.code as Code)) {
    throw new Error(`error "${err.message}" has code ${String(err.code)}, expected ${codes.join(' or ')}`);
  }
}

/** Runs f; a thrown error must be clear. Returns f's value, or undefined when it threw. */
function resultOrClearError<T>(f: () => T, codes?: readonly Code[]): T | undefined {
  try {
    return f();
  } catch (e) {
    expectClearError(e, codes);
    return undefined;
  }
}

function remember(kind: string, value: unknown): void {
  if (!LAST_CASE) return;
  let text: string;
  try {
    text = fc.stringify(value);
  } catch {
    text = '(a value that cannot be printed: a getter throws)';
  }
  writeFileSync(LAST_CASE, `${kind}: ${text}`.slice(0, 20000));
}

// ---- arbitraries: networks ---------------------------------------------------------

type Json = Record<string, unknown>;
interface Spec {
  format?: unknown;
  nodes: Json[];
  edges: Json[];
  loss?: unknown;
}

const LOSSES = ['softmax_cross_entropy', 'mse', 'bce_with_logits'] as const;
const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu', 'softplus'] as const;

type Layer =
  | { kind: 'dense'; units: number; init: string; bias: boolean }
  | { kind: 'act'; type: string }
  | { kind: 'norm'; type: 'batchnorm' | 'layernorm' }
  | { kind: 'dropout'; p: number }
  | { kind: 'residual'; units: number };

const layerArb: fc.Arbitrary<Layer> = fc.oneof(
  fc.record({
    kind: fc.constant('dense' as const),
    units: fc.integer({ min: 1, max: 4 }),
    init: fc.constantFrom('xavier_uniform', 'he_normal', 'zeros', 'normal'),
    bias: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('act' as const), type: fc.constantFrom(...ACTIVATIONS) }),
  fc.record({ kind: fc.constant('norm' as const), type: fc.constantFrom('batchnorm' as const, 'layernorm' as const) }),
  fc.record({ kind: fc.constant('dropout' as const), p: fc.constantFrom(0, 0.25, 0.5, 0.9) }),
  fc.record({ kind: fc.constant('residual' as const), units: fc.integer({ min: 1, max: 3 }) }),
);

/** A small valid network: input (maybe a sequence and a recurrent cell), layers, an output dense. */
const validSpecArb: fc.Arbitrary<Spec> = fc
  .record({
    features: fc.integer({ min: 1, max: 3 }),
    sequence: fc.option(
      fc.record({
        length: fc.integer({ min: 1, max: 3 }),
        cell: fc.constantFrom('rnn', 'lstm', 'gru'),
        hidden: fc.integer({ min: 1, max: 3 }),
        ret: fc.constantFrom('last', 'sequence'),
      }),
      { nil: undefined },
    ),
    layers: fc.array(layerArb, { maxLength: 5 }),
    loss: fc.constantFrom(...LOSSES),
    outputs: fc.integer({ min: 2, max: 4 }),
  })
  .map(({ features, sequence, layers, loss, outputs }) => {
    const nodes: Json[] = [
      { id: 'in', type: 'input', params: sequence ? { features, sequence_length: sequence.length } : { features } },
    ];
    const edges: Json[] = [];
    let prev = 'in';
    const push = (node: Json) => {
      nodes.push(node);
      edges.push({ from: prev, to: node.id });
      prev = node.id as string;
    };
    if (sequence) {
      push({ id: 'cell', type: sequence.cell, params: { hidden_size: sequence.hidden, return: sequence.ret } });
    }
    layers.forEach((l, i) => {
      const id = `l${i}`;
      if (l.kind === 'dense') push({ id, type: 'dense', params: { units: l.units, init: l.init, bias: l.bias } });
      else if (l.kind === 'act') push({ id, type: l.type });
      else if (l.kind === 'norm') push({ id, type: l.type });
      else if (l.kind === 'dropout') push({ id, type: 'dropout', params: { p: l.p } });
      else {
        // dense -> tanh -> add(tanh, dense): a skip connection.
        push({ id: `${id}d`, type: 'dense', params: { units: l.units } });
        push({ id: `${id}t`, type: 'tanh' });
        nodes.push({ id: `${id}a`, type: 'add' });
        edges.push({ from: `${id}t`, to: `${id}a` }, { from: `${id}d`, to: `${id}a` });
        prev = `${id}a`;
      }
    });
    push({ id: 'out', type: 'dense', params: { units: outputs } });
    return { format: 'vglab-network/1', nodes, edges, loss: { type: loss } };
  });

const oddNumber = fc.constantFrom(
  0, -1, 0.5, 1.5, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 65536, 65537, 1e9, 1e20,
  1e308, Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 31), Number.MIN_VALUE, 10000, 10001,
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddNumber,
  fc.string({ maxLength: 8 }),
  fc.constantFrom(null, undefined, true, false, [], {}, [1, 2], { a: 1 }, 10n, Symbol('s'), () => 1),
  fc.letrec<{ deep: unknown }>((tie) => ({
    deep: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.integer(), fc.array(tie('deep'), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), tie('deep'), { maxKeys: 2 })),
  })).deep,
  fc.float32Array({ maxLength: 6 }),
  fc.int32Array({ maxLength: 6 }),
  fc.float64Array({ maxLength: 6 }),
);
const PARAM_KEYS = ['units', 'features', 'in_features', 'sequence_length', 'hidden_size', 'slope', 'alpha', 'eps',
  'momentum', 'p', 'init', 'init_scale', 'forget_bias', 'recurrent_init', 'nonlinearity', 'return', 'bias',
  '__proto__', 'constructor', ''];
const WEIGHT_KEYS = ['weight', 'bias', 'gamma', 'beta', 'running_mean', 'weight_ih', 'weight_hh', 'bias_ih', 'nope'];

/** The message of the error a hostile getter throws: the addon must pass it on unchanged. */
const HOSTILE = 'hostile getter';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/** One thing done wrong to a spec (applied to a fresh spec, at most three in a row). */
type Mutation = (spec: Spec, pick: (n: number) => number, value: unknown, text: string) => unknown;
const MUTATIONS: Record<string, Mutation> = {
  paramValue: (s, pick, v) => {
    const n = s.nodes[pick(s.nodes.length)];
    n.params = { ...(n.params as Json | undefined), [PARAM_KEYS[pick(PARAM_KEYS.length)]]: v };
    return s;
  },
  paramsNotObject: (s, pick, v) => ((s.nodes[pick(s.nodes.length)].params = v), s),
  fieldValue: (s, pick, v) => ((s.nodes[pick(s.nodes.length)][pick(2) ? 'id' : 'type'] = v), s),
  deleteField: (s, pick) => (delete s.nodes[pick(s.nodes.length)][pick(2) ? 'id' : 'type'], s),
  unknownType: (s, pick, _v, t) => ((s.nodes[pick(s.nodes.length)].type = t), s),
  duplicateId: (s, pick) => ((s.nodes[pick(s.nodes.length)].id = s.nodes[pick(s.nodes.length)].id), s),
  longId: (s, pick, _v, t) => ((s.nodes[pick(s.nodes.length)].id = t.repeat(1 + pick(5000))), s),
  cycle: (s, pick) => (s.edges.push({ from: s.nodes[s.nodes.length - 1].id, to: s.nodes[pick(s.nodes.length)].id }), s),
  selfLoop: (s, pick) => {
    const id = s.nodes[pick(s.nodes.length)].id;
    return s.edges.push({ from: id, to: id }), s;
  },
  dropEdge: (s, pick) => (s.edges.splice(pick(s.edges.length), 1), s),
  danglingEdge: (s, pick, _v, t) => (s.edges.push({ from: s.nodes[pick(s.nodes.length)].id, to: t }), s),
  edgeValue: (s, pick, v) => ((s.edges[pick(s.edges.length)] = v as Json), s),
  edgeField: (s, pick, v) => ((s.edges[pick(s.edges.length)][pick(2) ? 'from' : 'to'] = v), s),
  nodeValue: (s, pick, v) => ((s.nodes[pick(s.nodes.length)] = v as Json), s),
  noInput: (s) => ((s.nodes = s.nodes.slice(1)), s),
  twoInputs: (s) => (s.nodes.push({ id: 'in2', type: 'input', params: { features: 1 } }), s),
  extraOutput: (s, pick) => {
    s.nodes.push({ id: 'spare', type: 'relu' });
    return s.edges.push({ from: s.nodes[pick(s.nodes.length - 1)].id, to: 'spare' }), s;
  },
  nodesValue: (s, _pick, v) => ({ ...s, nodes: v }),
  edgesValue: (s, _pick, v) => ({ ...s, edges: v }),
  lossValue: (s, _pick, v) => ({ ...s, loss: pickLoss(v) }),
  specValue: (_s, _pick, v) => v,
  weights: (s, pick, v) => {
    const n = s.nodes[pick(s.nodes.length)];
    const length = [0, 1, 2, 3, 4, 6, 8, 9, 12, 16][pick(10)];
    const values = pick(3) === 0 ? v : Array.from({ length }, (_, i) => (pick(8) === 0 ? Number.NaN : i / 10));
    const typed = Array.isArray(values) && values.every((e) => typeof e === 'number') && pick(2) === 0;
    n.weights = { [WEIGHT_KEYS[pick(WEIGHT_KEYS.length)]]: typed ? Float32Array.from(values as number[]) : values };
    return s;
  },
  manyNodes: (s, pick) => {
    const count = 500 + pick(30);
    for (let i = 0; i < count; i++) s.nodes.push({ id: `m${i}`, type: 'relu' });
    return s;
  },
  referenceCycle: (s) => {
    const params: Json = { units: 2 };
    params.self = params;
    s.nodes[s.nodes.length - 1].params = params;
    return s;
  },
  getterThrows: (s) => {
    Object.defineProperty(s, 'edges', {
      enumerable: true,
      get() {
        throw new Error(HOSTILE);
      },
    });
    return s;
  },
};

function pickLoss(v: unknown): unknown {
  return typeof v === 'string' || v === undefined ? v : { type: v };
}

const mutatedSpecArb = fc
  .record({
    spec: validSpecArb,
    mutations: fc.array(
      fc.record({
        name: fc.constantFrom(...Object.keys(MUTATIONS)),
        seeds: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        value: oddValue,
        text: fc.string({ maxLength: 12, unit: 'grapheme' }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ spec, mutations }) => {
    let s: unknown = spec;
    for (const m of mutations) {
      // Mutations edit nodes and edges: stop once an earlier one left none to edit.
      const { nodes, edges } = (isObject(s) ? s : {}) as Partial<Spec>;
      if (!Array.isArray(nodes) || !nodes.length || !nodes.every(isObject)) break;
      if (!Array.isArray(edges) || !edges.length || !edges.every(isObject)) break;
      let k = 0;
      const pick = (n: number) => (n <= 0 ? 0 : m.seeds[k++ % m.seeds.length] % n);
      s = MUTATIONS[m.name](s as Spec, pick, m.value, m.text);
      if (m.name === 'getterThrows') break; // reading the spec now throws, here too
    }
    return { spec: s, mutations: mutations.map((m) => m.name) };
  });

/** Checks a network that constructed: its description is consistent and it predicts. */
function checkConstructed(net: NativeNetwork): void {
  const info = net.info();
  expect(info.nodes.length).toBeGreaterThan(1);
  expect(info.inputFeatures).toBeGreaterThan(0);
  expect(info.outputFeatures).toBeGreaterThan(0);
  const width = info.inputFeatures * info.inputTime;
  const out = net.predict(new Float32Array(width * 2), 2);
  expect(out.length).toBe(2 * info.outputFeatures * info.outputTime);
}

// ---- arbitraries: data -------------------------------------------------------------

const floatValue = fc.oneof(
  { weight: 6, arbitrary: fc.float({ min: -3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: fc.float() }, // NaN, Infinity, 3.4e38, -0 included
);

/** setData arguments around the right shape for `net`: right, off by a little, or plainly wrong. */
function dataArb(info: ReturnType<NativeNetwork['info']>) {
  const width = info.inputFeatures * info.inputTime;
  const perRow = info.loss === 'softmax_cross_entropy' ? info.outputTime : info.outputFeatures * info.outputTime;
  return fc
    .record({
      rows: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: oddNumber }),
      xDelta: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) }),
      yDelta: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }) }),
      values: fc.array(floatValue, { minLength: 64, maxLength: 64 }),
      labels: fc.array(
        fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: info.outputFeatures - 1 }) },
          { weight: 1, arbitrary: fc.constantFrom(-1, info.outputFeatures, 2 ** 31 - 1, -(2 ** 31)) }),
        { minLength: 32, maxLength: 32 },
      ),
      offset: fc.integer({ min: 0, max: 3 }), // a view into a larger buffer
      wrongKind: fc.oneof({ weight: 12, arbitrary: fc.constant('none') },
        { weight: 1, arbitrary: fc.constantFrom('float64', 'array', 'labelsAsFloat', 'noTargets', 'targetsNull') }),
    })
    .map(({ rows, xDelta, yDelta, values, labels, offset, wrongKind }) => {
      const r = Number.isInteger(rows) && rows > 0 && rows <= 6 ? rows : 2;
      const xLen = Math.max(0, r * width + xDelta);
      const backing = new Float32Array(xLen + offset);
      for (let i = 0; i < backing.length; i++) backing[i] = values[i % values.length];
      let x: unknown = backing.subarray(offset);
      const yLen = Math.max(0, r * perRow + yDelta);
      let targets: unknown;
      if (info.loss === 'softmax_cross_entropy') {
        targets = { labels: Int32Array.from({ length: yLen }, (_, i) => labels[i % labels.length]) };
        if (wrongKind === 'labelsAsFloat') targets = { labels: new Float32Array(yLen) };
      } else {
        targets = { targets: Float32Array.from({ length: yLen }, (_, i) => values[(i * 7) % values.length]) };
        if (wrongKind === 'labelsAsFloat') targets = { labels: new Int32Array(yLen) };
      }
      if (wrongKind === 'float64') x = new Float64Array(xLen);
      if (wrongKind === 'array') x = Array.from({ length: xLen }, () => 0);
      if (wrongKind === 'noTargets') targets = {};
      if (wrongKind === 'targetsNull') targets = null;
      return { x: x as Float32Array, rows, targets: targets as NativeTargets };
    });
}

// ---- arbitraries: call orders ------------------------------------------------------

type Command =
  | { op: 'setData'; good: boolean }
  | { op: 'setOptimizer'; value: unknown }
  | { op: 'configure'; value: unknown }
  | { op: 'step' | 'info' | 'getParams' | 'cancel' | 'stepsDone' | 'tick' | 'settle' }
  | { op: 'runSteps'; n: unknown }
  | { op: 'train'; n: unknown; onChunk: 'none' | 'throws' | 'pokes' | 'notFunction' }
  | { op: 'evaluate'; good: boolean; trainMode: unknown }
  | { op: 'predict'; rows: unknown }
  | { op: 'setParam'; which: number; size: number; nan: boolean }
  | { op: 'jacobian'; samples: unknown }
  | { op: 'traces'; from: unknown; row: unknown }
  // An argument whose getter calls train(): the call must then refuse with VGLAB_BUSY.
  | { op: 'reenter'; via: 'configure' | 'setOptimizer' | 'setData' | 'evaluate' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('setData' as const), good: fc.boolean() }),
  fc.record({
    op: fc.constant('setOptimizer' as const),
    value: fc.oneof(
      fc.record({ type: fc.constantFrom('sgd', 'momentum', 'adam'), lr: fc.constantFrom(0.01, 0.1, 1e6) }),
      fc.record({ type: fc.constantFrom('adam', 'rmsprop', 3), lr: oddNumber }),
      oddValue,
    ),
  }),
  fc.record({
    op: fc.constant('configure' as const),
    value: fc.oneof(
      fc.record({ batch_size: fc.integer({ min: 1, max: 8 }), trace_every: fc.integer({ min: 1, max: 3 }), histogram: fc.boolean() }),
      fc.record({ batch_size: oddNumber }),
      oddValue,
    ),
  }),
  fc.constantFrom('step', 'info', 'getParams', 'cancel', 'stepsDone', 'tick', 'settle').map((op) => ({ op }) as Command),
  fc.record({ op: fc.constant('runSteps' as const), n: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, -1, 1.5, Number.NaN, 2 ** 41)) }),
  fc.record({
    op: fc.constant('train' as const),
    n: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.constantFrom(2000, 0, -3, 0.5, Number.NaN, '5')),
    onChunk: fc.constantFrom('none', 'throws', 'pokes', 'notFunction'),
  }),
  fc.record({ op: fc.constant('evaluate' as const), good: fc.boolean(), trainMode: fc.constantFrom(true, false, undefined, 'yes') }),
  fc.record({ op: fc.constant('predict' as const), rows: fc.oneof(fc.integer({ min: 1, max: 4 }), oddNumber) }),
  fc.record({ op: fc.constant('setParam' as const), which: fc.nat(20), size: fc.integer({ min: -1, max: 1 }), nan: fc.boolean() }),
  fc.record({ op: fc.constant('jacobian' as const), samples: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 257, -1, 1.5)) }),
  fc.record({ op: fc.constant('traces' as const), from: fc.oneof(fc.nat(40), oddNumber), row: fc.oneof(fc.nat(10), oddNumber, fc.constant(undefined)) }),
  fc.record({ op: fc.constant('reenter' as const), via: fc.constantFrom('configure', 'setOptimizer', 'setData', 'evaluate') }),
);

/** Methods that must refuse with VGLAB_BUSY while a train() or jacobian() owns the network. */
const BUSY_METHODS = new Set(['setData', 'setOptimizer', 'configure', 'step', 'runSteps', 'train', 'evaluate', 'predict',
  'getParams', 'setParam', 'jacobian', 'traces']);

/** A promise that must resolve, or reject with a clear error (or the onChunk callback's own). */
function settleClearly(p: Promise<unknown>, own?: string): Promise<void> {
  return p.then(
    () => undefined,
    (e: unknown) => {
      if (own && e instanceof Error && e.message === own) return;
      expectClearError(e);
    },
  );
}

async function runCommands(spec: Spec, commands: Command[]): Promise<void> {
  const addon = loadAddon();
  const net = new addon.Network(spec, { seed: 1, memoryCapBytes: 64 * 2 ** 20 });
  const info = net.info();
  const width = info.inputFeatures * info.inputTime;
  const classes = info.loss === 'softmax_cross_entropy';
  const rows = 5;
  const x = Float32Array.from({ length: rows * width }, (_, i) => Math.sin(i));
  const good: NativeTargets = classes
    ? { labels: Int32Array.from({ length: rows * info.outputTime }, (_, i) => i % info.outputFeatures) }
    : { targets: Float32Array.from({ length: rows * info.outputFeatures * info.outputTime }, (_, i) => (i % 3) / 3) };
  const bad: NativeTargets = classes ? { labels: new Int32Array(rows * info.outputTime).fill(-1) } : { targets: new Float32Array(1) };
  const pending: Promise<void>[] = [];
  const params = info.params.map((p) => p.name);

  for (const c of commands) {
    if (c.op === 'tick') {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    if (c.op === 'settle') {
      await Promise.all(pending.splice(0));
      continue;
    }
    const busy = net.training;
    let threw: unknown;
    // A getter that starts a short train() the first time it runs (the call reads some
    // properties twice), keeping the promise like any other.
    let started = false;
    const startTraining = () => {
      if (started) return;
      started = true;
      try {
        pending.push(settleClearly(net.train(3)));
      } catch (e) {
        expectClearError(e, ['VGLAB_BUSY']);
      }
    };
    try {
      switch (c.op) {
        case 'setData': net.setData(x, rows, c.good ? good : bad); break;
        case 'setOptimizer': net.setOptimizer(c.value as never); break;
        case 'configure': net.configure(c.value as never); break;
        case 'step': expect(typeof net.step().loss).toBe('number'); break;
        case 'runSteps': net.runSteps(c.n as number); break;
        case 'info': expect(net.info().nodes.length).toBe(info.nodes.length); break;
        case 'getParams': expect(Object.keys(net.getParams()).length).toBe(params.length); break;
        case 'cancel': expect(net.cancel()).toBe(busy); break;
        case 'stepsDone': expect(net.stepsDone).toBeGreaterThanOrEqual(0); break;
        case 'predict': net.predict(x.subarray(0, (c.rows as number) * width), c.rows as number); break;
        case 'traces': net.traces(c.from as number, c.row as number); break;
        case 'evaluate': net.evaluate(x, rows, c.good ? good : bad, c.trainMode as boolean); break;
        case 'setParam': {
          const name = params.length ? params[c.which % params.length] : 'none';
          const size = (info.params.find((p) => p.name === name)?.rows ?? 1) * (info.params.find((p) => p.name === name)?.cols ?? 1);
          const values = new Float32Array(Math.max(0, size + c.size)).fill(0.1);
          if (c.nan && values.length) values[0] = Number.NaN;
          net.setParam(c.which === 20 ? 'no.such' : name, values);
          break;
        }
        case 'jacobian': pending.push(settleClearly(net.jacobian(x.subarray(0, Math.max(0, c.samples as number) * width), c.samples as number))); break;
        case 'reenter': {
          const getter = <T>(value: T) => ({ get: () => (startTraining(), value), enumerable: true });
          if (c.via === 'configure') net.configure(Object.defineProperty({}, 'batch_size', getter(4)));
          if (c.via === 'setOptimizer') net.setOptimizer(Object.defineProperty({ type: 'sgd' }, 'lr', getter(0.1)) as never);
          const targets = Object.defineProperty({}, classes ? 'labels' : 'targets', getter(classes ? (good as { labels: Int32Array }).labels : (good as { targets: Float32Array }).targets));
          if (c.via === 'setData') net.setData(x, rows, targets as NativeTargets);
          if (c.via === 'evaluate') net.evaluate(x, rows, targets as NativeTargets);
          break;
        }
        case 'train': {
          const own = 'onChunk failed on purpose';
          const onChunk =
            c.onChunk === 'throws' ? () => { throw new Error(own); }
            : c.onChunk === 'pokes' ? () => {
                // Calls from inside a chunk: refused while busy, or harmless.
                resultOrClearError(() => net.step(), ['VGLAB_BUSY']);
                resultOrClearError(() => net.setParam(params[0] ?? 'x', new Float32Array(1)), ['VGLAB_BUSY']);
                net.cancel();
              }
            : c.onChunk === 'notFunction' ? (42 as never)
            : undefined;
          pending.push(settleClearly(net.train(c.n as number, onChunk), own));
          break;
        }
      }
    } catch (e) {
      threw = e;
    }
    if ((busy && BUSY_METHODS.has(c.op)) || c.op === 'reenter') {
      // Checked before anything else: a busy network refuses whatever the arguments,
      // also when it became busy while the call was reading them.
      expect(threw, `${c.op} while training`).toBeDefined();
      expectClearError(threw, ['VGLAB_BUSY']);
    } else if (threw !== undefined) {
      expectClearError(threw, ['VGLAB_INVALID_INPUT']);
    }
  }
  net.cancel();
  await Promise.all(pending);
  expect(net.training).toBe(false);
  // Whatever happened, the network still answers.
  expect(net.info().nodes.length).toBe(info.nodes.length);
}

// ---- arbitraries: CSV bytes ----------------------------------------------------------

const csvCell = fc.oneof(
  fc.constantFrom('1', '-2.5', '.5', '+3', '1e3', '1e39', '1e-400', 'nan', 'inf', '0x10', '', ' 7 ', '"4"', '"a,b"', '"x""y"',
    '"open', 'cat', 'dog', '5\'11"', '\u00e9t\u00e9', '\uFEFF', '\u0000'),
  fc.string({ maxLength: 6 }),
);
const csvArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        header: fc.array(fc.oneof(fc.constantFrom('a', 'b', 'label', 'y', '', 'a'), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 5 }),
        rows: fc.array(fc.array(csvCell, { minLength: 0, maxLength: 6 }), { maxLength: 8 }),
        sep: fc.constantFrom(',', ';', '\t'),
        eol: fc.constantFrom('\n', '\r\n', '\r'),
        bom: fc.boolean(),
      })
      .map(({ header, rows, sep, eol, bom }) =>
        new TextEncoder().encode((bom ? '\uFEFF' : '') + [header, ...rows].map((r) => r.join(sep)).join(eol))),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
);
const csvOptionsArb = fc.oneof(
  fc.constant(undefined),
  fc.record({
    target: fc.option(fc.constantFrom('a', 'label', 'y', 'missing', ''), { nil: undefined }),
    standardize: fc.option(fc.boolean(), { nil: undefined }),
    maxRows: fc.option(fc.oneof(fc.integer({ min: 1, max: 4 }), oddNumber), { nil: undefined }),
  }, { requiredKeys: [] }),
  oddValue,
);

// ---- the properties (in the child) ---------------------------------------------------

describe('the addon under random and adversarial input', () => {
  const addon = loadAddon();
  // The data shapes depend on the network's widths, which the addon reports.
  const specAndDataArb = validSpecArb.chain((spec) =>
    dataArb(new addon.Network(spec).info()).map((data) => ({ spec, data })),
  );

  it('constructs every valid small network, and it predicts', () => {
    fc.assert(
      fc.property(validSpecArb, (spec) => {
        remember('valid spec', spec);
        const net = new addon.Network(spec, { seed: 3 });
        checkConstructed(net);
      }),
      { numRuns: runs(1500) },
    );
  });

  it('answers a broken spec with a result or an Error naming the problem', () => {
    fc.assert(
      fc.property(mutatedSpecArb, fc.constantFrom(undefined, { seed: 1 }, { seed: -1 }, { memoryCapBytes: 0 }, { seed: 2 ** 60 }),
        ({ spec }, options) => {
          remember('mutated spec', { spec, options });
          let net: NativeNetwork | undefined;
          try {
            net = new addon.Network(spec, options);
          } catch (e) {
            if (e instanceof Error && e.message === HOSTILE) return; // the caller's own error, passed on
            expectClearError(e);
          }
          if (net) checkConstructed(net);
        }),
      { numRuns: runs(4000) },
    );
  });

  it('takes any data shape: stores it or refuses it clearly, and a step after a stored set is a number', () => {
    fc.assert(
      fc.property(specAndDataArb, ({ spec, data }) => {
        remember('data', { spec, data });
        const net = new addon.Network(spec, { seed: 5 });
        const stored = resultOrClearError(() => (net.setData(data.x, data.rows, data.targets), true));
        if (!stored) {
          expect(() => net.step()).toThrow(/no data set/);
          return;
        }
        net.configure({ batch_size: 4 });
        net.setOptimizer({ type: 'sgd', lr: 0.05 });
        const out = net.step();
        expect(out.diverged || Number.isFinite(out.loss)).toBe(true);
        resultOrClearError(() => net.evaluate(data.x, data.rows, data.targets, false));
      }),
      { numRuns: runs(2500) },
    );
  });

  it('parses any bytes into a consistent table or an Error naming the line', () => {
    fc.assert(
      fc.property(csvArb, csvOptionsArb, (bytes, options) => {
        remember('csv', { text: new TextDecoder().decode(bytes), options });
        const d = resultOrClearError(() => addon.parseCsv(bytes, options as never));
        if (!d) return;
        expect(d.x.length).toBe(d.rows * d.features);
        expect(d.y.length).toBe(d.rows);
        expect(d.featureNames.length).toBe(d.features);
        for (const v of d.x) expect(Number.isFinite(v)).toBe(true);
        if (d.classification) for (const v of d.y) expect(v >= 0 && v < d.classNames.length).toBe(true);
      }),
      { numRuns: runs(1500) },
    );
  });

  it('survives any order of calls: busy calls are refused with VGLAB_BUSY, the rest answer or refuse clearly', async () => {
    await fc.assert(
      fc.asyncProperty(validSpecArb, fc.array(commandArb, { minLength: 1, maxLength: 14 }), async (spec, commands) => {
        remember('call order', { spec, commands });
        await runCommands(spec, commands);
      }),
      { numRuns: runs(700) },
    );
  });
});

// ---- arguments that change while the addon reads them --------------------------------

/** Frees a detached buffer's memory now, so a stale pointer into it is a use-after-free ASan sees. */
let gc: (() => void) | undefined;
function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** Detaches a typed array's buffer (its memory moves to a clone that is dropped) and collects it. */
function detach(view: ArrayBufferView): void {
  structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
  collectGarbage();
}

describe('arguments whose getters run JavaScript inside a call', () => {
  const addon = loadAddon();
  const spec = {
    nodes: [
      { id: 'x', type: 'input', params: { features: 2 } },
      { id: 'h', type: 'dense', params: { units: 8 } },
      { id: 't', type: 'tanh' },
      { id: 'out', type: 'dense', params: { units: 2 } },
    ],
    edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 't' }, { from: 't', to: 'out' }],
  };
  const rows = 64;
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 2);
  const freshX = () => Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i));

  it('refuses with VGLAB_BUSY when a getter starts train() mid-call, and the run is unharmed', async () => {
    const net = new addon.Network(spec, { seed: 2 });
    net.setData(freshX(), rows, { labels });
    let run: Promise<unknown> | undefined;
    const starts = () => (run ??= net.train(200), 100);
    // batch_size 100 would grow the workspace under the running step (a use-after-free before the fix).
    expect(() => net.configure({ get batch_size() { return starts(); } })).toThrow(expect.objectContaining({ code: 'VGLAB_BUSY' }));
    await expect(run).resolves.toMatchObject({ steps: 200, stopped: 'completed' });
    run = undefined;
    expect(() => net.evaluate(freshX(), rows, { get labels() { return starts(), labels; } })).toThrow(expect.objectContaining({ code: 'VGLAB_BUSY' }));
    await run;
  });

  it('refuses an input whose buffer a getter detached, instead of reading freed memory', () => {
    const net = new addon.Network(spec, { seed: 2 });
    const x = freshX();
    expect(() => net.setData(x, rows, { get labels() { return detach(x), labels; } })).toThrow('x has 0 values, expected 128');
    const y = freshX();
    expect(() => net.evaluate(y, rows, { get labels() { return detach(y), labels; } })).toThrow('x has 0 values, expected 128');
  });

  it('parses no CSV bytes whose buffer an options getter detached', () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n3,4\n');
    expect(() => addon.parseCsv(bytes, { get target() { return detach(bytes), 'b'; } } as never)).toThrow('the file is empty');
  });
});

// ---- the parent: run the child, report a crash clearly ------------------------------

/** This process's environment minus the variables vitest sets for its own workers. */
