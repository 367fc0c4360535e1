// Questions to a run's trained network through LabService, with the real addon in
// real engine host processes: predictions equal to the same run trained in this
// process, bit for bit; weights that survive completion, a save and a reopen; a
// decision boundary and Jacobian spectra; and the refusals (training, no weights,
// bad inputs, data that is not 2-D).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { LabError, type LabEvents, type RunState, type RunSummary } from '../../../core/api/labApi.ts';
import { makeDataset } from '../../../core/datasets/catalog.ts';
import { decodeTypedArray } from '../../../core/project/traceCodec.ts';
import type { ProjectInput } from '../../../core/project/schema.ts';
import { prepareRun } from '../../../electron/engine/trainer.ts';
import type { HostChannel, HostLauncher } from '../../../electron/engineHost/launcher.ts';
import { NodeHostLauncher } from '../../../electron/engineHost/nodeLauncher.ts';
import { LabService } from '../../../electron/service/labService.ts';

/** The real launcher, counting the hosts it started and the ones that have exited. */
class CountingLauncher implements HostLauncher {
  launched = 0;
  exited = 0;
  private readonly inner = new NodeHostLauncher();
  launch(): HostChannel {
    const c = this.inner.launch();
    this.launched++;
    c.onExit(() => this.exited++);
    return c;
  }
}

let dir: string;
let service: LabService;
let launcher: CountingLauncher;

