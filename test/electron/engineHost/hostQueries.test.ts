// The host's answers to queries in this process, through a recording port: predict,
// jacobian and weights between slices, refusals while training, commands held
// behind a jacobian, a job that starts from given weights, and weights with a final state.
import { describe, expect, it } from 'vitest';

import { makeDataset } from '../../../core/datasets/catalog.ts';
import { prepareRun } from '../../../electron/engine/trainer.ts';
import type { HostMessage } from '../../../electron/engineHost/protocol.ts';
import { TrainingHost } from '../../../electron/engineHost/trainingHost.ts';
import { smallJob } from './fixtures.ts';

function host() {
  const sent: HostMessage[] = [];
  const h = new TrainingHost({ send: (m) => sent.push(m), exit: () => {} }, 0);
  /** Resolves with the first message of `type` sent from index `from` on. */
  const next = async <T extends HostMessage['type']>(type: T, from = 0): Promise<Extract<HostMessage, { type: T }>> => {
    for (;;) {
      const found = sent.slice(from).find((m) => m.type === type);
      if (found) return found as Extract<HostMessage, { type: T }>;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  return { h, sent, next };
}

/** The small job's network trained `steps` steps in this process. */
function trainedInProcess(steps: number) {
  const job = smallJob();
  if ('csv' in job.dataset) throw new Error('built-in data set expected');
  const run = prepareRun(job.network, job.settings, makeDataset(job.dataset.name, job.dataset.options));
  if (steps > 0) run.net.runSteps(steps);
  return run;
}

const bytes = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const grid = Float32Array.from({ length: 2 * 50 }, (_, i) => Math.sin(i) * 1.5);

describe('TrainingHost queries', () => {
  it('answers predict, weights and jacobian while paused, each with its id; outputs equal an in-process run bit for bit', async () => {
    const { h, next } = host();
    h.handle({ type: 'start', job: smallJob() });
    h.handle({ type: 'train', steps: 40 });
    expect(await next('state')).toMatchObject({ state: 'paused', stepsDone: 40 });

    h.handle({ type: 'predict', id: 7, x: grid, rows: 50 });
    const prediction = await next('prediction');
    expect(prediction.id).toBe(7);
    const expected = trainedInProcess(40);
    expect(bytes(prediction.output)).toEqual(bytes(expected.net.predict(grid, 50)));

    h.handle({ type: 'weights', id: 8 });
    const weights = await next('weights');
    expect(weights.id).toBe(8);
    const params = expected.net.getParams();
    expect(Object.keys(weights.params).sort()).toEqual(Object.keys(params).sort());
    for (const name of Object.keys(params)) expect(bytes(weights.params[name])).toEqual(bytes(params[name]));

    h.handle({ type: 'jacobian', id: 9, x: grid.subarray(0, 8), samples: 4 });
    const spectra = await next('spectra');
    expect(spectra.id).toBe(9);
    expect(spectra.spectra.samples).toBe(4);
    expect(spectra.spectra.network).toHaveLength(4 * 2); // min(3 outputs, 2 inputs) per sample
    expect(Object.keys(spectra.spectra.nodes).sort()).toEqual(['d1', 'out', 't1']);
  });

  it('refuses a query while training (conflict) and before start, and answers it once paused', async () => {
    const { h, sent, next } = host();
    h.handle({ type: 'weights', id: 1 });
    expect(sent[0]).toMatchObject({ type: 'refused', id: 1, code: 'conflict' });
    h.handle({ type: 'start', job: smallJob({ steps: 100_000, histogram: false }) });
    h.handle({ type: 'train' });
    h.handle({ type: 'predict', id: 2, x: grid, rows: 50 });
    expect(sent[sent.length - 1]).toEqual({
      type: 'refused',
      id: 2,
      code: 'conflict',
      message: 'the network is training; pause the run to ask it questions',
    });
    h.handle({ type: 'pause' });
    await next('state');
    const from = sent.length;
    h.handle({ type: 'predict', id: 3, x: grid, rows: 50 });
    expect((await next('prediction', from)).output).toHaveLength(50 * 3);
  });

  it('holds a train command behind a jacobian still being computed, then trains', async () => {
    const { h, sent, next } = host();
    h.handle({ type: 'start', job: smallJob({ steps: 30 }) });
    h.handle({ type: 'jacobian', id: 1, x: grid.subarray(0, 64), samples: 32 });
    h.handle({ type: 'train' });
    expect(await next('state')).toMatchObject({ state: 'completed', stepsDone: 30 });
    const types = sent.map((m) => m.type);
    expect(types).not.toContain('error');
    expect(types.indexOf('spectra')).toBeLessThan(types.indexOf('chunk'));
  });

  it("passes on, as invalid input, the engine's refusal of a sequence network's Jacobian", async () => {
    const { h, next } = host();
    const network = {
      format: 'vglab-network/1',
      nodes: [
        { id: 'x', type: 'input', params: { features: 2, sequence_length: 5 } },
        { id: 'cell', type: 'rnn', params: { hidden_size: 4 } },
        { id: 'head', type: 'dense', params: { units: 1 } },
      ],
      edges: [
        { from: 'x', to: 'cell' },
        { from: 'cell', to: 'head' },
      ],
      loss: { type: 'mse' },
    };
    h.handle({ type: 'start', job: { ...smallJob(), network, dataset: { name: 'adding', options: { n: 32, length: 5 } } } });
    h.handle({ type: 'jacobian', id: 4, x: new Float32Array(2 * 5 * 2), samples: 2 });
    expect(await next('refused')).toEqual({
      type: 'refused',
      id: 4,
      code: 'invalid-input',
      message: expect.stringMatching(/^Jacobian spectra are computed for feed-forward networks; node "\w+" works on sequences$/),
    });
  });

  it("answers x of the wrong size with the engine's invalid-input message; the run goes on", async () => {
    const { h, sent, next } = host();
    h.handle({ type: 'start', job: smallJob({ steps: 5 }) });
    h.handle({ type: 'predict', id: 5, x: new Float32Array(3), rows: 2 });
    expect(await next('refused')).toMatchObject({ id: 5, code: 'invalid-input' });
    h.handle({ type: 'train' });
    expect(await next('state')).toMatchObject({ state: 'completed' });
    expect(sent.some((m) => m.type === 'error')).toBe(false);
  });

  it('sends the weights with a final state', async () => {
    const { h, next } = host();
    h.handle({ type: 'start', job: smallJob({ steps: 25 }) });
    h.handle({ type: 'train' });
    const final = await next('state');
    expect(final.state).toBe('completed');
    const params = trainedInProcess(25).net.getParams();
    for (const name of Object.keys(params)) expect(bytes(final.weights![name])).toEqual(bytes(params[name]));
  });

  it('starts from given weights, predicting as the network they came from; weights that do not fit name the parameter', async () => {
    const trained = trainedInProcess(60);
    const { h, sent, next } = host();
    h.handle({ type: 'start', job: { ...smallJob(), weights: trained.net.getParams() } });
    expect(sent[0].type).toBe('ready');
    h.handle({ type: 'predict', id: 1, x: grid, rows: 50 });
    expect(bytes((await next('prediction')).output)).toEqual(bytes(trained.net.predict(grid, 50)));

    const missing = trained.net.getParams();
    delete missing['d1.bias'];
    const a = host();
    a.h.handle({ type: 'start', job: { ...smallJob(), weights: missing } });
    const message = 'weights.d1.bias: missing (the network has this parameter)';
    expect(a.sent).toEqual([{ type: 'error', code: 'invalid-input', message }]);
    const b = host();
    b.h.handle({ type: 'start', job: { ...smallJob(), weights: { ...trained.net.getParams(), 'out.weight': new Float32Array(2) } } });
    expect(b.sent).toEqual([{ type: 'error', code: 'invalid-input', message: 'weights.out.weight: holds 2 values; the parameter has 48' }]);
  });
});
