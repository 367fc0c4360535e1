// diagnose() on hand-made traces: each scenario is a network and the traces a run
// of it would show, and the test states the verdict, the finding, the causes named
// for this network and the fixes offered.
import { describe, expect, it } from 'vitest';

import { diagnose } from '../../../core/diagnosis/diagnose.ts';
import type { Diagnosis, Finding, FindingKind } from '../../../core/diagnosis/types.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import { decaying, idsOfType, mlp, settings, synthTraces, template, type Validated } from './helpers.ts';

function findingOf(d: Diagnosis, kind: FindingKind): Finding {
  const f = d.findings.find((x) => x.kind === kind);
  if (!f) throw new Error(`no ${kind} finding; got ${d.findings.map((x) => x.id).join(', ') || 'none'}`);
  return f;
}

const fixIds = (f: Finding) => f.fixes.map((x) => x.id);
const causeIds = (f: Finding) => f.causes.map((x) => x.id);

function expectFixesValid(f: Finding, net: Validated, s = settings()): void {
  for (const fix of f.fixes) {
    const out = fix.apply(net.spec, s);
    const v = validateNetwork(out.spec);
    expect(v.ok, `${fix.id}: ${v.ok ? '' : v.errors.map((e) => e.message).join('; ')}`).toBe(true);
  }
}

describe('diagnose: vanishing across depth', () => {
  const net = template('deep_sigmoid', { depth: 10, width: 32 });
  const traces = synthTraces(net, { rows: 10, layerGrad: decaying(0.2) });
  const d = diagnose({ ...net, settings: settings(), traces });

  it('calls a 10-layer sigmoid MLP whose norms fall 0.2x per layer vanishing, at the latest row', () => {
    expect(d.status).toBe('vanishing');
    expect(d.row).toBe(9);
    expect(d.step).toBe(90);
    const f = findingOf(d, 'vanishing-layers');
    expect(f.severity).toBe('problem');
    expect(f.nodeIds).toEqual(['dense1', 'dense10']);
    expect(f.evidence.metrics).toEqual(['grad_norm']);
    expect(f.evidence.row).toBe(9);
    expect(f.evidence.values.ratio).toBeCloseTo(0.2 ** 9, 12);
    expect(f.explanation).toContain('"dense1"');
    expect(f.explanation).toContain('"dense10"');
  });

  it('names the sigmoid layers, their 0.25^n bound, the missing normalisation and skips', () => {
    const f = findingOf(d, 'vanishing-layers');
    expect(causeIds(f)).toEqual(['sigmoid-chain', 'no-normalisation', 'no-skip-connections']);
    const sigmoid = f.causes[0];
    expect(sigmoid.nodeIds).toEqual(idsOfType(net.spec, 'sigmoid'));
    expect(sigmoid.title).toMatch(/^10 layers of sigmoid/);
    expect(sigmoid.explanation).toContain('0.25^10 = 9.5e-7');
  });

  it('offers ReLU/He, batchnorm and residual fixes, each valid, each linked to a cause', () => {
    const f = findingOf(d, 'vanishing-layers');
    expect(fixIds(f)).toEqual(['relu-he', 'batchnorm', 'residual']);
    expect(f.fixes[0].label).toBe('Use ReLU with He initialisation');
    expect(f.causes[0].fixIds).toEqual(['relu-he', 'batchnorm', 'residual']);
    expectFixesValid(f, net);
  });

  it('tells that it was already vanishing at initialisation', () => {
    expect(findingOf(d, 'vanishing-layers').explanation).toMatch(/at initialisation/);
  });

  it('falls back to out_grad_norm when weight gradients are not traced', () => {
    const cols = synthTraces(net, { rows: 3, layerGrad: decaying(0.2) });
    cols.metrics.grad_norm.fill(Number.NaN);
    const f = findingOf(diagnose({ ...net, settings: settings(), traces: cols }), 'vanishing-layers');
    expect(f.evidence.metrics).toEqual(['out_grad_norm']);
  });

  it('honours vanishRatio', () => {
    const loose = diagnose({ ...net, settings: settings(), traces, options: { vanishRatio: 1e-8 } });
    expect(loose.status).not.toBe('vanishing');
  });

  it('blames Xavier in front of ReLU, and offers He initialisation', () => {
    const relu = mlp('relu', 10, 'xavier_uniform');
    const f = findingOf(
      diagnose({ ...relu, settings: settings(), traces: synthTraces(relu, { rows: 4, layerGrad: decaying(0.3) }) }),
      'vanishing-layers',
    );
    expect(causeIds(f)).toContain('xavier-with-relu');
    expect(fixIds(f)).toContain('standard-init');
    expect(fixIds(f)).not.toContain('relu-he');
    expectFixesValid(f, relu);
  });

  it('blames a tiny normal initialisation, naming its spread', () => {
    const tiny = mlp('tanh', 8, 'normal', 0.01);
    const f = findingOf(
      diagnose({ ...tiny, settings: settings(), traces: synthTraces(tiny, { rows: 4, layerGrad: decaying(0.2) }) }),
      'vanishing-layers',
    );
    expect(causeIds(f)).toEqual(['tanh-chain', 'init-too-small', 'no-normalisation', 'no-skip-connections']);
    expect(f.causes[1].explanation).toContain('spread 0.01');
    expect(fixIds(f)).toEqual(['relu-he', 'standard-init', 'batchnorm', 'residual']);
  });
});

