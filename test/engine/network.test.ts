// The native Network through Node-API: training off the JS thread with streamed
// column-wise traces, cancellation, divergence, ISA agreement and bad input.
import { describe, expect, it } from 'vitest';

import { spiral, sine } from '../../core/datasets/generators.ts';
import { validateNetwork } from '../../core/network/validate.ts';
import { loadAddon, type NativeNetwork } from '../../electron/engine/addon.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import { HIST_BINS } from '../../core/traces/metrics.ts';

const addon = loadAddon();

function mlpSpec(act: string, depth: number, width: number, init = 'xavier_uniform', classes = 2) {
  const nodes: { id: string; type: string; params?: Record<string, unknown> }[] = [
    { id: 'x', type: 'input', params: { features: 2 } },
  ];
  const edges: { from: string; to: string }[] = [];
  let prev = 'x';
  for (let i = 0; i < depth; i++) {
    nodes.push({ id: `d${i}`, type: 'dense', params: { units: width, init } }, { id: `a${i}`, type: act });
    edges.push({ from: prev, to: `d${i}` }, { from: `d${i}`, to: `a${i}` });
    prev = `a${i}`;
  }
  nodes.push({ id: 'out', type: 'dense', params: { units: classes, init } });
  edges.push({ from: prev, to: 'out' });
  return { format: 'vglab-network/1', nodes, edges, loss: { type: 'softmax_cross_entropy' } };
}

function spiralNetwork(spec: unknown, seed = 1): NativeNetwork {
  const ds = spiral({ n: 256, seed: 3 });
  const net = new addon.Network(spec, { seed });
  net.setData(ds.x, ds.n, { labels: ds.y });
  net.setOptimizer({ type: 'adam', lr: 0.01 });
  net.configure({ batch_size: 64, trace_every: 5, histogram: true });
  return net;
}

