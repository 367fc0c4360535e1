// A run with a test part (test_fraction > 0): the engine trains on the training rows
// only, the test rows are evaluated at the planned steps without changing training,
// and the test figures are what the trained weights score on those rows.
import { describe, expect, it } from 'vitest';

import { sine, spiral } from '../../../core/datasets/generators.ts';
import { type Dataset, splitTrainTest } from '../../../core/datasets/dataset.ts';
import type { TraceChunk } from '../../../core/traces/chunk.ts';
import { evaluationInterval } from '../../../core/traces/evaluation.ts';
import { trainEvaluating } from '../../../electron/engine/heldOut.ts';
import { prepareRun, trainPrepared, type PreparedRun } from '../../../electron/engine/trainer.ts';

/** A small MLP with batch norm and dropout: layers whose training mode differs from their evaluation mode. */
function mlp(loss: string, outputs: number, features = 2) {
  const chain = [
    { id: 'x', type: 'input', params: { features } },
    { id: 'd0', type: 'dense', params: { units: 12 } },
    { id: 'bn', type: 'batchnorm' },
    { id: 'a0', type: 'tanh' },
    { id: 'd1', type: 'dense', params: { units: 12 } },
    { id: 'a1', type: 'relu' },
    { id: 'drop', type: 'dropout', params: { p: 0.2 } },
    { id: 'out', type: 'dense', params: { units: outputs } },
  ];
  return {
    format: 'vglab-network/1',
    nodes: chain,
    edges: chain.slice(1).map((n, i) => ({ from: chain[i].id, to: n.id })),
    loss: { type: loss },
  };
}

const CLASSIFIER = mlp('softmax_cross_entropy', 3);
const settings = (more: Record<string, unknown> = {}) => ({
  optimizer: { type: 'adam', lr: 0.01 },
  batch_size: 16,
  steps: 300,
  trace_every: 5,
  seed: 4,
  ...more,
});
const data = () => spiral({ n: 300, classes: 3, seed: 2 });

function allChunks(run: PreparedRun, slices: number[], stop = () => false): Promise<TraceChunk[]> {
  const chunks: TraceChunk[] = [];
  return slices
    .reduce((p, n) => p.then(() => trainEvaluating(run, n, (c) => chunks.push(c), stop)), Promise.resolve({} as unknown))
    .then(() => chunks);
}