const QUERY_IDLE_MS = 400;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-queries-'));
  launcher = new CountingLauncher();
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0, launcher, queryHostIdleMs: QUERY_IDLE_MS });
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function waitForState(runId: string, states: RunState[], timeoutMs = 30_000): Promise<LabEvents['run.updated']> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`run ${runId} reached none of ${states.join(', ')} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = service.subscribe((event, payload) => {
      const r = payload as RunSummary;
      if (event === 'run.updated' && r.id === runId && states.includes(r.state)) {
        clearTimeout(timer);
        off();
        resolve(r);
      }
    });
  });
}

/** A run of the project's network (a sigmoid MLP, 3 classes) on a 300-row spiral, `steps` steps. */
async function spiralRun(steps: number): Promise<RunSummary> {
  const state = await service.dispatch('project.get', {});
  return service.dispatch('runs.create', {
    dataset: { name: 'spiral', options: { n: 300, classes: 3, seed: 4 } },
    settings: { ...state.project.settings, optimizer: { type: 'adam', lr: 0.01 }, steps, batch_size: 32, trace_every: 10 },
  });
}

async function trained(steps: number): Promise<RunSummary> {
  const run = await spiralRun(steps);
  const done = waitForState(run.id, ['completed']);
  await service.dispatch('runs.start', { runId: run.id });
  return done;
}

/** The run's job trained `steps` steps in this process. */
function inProcess(run: RunSummary, steps: number) {
  if ('csv' in run.dataset) throw new Error('built-in data sets only');
  const prepared = prepareRun(run.network, run.settings, makeDataset(run.dataset.name, run.dataset.options));
  prepared.net.runSteps(steps);
  return prepared;
}

const bytes = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const inputs = Float32Array.from({ length: 2 * 100 }, (_, i) => Math.sin(i * 0.7) * 1.1);

describe('LabService questions to a run', () => {
  it('keeps a completed run\'s weights through a save and a reopen, bit for bit, and the reopened run answers as it did', async () => {
    const run = await trained(150);
    const expected = inProcess(run, 150);
    const first = await service.dispatch('runs.predict', { runId: run.id, x: inputs, rows: 100 });
    expect(first.outputs).toBe(3);
    expect(bytes(first.output)).toEqual(bytes(expected.net.predict(inputs, 100)));

    const path = join(dir, 'kept.vglab');
    await service.dispatch('project.saveAs', { path });
    const file = JSON.parse(readFileSync(path, 'utf8')) as ProjectInput;
    const stored = file.runs![0].weights!;
    const params = expected.net.getParams();
    expect(Object.keys(stored).sort()).toEqual(Object.keys(params).sort());
    for (const [name, values] of Object.entries(params)) {
      expect(stored[name].encoding).toBe('deflate');
      expect(bytes(decodeTypedArray({ encoding: 'raw', ...stored[name] }, 'float32'))).toEqual(bytes(values));
    }

    await service.dispatch('project.new', {});
    const reopened = await service.dispatch('project.open', { path });
    expect(reopened.runs[0].state).toBe('completed');
    const again = await service.dispatch('runs.predict', { runId: run.id, x: Array.from(inputs), rows: 100 });
    expect(bytes(again.output)).toEqual(bytes(first.output));
  });

  it('draws a decision boundary: resolution² cells of probabilities summing to 1, the data\'s points, a grid around them', async () => {
    const run = await trained(100);
    const b = await service.dispatch('runs.decisionBoundary', { runId: run.id, resolution: 25 });
    expect(b.grid).toMatchObject({ nx: 25, ny: 25 });
    expect(b.classes).toBe(3);
    expect(b.probabilities).toHaveLength(25 * 25 * 3);
    for (let c = 0; c < 25 * 25; c++) {
      const p = b.probabilities.subarray(c * 3, c * 3 + 3);
      expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 5);
    }
    expect(b.points.rows).toBe(300);
    expect(b.points.x).toHaveLength(600);
    expect(new Set(b.points.y)).toEqual(new Set([0, 1, 2]));
    const xs = b.points.x.filter((_, i) => i % 2 === 0);
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    expect(b.grid.xMin).toBeCloseTo(lo - 0.1 * (hi - lo), 5);
    expect(b.grid.xMax).toBeCloseTo(hi + 0.1 * (hi - lo), 5);
    // Cell 0 is (xMin, yMin): its probabilities are the softmax of the network's output there.
    const corner = await service.dispatch('runs.predict', { runId: run.id, x: [b.grid.xMin, b.grid.yMin], rows: 1 });
    const e = Array.from(corner.output, (v) => Math.exp(v));
    const sum = e[0] + e[1] + e[2];
    e.forEach((v, k) => expect(b.probabilities[k]).toBeCloseTo(v / sum, 6));
    const defaults = await service.dispatch('runs.decisionBoundary', { runId: run.id });
    expect(defaults.grid.nx).toBe(60);
  });

  it('returns Jacobian spectra at rows of the run\'s data set, descending within each sample', async () => {
    const run = await trained(50);
    const spectra = await service.dispatch('runs.jacobian', { runId: run.id, samples: 12 });
    expect(spectra.samples).toBe(12);
    expect(spectra.network).toHaveLength(12 * 2); // min(3 outputs, 2 inputs)
    for (let s = 0; s < 12; s++) {
      const [a, b] = spectra.network.subarray(s * 2, s * 2 + 2);
      expect(a).toBeGreaterThanOrEqual(b);
      expect(b).toBeGreaterThan(0);
    }
    for (const values of Object.values(spectra.nodes)) {
      const k = values.length / 12;
      for (let s = 0; s < 12; s++) for (let j = 1; j < k; j++) expect(values[s * k + j - 1]).toBeGreaterThanOrEqual(values[s * k + j]);
    }
    expect((await service.dispatch('runs.jacobian', { runId: run.id })).samples).toBe(16);
  });

  it('refuses a question while the run trains (conflict), and asks its own host once it is paused', async () => {
    const run = await spiralRun(1_000_000);
    const going = new Promise<void>((resolve) => {
      const off = service.subscribe((event, payload) => {
        if (event === 'run.updated' && (payload as RunSummary).id === run.id && (payload as RunSummary).stepsDone > 20) {
          off();
          resolve();
        }
      });
    });
    await service.dispatch('runs.start', { runId: run.id });
    await going;
    const e = await service.dispatch('runs.predict', { runId: run.id, x: inputs, rows: 100 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LabError);
    expect(e).toMatchObject({ code: 'conflict', message: `run "${run.label}" is training: pause it to ask its network` });
    const paused = await service.dispatch('runs.pause', { runId: run.id });
    const launched = launcher.launched;
    const answer = await service.dispatch('runs.predict', { runId: run.id, x: inputs, rows: 100 });
    expect(bytes(answer.output)).toEqual(bytes(inProcess(run, paused.stepsDone).net.predict(inputs, 100)));
    expect(launcher.launched).toBe(launched); // no query host: the paused run's own host answered
    await service.dispatch('runs.stop', { runId: run.id });
  });

  it('says clearly that a run that never trained, or failed, has no network to ask', async () => {
    const fresh = await spiralRun(10);
    await expect(service.dispatch('runs.predict', { runId: fresh.id, x: [0, 0], rows: 1 })).rejects.toMatchObject({
      code: 'conflict',
      message: `run "${fresh.label}" has not trained yet: start it to ask its network`,
    });
    const state = await service.dispatch('project.get', {});
    const network = structuredClone(state.project.network);
    network.nodes = network.nodes.map((n) => (n.id === 'logits' ? { ...n, params: { ...n.params, units: 1 } } : n)) as typeof network.nodes;
    const broken = await service.dispatch('runs.create', { network });
    await service.dispatch('runs.start', { runId: broken.id }).catch(() => {});
    await expect(service.dispatch('runs.jacobian', { runId: broken.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^run "Run 2" failed \(.+\), so it has no trained network: restart it to compute its Jacobian$/),
    });
    await expect(service.dispatch('runs.predict', { runId: 'nope', x: [0, 0], rows: 1 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses inputs of the wrong size or with NaN as invalid input naming the field', async () => {
    const run = await spiralRun(10);
    const refused = (params: unknown) => service.dispatch('runs.predict', params as never).catch((e: unknown) => e);
    expect(await refused({ runId: run.id, x: new Float32Array([1, 2, 3, NaN]), rows: 2 })).toMatchObject({
      code: 'invalid-input',
      message: 'runs.predict: x[3]: must be a finite number (got NaN)',
    });
    expect(await refused({ runId: run.id, x: [1, 2, 3, 4, 5], rows: 2 })).toMatchObject({
      code: 'invalid-input',
      message: 'runs.predict: x holds 5 values; 2 rows of 2 inputs need 4',
    });
    expect(await refused({ runId: run.id, x: 'many', rows: 2 })).toMatchObject({
      code: 'invalid-input',
      message: 'runs.predict: x: must be a Float32Array or a list of numbers',
    });
    expect(await refused({ runId: run.id, x: [1, 2], rows: 2_000_000 })).toMatchObject({
      code: 'invalid-input',
      message: 'runs.predict: rows: must be a whole number from 1 to 1000000',
    });
    expect(await refused({ runId: run.id, samples: 65 })).toMatchObject({ code: 'invalid-input' });
    await expect(service.dispatch('runs.jacobian', { runId: run.id, samples: 65 })).rejects.toMatchObject({
      message: 'runs.jacobian: samples: must be a whole number from 1 to 64',
    });
  });

  it('refuses a decision boundary of data that is not 2-D classification, naming why', async () => {
    const sine = await service.dispatch('runs.create', { dataset: { name: 'sine', options: {} } });
    await expect(service.dispatch('runs.decisionBoundary', { runId: sine.id })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'runs.decisionBoundary: the "sine" data set is a regression task; a decision boundary separates classes',
    });
    const recall = await service.dispatch('runs.create', { dataset: { name: 'delayed_recall', options: {} } });
    await expect(service.dispatch('runs.decisionBoundary', { runId: recall.id })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^runs\.decisionBoundary: the "delayed_recall" data set holds sequences of \d+ steps; /),
    });
    const csv = join(dir, 'three.csv');
    const rows = Array.from({ length: 20 }, (_, i) => `${i % 3},${i % 5},${i % 7},${i % 2}`);
    writeFileSync(csv, `a,b,c,label\n${rows.join('\n')}\n`);
    const wide = await service.dispatch('runs.create', { dataset: { csv: { fileName: csv, target: 'label' } } });
    await expect(service.dispatch('runs.decisionBoundary', { runId: wide.id })).rejects.toMatchObject({
      code: 'invalid-input',
      message: `runs.decisionBoundary: the "${csv}" data set has 3 features; a decision boundary is drawn over exactly 2`,
    });
  });

  it('ends an idle query host, and the next question starts another that answers the same', async () => {
    const run = await trained(40);
    const before = launcher.launched;
    const first = await service.dispatch('runs.predict', { runId: run.id, x: inputs, rows: 100 });
    const second = await service.dispatch('runs.decisionBoundary', { runId: run.id, resolution: 10 });
    expect(second.probabilities).toHaveLength(300);
    expect(launcher.launched).toBe(before + 1); // one query host answered both
    const deadline = Date.now() + QUERY_IDLE_MS + 5000;
    while (launcher.exited < launcher.launched && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(launcher.exited).toBe(launcher.launched);
    const third = await service.dispatch('runs.predict', { runId: run.id, x: inputs, rows: 100 });
    expect(launcher.launched).toBe(before + 2);
    expect(bytes(third.output)).toEqual(bytes(first.output));
  });

  it('refuses a project file whose weights are rounded (bfloat16), naming the field', async () => {
    const run = await trained(20);
    const { text } = await service.dispatch('project.serialize', {});
    const file = JSON.parse(text) as ProjectInput;
    const name = Object.keys(file.runs![0].weights!)[0];
    file.runs![0].weights![name].encoding = 'bfloat16';
    const text2 = JSON.stringify(file);
    const e = await service.dispatch('project.openText', { text: text2, fileName: 'rounded.vglab' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'invalid-input', message: expect.stringContaining(`runs[0].weights.${name}.encoding`) });
    expect((await service.dispatch('runs.list', {}))[0].id).toBe(run.id);
  });
});
