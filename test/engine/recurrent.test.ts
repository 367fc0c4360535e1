// Recurrent networks end to end through the addon: training on a sequence task with
// per-timestep gradient traces, the vanishing profile of a plain RNN against an LSTM,
// and bad sequence input.
import { describe, expect, it } from 'vitest';

import { makeDataset } from '../../core/datasets/catalog.ts';
import { loadAddon } from '../../electron/engine/addon.ts';
import { prepareRun, trainPrepared, TrainInputError } from '../../electron/engine/trainer.ts';

const addon = loadAddon();

function sequenceNet(type: 'rnn' | 'lstm' | 'gru', T: number, hidden: number, extra: Record<string, unknown> = {}) {
  return {
    format: 'vglab-network/1',
    nodes: [
      { id: 'x', type: 'input', params: { features: 2, sequence_length: T } },
      { id: 'cell', type, params: { hidden_size: hidden, ...extra } },
      { id: 'head', type: 'dense', params: { units: 1 } },
    ],
    edges: [
      { from: 'x', to: 'cell' },
      { from: 'cell', to: 'head' },
    ],
    loss: { type: 'mse' },
  };
}

const settings = (steps: number) => ({ optimizer: { type: 'adam', lr: 0.01 }, steps, batch_size: 32, trace_every: 5, seed: 1 });

describe('recurrent training through the addon', () => {
  it('trains an LSTM on the adding problem and traces dL/dh_t for every timestep', async () => {
    const ds = makeDataset('adding', { n: 256, length: 20, seed: 2 });
    const run = prepareRun(sequenceNet('lstm', 20, 16), settings(600), ds);
    const { result, traces, info } = await trainPrepared(run);
    expect(result.stopped).toBe('completed');
    expect(info.traceRecurrent).toEqual([{ id: 'cell', time: 20, gates: 4 }]);
    const rows = traces.steps.length;
    expect(rows).toBe(120);
    const rec = traces.recurrent!;
    expect(rec.metrics.timestep_grad_norm.length).toBe(rows * 20);
    expect(rec.metrics.gate_saturation.length).toBe(rows * 4);
    expect(rec.metrics.cell_norm.length).toBe(rows);
    expect(rec.metrics.timestep_grad_norm.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    const loss = traces.metrics.loss;
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    // Solving the task (not just predicting the mean, MSE ~1/6) takes the loss far below its start.
    expect(mean(loss.slice(-20))).toBeLessThan(0.1 * mean(loss.slice(0, 20)));
  });

  it('shows the plain RNN losing the gradient through time where the LSTM keeps it', () => {
    const ds = makeDataset('adding', { n: 64, length: 60, seed: 3 });
    const ratio = (type: 'rnn' | 'lstm') => {
      const net = new addon.Network(sequenceNet(type, 60, 32, type === 'rnn' ? { recurrent_init: 'normal', init_scale: 0.05 } : { forget_bias: 1 }), { seed: 4 });
      const e = net.evaluate(ds.x, ds.n, { targets: Float32Array.from(ds.y) });
      const norms = e.timestepGradNorms.cell;
      expect(norms.length).toBe(60);
      return norms[0] / norms[59];
    };
    const rnn = ratio('rnn');
    const lstm = ratio('lstm');
    expect(rnn).toBeLessThan(1e-6);
    expect(lstm).toBeGreaterThan(100 * rnn);
  });

  it('refuses data whose sequences do not fit the network, naming the node', () => {
    const ds = makeDataset('adding', { n: 16, length: 12, seed: 1 });
    expect(() => prepareRun(sequenceNet('gru', 20, 8), settings(5), ds)).toThrow(TrainInputError);
    expect(() => prepareRun(sequenceNet('gru', 20, 8), settings(5), ds)).toThrow(/node "x": sequence_length is 20; .* sequences of 12 steps/);
    const flat = makeDataset('spiral', { n: 16 });
    expect(() => prepareRun(sequenceNet('gru', 20, 8), settings(5), flat)).toThrow(/reads sequences of 20 steps/);
  });

  it('refuses a recurrent layer without a sequence input, natively too', () => {
    const spec = sequenceNet('lstm', 10, 4);
    delete (spec.nodes[0].params as Record<string, unknown>).sequence_length;
    expect(() => new addon.Network(spec)).toThrow(/node "cell": a lstm layer needs a sequence input/);
  });

  it('refuses a zero sequence length and NaN inside a sequence', () => {
    const spec = sequenceNet('rnn', 10, 4);
    (spec.nodes[0].params as Record<string, unknown>).sequence_length = 0;
    expect(() => new addon.Network(spec)).toThrow(/node "x": sequence_length must be a whole number from 1 to 10000/);
    const net = new addon.Network(sequenceNet('rnn', 3, 4));
    const x = new Float32Array(2 * 3 * 2);
    x[7] = Number.NaN; // sample 1, timestep 0, feature 1
    expect(() => net.setData(x, 2, { targets: new Float32Array(2) })).toThrow(/data: row 1, feature 1 is NaN/);
    expect(() => net.setData(new Float32Array(2 * 3 * 2 - 1), 2, { targets: new Float32Array(2) })).toThrow(/x has 11 values, expected 12/);
  });

  it('refuses a run whose BPTT memory would pass the cap, naming both numbers', () => {
    const net = new addon.Network(sequenceNet('lstm', 1000, 128), { memoryCapBytes: 256 * 1024 * 1024 });
    expect(() => net.configure({ batch_size: 512 })).toThrow(/a batch of 512 rows needs .* GiB .* the memory limit is 256.0 MiB/);
  });
});