describe('training with a test part', () => {
  it('trains exactly as training on the training part alone would: the evaluations change nothing', async () => {
    const ds = data();
    const held = await trainPrepared(prepareRun(CLASSIFIER, settings({ test_fraction: 0.2 }), ds));
    const alone = await trainPrepared(prepareRun(CLASSIFIER, settings(), splitTrainTest(ds, 0.2, 4).train));
    expect(held.traces.evaluation!.steps.length).toBeGreaterThan(2);
    expect(held.traces.metrics.loss).toEqual(alone.traces.metrics.loss);
    expect(held.traces.metrics.out_grad_norm).toEqual(alone.traces.metrics.out_grad_norm);
    expect(held.traces.metrics.update_ratio).toEqual(alone.traces.metrics.update_ratio);
    expect(alone.traces.evaluation).toBeUndefined();
  });

  it('never trains on a test row: poisoning every test row leaves the training losses unchanged', async () => {
    const ds = data();
    const { testRows } = splitTrainTest(ds, 0.25, 4);
    const poisoned: Dataset = { ...ds, x: ds.x.slice(), y: ds.y.slice() as Int32Array };
    for (const r of testRows) {
      poisoned.x[2 * r] = 1e6;
      poisoned.x[2 * r + 1] = -1e6;
      poisoned.y[r] = (ds.y[r] + 1) % 3;
    }
    const clean = await trainPrepared(prepareRun(CLASSIFIER, settings({ test_fraction: 0.25 }), ds));
    const dirty = await trainPrepared(prepareRun(CLASSIFIER, settings({ test_fraction: 0.25 }), poisoned));
    expect(dirty.traces.metrics.loss).toEqual(clean.traces.metrics.loss);
    // The test rows are what changed, so the test loss does (it is measured on them).
    expect(dirty.traces.evaluation!.metrics.test_loss.at(-1)).toBeGreaterThan(2 * clean.traces.evaluation!.metrics.test_loss.at(-1)!);
    // And a run that kept every row for training (test_fraction 0) would have seen them.
    const all = await trainPrepared(prepareRun(CLASSIFIER, settings(), poisoned));
    expect(all.traces.metrics.loss).not.toEqual(clean.traces.metrics.loss);
  });

  it("evaluates at step 0, every interval, and after the last step; the final figures are an independent evaluation's", async () => {
    const ds = data();
    const run = prepareRun(CLASSIFIER, settings({ test_fraction: 0.2 }), ds);
    const trained = await trainPrepared(run);
    const ev = trained.traces.evaluation!;
    const interval = evaluationInterval({ steps: 300, traceEvery: 5, batchSize: 16, testRows: 60 });
    expect(interval % 5).toBe(0);
    const expected = [];
    for (let s = 0; s < 300; s += interval) expected.push(s);
    expect(Array.from(ev.steps)).toEqual([...expected, 300]);
    // The engine's own forward, loss and accuracy on the test rows, in evaluation mode.
    const test = splitTrainTest(ds, 0.2, 4).test;
    const native = run.net.evaluate(test.x, test.n, { labels: test.y as Int32Array }, false);
    expect(ev.metrics.test_loss.at(-1)).toBeCloseTo(native.loss, 5);
    expect(ev.metrics.test_accuracy.at(-1)).toBeCloseTo(native.accuracy, 6);
    expect(ev.metrics.test_accuracy.at(-1)).toBeGreaterThan(ev.metrics.test_accuracy[0]);
  });

  it('is deterministic and does not depend on how the run is sliced into train calls (pauses, single steps)', async () => {
    const ds = data();
    const whole = await allChunks(prepareRun(CLASSIFIER, settings({ test_fraction: 0.2 }), ds), [300]);
    const sliced = await allChunks(prepareRun(CLASSIFIER, settings({ test_fraction: 0.2 }), ds), [1, 7, 13, 29, 50, 200]);
    const evaluations = (chunks: TraceChunk[]) => chunks.flatMap((c) => (c.evaluation ? [c.evaluation] : []));
    const a = evaluations(whole);
    const b = evaluations(sliced);
    expect(b.map((e) => e.from)).toEqual(b.map((_, i) => i));
    expect(b.flatMap((e) => Array.from(e.steps))).toEqual(a.flatMap((e) => Array.from(e.steps)));
    expect(b.flatMap((e) => Array.from(e.metrics.test_loss))).toEqual(a.flatMap((e) => Array.from(e.metrics.test_loss)));
    // An evaluation-only chunk sits where the training chunks left off.
    let step = 0;
    let row = 0;
    for (const c of sliced) {
      expect([c.stepFrom, c.rowFrom]).toEqual([step, row]);
      step += c.metrics.loss.length;
      row += c.steps.length;
    }
  });

  it('stops between segments when asked, even when the engine was not training at that moment', async () => {
    const run = prepareRun(CLASSIFIER, settings({ test_fraction: 0.2 }), data());
    let asked = false;
    const result = await trainEvaluating(run, 300, (c) => {
      if (c.evaluation && c.evaluation.steps[0] > 0) asked = true;
    }, () => asked);
    expect(result.stopped).toBe('cancelled');
    expect(run.net.stepsDone).toBeLessThan(300);
    expect(result.steps).toBe(run.net.stepsDone);
  });

  it('scores a regression with its loss and no accuracy', async () => {
    const ds = sine({ n: 200, seed: 1 });
    const run = prepareRun(mlp('mse', 1, 1), settings({ test_fraction: 0.3, steps: 100 }), ds);
    const ev = (await trainPrepared(run)).traces.evaluation!;
    const test = splitTrainTest(ds, 0.3, 4).test;
    const native = run.net.evaluate(test.x, test.n, { targets: Float32Array.from(test.y) }, false);
    expect(ev.metrics.test_loss.at(-1)).toBeCloseTo(native.loss, 6);
    expect(Number.isNaN(ev.metrics.test_accuracy[0])).toBe(true);
  });

  it('keeps no test part at test_fraction 0, nor when the fraction rounds to no row', () => {
    expect(prepareRun(CLASSIFIER, settings(), data()).heldOut).toBeNull();
    expect(prepareRun(CLASSIFIER, settings({ test_fraction: 0.001 }), data()).heldOut).toBeNull();
  });
});