describe('diagnose: healthy', () => {
  it('finds no problem in the same network with norms that stay level', () => {
    const net = template('deep_sigmoid', { depth: 10, width: 32 });
    const d = diagnose({ ...net, settings: settings(), traces: synthTraces(net, { rows: 10, layerGrad: decaying(0.9) }) });
    expect(d.status).toBe('healthy');
    expect(d.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const f = findingOf(d, 'healthy-flow');
    expect(f.explanation).toContain('"dense1"');
    expect(f.fixes).toEqual([]);
  });

  it('reports not-enough-data before the first traced step', () => {
    const net = template('deep_relu_he');
    const d = diagnose({ ...net, settings: settings(), traces: synthTraces(net, { rows: 0, layerGrad: () => 1 }) });
    expect(d).toEqual({ status: 'not-enough-data', findings: [], row: -1, step: -1 });
  });
});

describe('diagnose: the PyTorch plateau (vanished at the start, stuck since)', () => {
  // A 10-layer sigmoid MLP on a spiral: ratio ~2e-6 at step 0, ~0.8 after 200 steps,
  // loss still at ln 2 because the last layers saturated as well.
  const net = template('deep_sigmoid', { depth: 10, width: 32 });
  const layerGrad = (k: number, count: number, row: number) => (row === 0 ? 0.5 * 0.23 ** (count - 1 - k) : 0.01 * 0.98 ** (count - 1 - k));
  const saturated = (id: string, row: number) => (row > 0 && (id === 'sigmoid9' || id === 'sigmoid10') ? 0.96 : 0.02);

  it('still says vanishing when the latest ratio looks fine but the loss has not moved', () => {
    const traces = synthTraces(net, { rows: 21, layerGrad, saturated, loss: () => Math.LN2 });
    const d = diagnose({ ...net, settings: settings(), traces });
    expect(d.status).toBe('vanishing');
    const f = findingOf(d, 'vanishing-stuck');
    expect(f.severity).toBe('problem');
    expect(f.evidence.row).toBe(0);
    expect(f.evidence.values.ratio).toBeLessThan(1e-5);
    expect(f.nodeIds).toEqual(['dense1', 'dense10', 'sigmoid9', 'sigmoid10']);
    expect(f.explanation).toContain('"sigmoid9" and "sigmoid10"');
    expect(fixIds(f)).toEqual(['relu-he', 'batchnorm', 'residual']);
    expect(findingOf(d, 'saturated-activations').nodeIds).toEqual(['sigmoid9', 'sigmoid10']);
  });

  it('says it recovered (info only) when the loss did fall', () => {
    const traces = synthTraces(net, { rows: 21, layerGrad, loss: (s) => 0.7 * Math.exp(-s / 50) });
    const d = diagnose({ ...net, settings: settings(), traces });
    expect(d.status).toBe('healthy');
    expect(findingOf(d, 'vanishing-at-init').severity).toBe('info');
  });
});

describe('diagnose: exploding', () => {
  const net = template('deep_relu_he', { depth: 6, width: 32 });

  it('sees norms growing by orders of magnitude and offers clipping and a lower learning rate', () => {
    const traces = synthTraces(net, { rows: 5, layerGrad: (_k, _n, row) => 0.5 * 10 ** row });
    const d = diagnose({ ...net, settings: settings(), traces });
    expect(d.status).toBe('exploding');
    const f = findingOf(d, 'exploding-growth');
    expect(f.evidence.values.growth).toBeCloseTo(1e4, 0);
    expect(causeIds(f)).toEqual(['no-clipping', 'learning-rate-too-large']);
    expect(fixIds(f)).toEqual(['clip-gradients', 'lower-learning-rate']);
    expect(f.fixes[1].label).toBe('Lower the learning rate to 0.01');
  });

  it('offers no clipping when clipping is already on', () => {
    const traces = synthTraces(net, { rows: 5, layerGrad: (_k, _n, row) => 0.5 * 10 ** row });
    const d = diagnose({ ...net, settings: settings({ clip_norm: 5 }), traces });
    expect(fixIds(findingOf(d, 'exploding-growth'))).toEqual(['lower-learning-rate']);
  });

  it('does not read a last hidden layer with zero gradient as an explosion in the first', () => {
    const traces = synthTraces(net, { rows: 2, layerGrad: (k, count) => (k === count - 2 ? 0 : 0.3) });
    expect(diagnose({ ...net, settings: settings(), traces }).status).toBe('healthy');
  });

  it('sees a first layer whose gradient dwarfs the last hidden layer\'s, and a too-large init', () => {
    const big = mlp('tanh', 6, 'normal', 1);
    const traces = synthTraces(big, { rows: 3, layerGrad: decaying(8) });
    const d = diagnose({ ...big, settings: settings(), traces });
    expect(d.status).toBe('exploding');
    const f = findingOf(d, 'exploding-layers');
    expect(causeIds(f)).toContain('init-too-large');
    expect(fixIds(f)).toContain('standard-init');
  });
});

describe('diagnose: diverged', () => {
  it('calls a NaN loss diverged and suggests a smaller step and clipping', () => {
    const net = template('deep_relu_he', { depth: 4 });
    const traces = synthTraces(net, { rows: 3, layerGrad: () => 0.3, loss: (s) => (s >= 15 ? Number.NaN : 0.7) });
    const d = diagnose({ ...net, settings: settings({ optimizer: { type: 'sgd', lr: 5 } }), traces });
    expect(d.status).toBe('diverged');
    const f = d.findings[0];
    expect(f.kind).toBe('diverged');
    expect(f.evidence).toMatchObject({ metrics: ['loss'], step: 15 });
    expect(f.explanation).toMatch(/step 15 .*NaN/);
    expect(fixIds(f)).toEqual(['clip-gradients', 'lower-learning-rate']);
    expect(f.causes.find((c) => c.id === 'learning-rate-too-large')?.explanation).toContain('sgd learning rate is 5');
  });

  it('calls an infinite loss diverged even before the first traced row', () => {
    const net = template('deep_relu_he', { depth: 2 });
    const traces = synthTraces(net, { rows: 0, layerGrad: () => 1 });
    const loss = new Float32Array([0.7, Number.POSITIVE_INFINITY]);
    const d = diagnose({ ...net, settings: settings(), traces: { ...traces, metrics: { ...traces.metrics, loss } } });
    expect(d.status).toBe('diverged');
    expect(d.findings.map((f) => f.kind)).toEqual(['diverged']);
  });
});

describe('diagnose: through time', () => {
  const rnn = template('rnn_adding', { sequenceLength: 50, width: 16 });
  const fading = (_id: string, t: number, time: number) => 0.5 * 0.7 ** (time - 1 - t);

  it('sees ||dL/dh_t|| fading over t in a plain RNN, reports the horizon, offers LSTM and GRU', () => {
    const traces = synthTraces(rnn, { rows: 4, layerGrad: () => 0.2, timestep: fading });
    const d = diagnose({ ...rnn, settings: settings(), traces });
    expect(d.status).toBe('vanishing');
    const f = findingOf(d, 'vanishing-through-time');
    expect(f.id).toBe('vanishing-through-time:rnn');
    expect(f.severity).toBe('problem');
    // 0.7^k >= 0.01 for k <= 12: timesteps 49 down to 37 stay above 1%.
    expect(f.evidence.values.horizon).toBe(13);
    expect(f.explanation).toContain('last 13 of 50 steps');
    expect(causeIds(f)).toEqual(['long-plain-recurrence']);
    expect(fixIds(f)).toEqual(['lstm', 'gru']);
    expectFixesValid(f, rnn);
  });

  it('treats recurrentFraction as the horizon threshold', () => {
    const traces = synthTraces(rnn, { rows: 1, layerGrad: () => 0.2, timestep: fading });
    const d = diagnose({ ...rnn, settings: settings(), traces, options: { recurrentFraction: 1e-12 } });
    expect(findingOf(d, 'recurrent-horizon').evidence.values.horizon).toBe(50);
    expect(d.status).toBe('healthy');
  });

  it('warns (not a problem) for an LSTM, and offers forget bias 1 when it starts lower', () => {
    const input = structuredClone(template('lstm_adding', { sequenceLength: 30 }).spec);
    const lstm = input.nodes.find((n) => n.type === 'lstm');
    if (lstm?.type !== 'lstm') throw new Error('template has no lstm');
    lstm.params.forget_bias = 0;
    const net = { spec: input, plan: template('lstm_adding', { sequenceLength: 30 }).plan };
    const d = diagnose({ ...net, settings: settings(), traces: synthTraces(net, { rows: 2, layerGrad: () => 0.2, timestep: fading }) });
    const f = findingOf(d, 'vanishing-through-time');
    expect(f.severity).toBe('warning');
    expect(causeIds(f)).toEqual(['low-forget-bias']);
    expect(fixIds(f)).toEqual(['forget-bias']);
  });

  it('sees a gradient growing back through time', () => {
    const traces = synthTraces(rnn, { rows: 2, layerGrad: () => 0.2, timestep: (_id, t, time) => 0.1 * 1.3 ** (time - 1 - t) });
    const d = diagnose({ ...rnn, settings: settings(), traces });
    expect(d.status).toBe('exploding');
    const f = findingOf(d, 'exploding-through-time');
    expect(f.explanation).toMatch(/about 1.3/);
    expect(fixIds(f)).toEqual(['lstm', 'gru', 'clip-gradients']);
  });
});

describe('diagnose: dead and saturated units', () => {
  const net = template('deep_relu_he', { depth: 6, width: 32 });

  it('names a dead ReLU layer and offers leaky ReLU', () => {
    const traces = synthTraces(net, { rows: 3, layerGrad: () => 0.2, saturated: (id) => (id === 'relu3' ? 1 : 0.1) });
    const d = diagnose({ ...net, settings: settings(), traces });
    const f = findingOf(d, 'dead-relu');
    expect(f.severity).toBe('problem');
    expect(f.nodeIds).toEqual(['relu3']);
    expect(f.title).toBe('A ReLU layer has died');
    expect(f.explanation).toContain('"relu3", 100%');
    expect(fixIds(f)).toContain('leaky-relu');
    expect(d.status).toBe('vanishing');
    expectFixesValid(f, net);
  });

  it('only warns when part of a layer has died', () => {
    const traces = synthTraces(net, { rows: 3, layerGrad: () => 0.2, saturated: (id) => (id === 'relu2' ? 0.6 : 0.1) });
    const d = diagnose({ ...net, settings: settings(), traces });
    expect(findingOf(d, 'dead-relu').severity).toBe('warning');
    expect(d.status).toBe('healthy');
  });

  it('blames a large learning rate for dead units only when it is large', () => {
    const traces = synthTraces(net, { rows: 3, layerGrad: () => 0.2, saturated: () => 0.95 });
    const high = diagnose({ ...net, settings: settings({ optimizer: { type: 'adam', lr: 0.05 } }), traces });
    const low = diagnose({ ...net, settings: settings({ optimizer: { type: 'adam', lr: 0.001 } }), traces });
    expect(causeIds(findingOf(high, 'dead-relu'))).toContain('learning-rate-too-large');
    expect(causeIds(findingOf(low, 'dead-relu'))).not.toContain('learning-rate-too-large');
  });

  it('sees saturated sigmoid layers', () => {
    const sig = template('deep_sigmoid', { depth: 4 });
    const traces = synthTraces(sig, { rows: 2, layerGrad: () => 0.2, saturated: (id) => (id === 'sigmoid4' ? 0.7 : 0) });
    const f = findingOf(diagnose({ ...sig, settings: settings(), traces }), 'saturated-activations');
    expect(f.severity).toBe('warning');
    expect(f.nodeIds).toEqual(['sigmoid4']);
    expect(fixIds(f)).toContain('relu-he');
  });
});

describe('diagnose: the result', () => {
  it('orders findings most severe first, with unique ids', () => {
    const net = template('deep_sigmoid', { depth: 10 });
    const traces = synthTraces(net, { rows: 3, layerGrad: decaying(0.2), saturated: (id) => (id === 'sigmoid2' ? 0.6 : 0) });
    const d = diagnose({ ...net, settings: settings(), traces });
    const rank = { problem: 0, warning: 1, info: 2 };
    const ranks = d.findings.map((f) => rank[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(d.findings.map((f) => f.id)).size).toBe(d.findings.length);
  });

  it('keeps every explanation to one to three sentences', () => {
    const net = template('deep_sigmoid', { depth: 10 });
    const traces = synthTraces(net, { rows: 21, layerGrad: decaying(0.2), saturated: () => 0.95, loss: () => Math.LN2 });
    const d = diagnose({ ...net, settings: settings(), traces });
    for (const text of d.findings.map((f) => f.explanation)) {
      const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z"])/).length;
      expect(sentences, text).toBeGreaterThanOrEqual(1);
      expect(sentences, text).toBeLessThanOrEqual(3);
    }
  });
});