describe('training through the addon', () => {
  it('streams column-wise chunks that add up to the whole run', async () => {
    const net = spiralNetwork(mlpSpec('relu', 3, 16, 'he_normal'));
    const info = net.info();
    const chunks: TraceChunk[] = [];
    const result = await net.train(400, (c) => chunks.push(c));
    expect(result).toEqual({ steps: 400, stopped: 'completed' });
    expect(chunks.length).toBeGreaterThan(0);
    const steps = chunks.reduce((s, c) => s + c.metrics.loss.length, 0);
    const rows = chunks.reduce((s, c) => s + c.steps.length, 0);
    expect(steps).toBe(400);
    expect(rows).toBe(80);
    // Chunks are contiguous.
    let stepAt = 0;
    for (const c of chunks) {
      expect(c.stepFrom).toBe(stepAt);
      stepAt += c.metrics.loss.length;
    }
    const all = net.traces();
    const nodes = info.traceNodeIds.length;
    const params = info.traceParamNames.length;
    expect(nodes).toBe(info.nodes.length - 1);
    expect(params).toBe(8);
    expect(all.metrics.out_grad_norm.length).toBe(80 * nodes);
    expect(all.metrics.grad_norm.length).toBe(80 * params);
    expect(all.histogram.length).toBe(80 * params * (HIST_BINS + 1));
    expect(Array.from(all.steps.slice(0, 3))).toEqual([0, 5, 10]);
    // Every element of a weight lands in exactly one histogram bin.
    const weightCounts = all.histogram.slice(0, HIST_BINS + 1).reduce((s, v) => s + v, 0);
    expect(weightCounts).toBe(info.params[0].rows * info.params[0].cols);
    // It learned something.
    const early = all.metrics.loss.slice(0, 20).reduce((s, v) => s + v, 0) / 20;
    const late = all.metrics.loss.slice(-20).reduce((s, v) => s + v, 0) / 20;
    expect(late).toBeLessThan(0.7 * early);
  });

  it('keeps the JavaScript thread free while training', async () => {
    const net = spiralNetwork(mlpSpec('tanh', 6, 64));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await net.train(3000);
    clearInterval(timer);
    const elapsed = performance.now() - started;
    // The event loop ran throughout: roughly one tick per 5 ms, allow heavy slack.
    expect(ticks).toBeGreaterThan(Math.min(10, elapsed / 50));
  });

  it('cancels promptly and refuses other calls while busy', async () => {
    const net = spiralNetwork(mlpSpec('sigmoid', 4, 32));
    const running = net.train(10_000_000);
    expect(net.training).toBe(true);
    expect(() => net.step()).toThrow(/the network is training/);
    await new Promise((r) => setTimeout(r, 30));
    const asked = performance.now();
    expect(net.cancel()).toBe(true);
    const result = await running;
    expect(performance.now() - asked).toBeLessThan(500);
    expect(result.stopped).toBe('cancelled');
    expect(result.steps).toBeGreaterThan(0);
    expect(net.training).toBe(false);
    expect(net.stepsDone).toBe(result.steps);
    expect(net.step().loss).toBeGreaterThan(0);
  });

  it('stops a diverging run and names the step and the node', async () => {
    const net = spiralNetwork(mlpSpec('relu', 4, 32, 'normal'));
    net.setOptimizer({ type: 'sgd', lr: 1e8 });
    const result = await net.train(200);
    expect(result.stopped).toBe('diverged');
    expect(result.divergence).toMatch(/^training diverged at step \d+: /);
  });

  it('rejects the promise when onChunk throws, and stops', async () => {
    const net = spiralNetwork(mlpSpec('relu', 2, 8));
    await expect(
      net.train(1_000_000, () => {
        throw new Error('chart exploded');
      }),
    ).rejects.toThrow('chart exploded');
    expect(net.training).toBe(false);
  });

  it('gives the same losses for the same seed', () => {
    const a = spiralNetwork(mlpSpec('tanh', 3, 16), 9);
    const b = spiralNetwork(mlpSpec('tanh', 3, 16), 9);
    a.runSteps(50);
    b.runSteps(50);
    expect(Array.from(a.traces().metrics.loss)).toEqual(Array.from(b.traces().metrics.loss));
  });

  it('agrees across ISA levels', () => {
    const initial = addon.isa();
    const losses: number[][] = [];
    for (const isa of addon.supportedIsas()) {
      addon.setIsa(isa);
      const net = spiralNetwork(mlpSpec('sigmoid', 5, 24), 4);
      net.runSteps(60);
      losses.push(Array.from(net.traces().metrics.loss));
    }
    addon.setIsa(initial);
    for (const l of losses.slice(1)) {
      for (let i = 0; i < l.length; i++) expect(Math.abs(l[i] - losses[0][i])).toBeLessThan(1e-3 * Math.abs(losses[0][i]) + 1e-5);
    }
  });

  it('computes Jacobian singular values off the JavaScript thread', async () => {
    const deep = spiralNetwork(mlpSpec('sigmoid', 8, 16), 5);
    const x = spiral({ n: 3, seed: 8 }).x;
    const pending = deep.jacobian(x, 3);
    expect(() => deep.step()).toThrow(/the network is training/);
    const j = await pending;
    expect(j.samples).toBe(3);
    expect(j.network.length).toBe(3 * 2);
    expect(j.nodes.d0.length).toBe(3 * 2); // (16 x 2): 2 values per sample
    expect(j.nodes.a0.length).toBe(3 * 16);
    // A sigmoid's derivative is at most 1/4: every singular value of its Jacobian is too.
    expect(Math.max(...j.nodes.a3)).toBeLessThanOrEqual(0.25 + 1e-6);
    // Eight sigmoid layers squeeze the input-output Jacobian far below 1.
    expect(Math.max(...j.network)).toBeLessThan(0.1);
    expect(() => deep.jacobian(x, 0)).toThrow(/samples must be a whole number/);
  });

  it('trains a regression network with mse', () => {
    const ds = sine({ n: 200, seed: 1 });
    const spec = {
      nodes: [
        { id: 'x', type: 'input', params: { features: 1 } },
        { id: 'h', type: 'dense', params: { units: 32 } },
        { id: 't', type: 'tanh' },
        { id: 'y', type: 'dense', params: { units: 1 } },
      ],
      edges: [
        { from: 'x', to: 'h' },
        { from: 'h', to: 't' },
        { from: 't', to: 'y' },
      ],
      loss: { type: 'mse' },
    };
    const net = new addon.Network(spec, { seed: 2 });
    net.setData(ds.x, ds.n, { targets: ds.y });
    net.setOptimizer({ type: 'adam', lr: 0.01 });
    net.configure({ batch_size: 200 });
    const first = net.step().loss;
    const last = net.runSteps(500).loss;
    expect(last).toBeLessThan(0.2 * first);
    const pred = net.predict(ds.x, ds.n);
    expect(pred.length).toBe(200);
  });
});

describe('bad input through the addon', () => {
  const code = 'VGLAB_INVALID_INPUT';

  it('names the node and field of an invalid spec, like the TypeScript validator', () => {
    const spec = mlpSpec('relu', 2, 16);
    (spec.nodes[3].params as Record<string, unknown>).in_features = 32; // d1 fed 16 by a0
    const ts = validateNetwork(spec);
    expect(ts.ok).toBe(false);
    const message = 'node "d1": in_features 32 does not match the 16 produced by "a0"';
    if (!ts.ok) expect(ts.errors.map((e) => e.message)).toContain(message);
    expect(() => new addon.Network(spec)).toThrow(message);
    try {
      new addon.Network(spec);
    } catch (e) {
      expect((e as { code?: string }).code).toBe(code);
    }
  });

  it.each([
    ['not an object', 42, 'network must be an object'],
    ['nodes missing', { edges: [] }, 'network.nodes must be an array'],
    ['node id not a string', { nodes: [{ id: 1, type: 'input' }], edges: [] }, 'network.nodes[0].id must be a string'],
    ['param of a bad type', { nodes: [{ id: 'x', type: 'input', params: { features: [2] } }], edges: [] }, 'params.features must be a number'],
    [
      'a cycle',
      {
        nodes: [
          { id: 'x', type: 'input', params: { features: 2 } },
          { id: 'a', type: 'add' },
          { id: 'b', type: 'relu' },
        ],
        edges: [
          { from: 'x', to: 'a' },
          { from: 'b', to: 'a' },
          { from: 'a', to: 'b' },
        ],
        loss: 'mse',
      },
      'cycle',
    ],
    ['an unknown loss', { ...mlpSpec('relu', 1, 4), loss: { type: 'hinge' } }, 'loss "hinge" is not a known loss'],
  ])('refuses %s', (_what, spec, message) => {
    expect(() => new addon.Network(spec)).toThrow(message);
  });

  it('checks typed array lengths, NaN data and class labels', () => {
    const net = new addon.Network(mlpSpec('relu', 1, 4));
    expect(() => net.setData(new Float32Array(5), 3, { labels: new Int32Array(3) })).toThrow('x has 5 values, expected 6');
    expect(() => net.setData(new Float32Array(6), 3, { labels: new Int32Array(2) })).toThrow('labels has 2 values, expected 3');
    const x = new Float32Array([0, 1, 2, Number.NaN, 4, 5]);
    expect(() => net.setData(x, 3, { labels: new Int32Array(3) })).toThrow('data: row 1, feature 1 is NaN');
    expect(() => net.setData(new Float32Array(6), 3, { labels: new Int32Array([0, 1, 7]) })).toThrow('row 2 has class 7');
    expect(() => net.setData(new Float32Array(6), 3, { labels: [0, 1, 1] } as never)).toThrow('labels must be an Int32Array');
    expect(() => net.setData(new Float32Array(6), -1, { labels: new Int32Array(3) })).toThrow('rows must be a whole number');
  });

  it('refuses training without data, and bad optimiser settings, with the field named', async () => {
    const net = new addon.Network(mlpSpec('relu', 1, 4));
    expect(() => net.step()).toThrow('no data set');
    await expect(net.train(5)).rejects.toMatchObject({ code, message: expect.stringContaining('no data set') });
    expect(() => net.setOptimizer({ type: 'adam', lr: -1 })).toThrow('optimizer.lr must be a positive number');
    expect(() => net.setOptimizer({ type: 'rmsprop', lr: 1 } as never)).toThrow('optimizer.type must be');
    expect(() => net.configure({ batch_size: 0 })).toThrow('settings.batch_size must be a whole number');
  });

  it('refuses a batch that would pass the memory cap before allocating it', () => {
    const net = new addon.Network(mlpSpec('relu', 2, 4096), { memoryCapBytes: 64 * 1024 * 1024 });
    expect(() => net.configure({ batch_size: 100_000 })).toThrow(/needs .* GiB .* the memory limit is 64.0 MiB/);
  });

  it('refuses a network over the parameter limit without allocating it', () => {
    expect(() => new addon.Network(mlpSpec('relu', 2, 65536))).toThrow(/passes the limit of 50000000 parameters/);
  });
});

describe('CSV import through the addon', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('parses features and a class target, standardised on request', () => {
    const d = addon.parseCsv(bytes('a,b,label\n1,2,cat\n3,4,dog\n5,6,cat\n'), { target: 'label', standardize: true });
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(d.rows).toBe(3);
    expect(d.classification).toBe(true);
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(d.y)).toEqual([0, 1, 0]);
    expect(d.featureMean[0]).toBeCloseTo(3);
    expect(d.x[0]).toBeCloseTo(-1.2247, 3);
  });

  it('names the line and column of a bad cell', () => {
    expect(() => addon.parseCsv(bytes('a,b,c\n1,2,3\n3,x,4\n'))).toThrow('line 3, column "b" (2): "x" is not a number');
    try {
      addon.parseCsv(bytes(''));
    } catch (e) {
      expect((e as Error).message).toMatch(/empty/);
      expect((e as { code?: string }).code).toBe('VGLAB_INVALID_INPUT');
    }
  });
});
