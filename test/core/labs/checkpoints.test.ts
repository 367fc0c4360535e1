// Checkpoint conditions judged on hand-made traces: each kind measures the number it
// promises, compares it with its threshold, explains itself, and fails (measured
// null) when the run cannot show the evidence.
import { describe, expect, it } from 'vitest';

import { evaluateCheckpoints, evaluateCondition, type LabRun } from '../../../core/labs/checkpoints.ts';
import { loadLab } from '../../../core/labs/load.ts';
import { conditionSchema, type Condition } from '../../../core/labs/schema.ts';
import { buildTemplate } from '../../../core/network/templates.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import { allocateTraceColumns, recurrentLayouts, type TraceColumns } from '../../../core/traces/metrics.ts';

function specOf(template: Parameters<typeof buildTemplate>[0], options: Parameters<typeof buildTemplate>[1]) {
  const v = validateNetwork(buildTemplate(template, options));
  if (!v.ok) throw new Error(v.errors[0].message);
  return v;
}

/** A three-layer sigmoid MLP's traces: `rows` traced rows every 10 steps, `steps` losses. */
function mlpRun(opts: { rows?: number; steps?: number; loss?: (s: number) => number; grad?: (row: number, layer: number) => number; sat?: number } = {}): LabRun {
  const { spec, plan } = specOf('deep_sigmoid', { depth: 3, width: 4 });
  const rows = opts.rows ?? 5;
  const steps = opts.steps ?? 50;
  const nodeIds = plan.order;
  const paramNames = ['dense1.weight', 'dense1.bias', 'dense2.weight', 'dense2.bias', 'dense3.weight', 'dense3.bias', 'logits.weight', 'logits.bias'];
  const cols = allocateTraceColumns(rows, nodeIds, paramNames, false, steps);
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 10;
    paramNames.forEach((name, p) => {
      const layer = Number(/dense(\d)/.exec(name)?.[1] ?? 4);
      cols.metrics.grad_norm[r * paramNames.length + p] = opts.grad ? opts.grad(r, layer) : 10 ** (layer - 4);
    });
    nodeIds.forEach((id, k) => {
      const at = r * nodeIds.length + k;
      const layer = Number(/(\d)$/.exec(id)?.[1] ?? (id === 'x' ? 0 : 4));
      cols.metrics.out_grad_norm[at] = 10 ** (2 * (layer - 4));
      cols.metrics.saturated_frac[at] = id.startsWith('sigmoid') ? (opts.sat ?? 0.1) * layer : Number.NaN;
    });
  }
  for (let s = 0; s < steps; s++) cols.metrics.loss[s] = opts.loss ? opts.loss(s) : 0.7;
  return { spec, plan, traces: cols, stopped: 'completed' };
}

function rnnRun(curve: number[]): LabRun {
  const { spec, plan } = specOf('rnn_adding', { width: 4, sequenceLength: curve.length });
  const layouts = recurrentLayouts(spec, plan);
  const cols: TraceColumns = allocateTraceColumns(1, plan.order, [], false, 10, layouts);
  cols.recurrent!.metrics.timestep_grad_norm.set(curve);
  cols.metrics.loss.fill(0.2);
  return { spec, plan, traces: cols, stopped: 'completed' };
}

/** Float32 traces: compare relative to the value. */
function expectRel(actual: number | null, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) / expected - 1)).toBeLessThan(1e-6);
}

const cond = (c: unknown): Condition => conditionSchema.parse(c);

describe('gradientRatio', () => {
  it('divides the first hidden layer\'s weight gradient by the last hidden layer\'s', () => {
    const r = evaluateCondition(cond({ kind: 'gradientRatio', below: 1e-1 }), mlpRun());
    expectRel(r.measured, 1e-2); // 1e-3 / 1e-1
    expect(r.passed).toBe(true);
    expect(r.explanation).toContain('"dense1"');
    expect(r.explanation).toContain('"dense3"');
    expect(r.explanation).toContain('as required');
  });

  it('reads the gradient reaching the output with metric "output", and named nodes', () => {
    const r = evaluateCondition(cond({ kind: 'gradientRatio', metric: 'output', numerator: 'dense1', denominator: 'logits', above: 1 }), mlpRun());
    expectRel(r.measured, 1e-6);
    expect(r.passed).toBe(false);
    expect(r.explanation).toMatch(/must be above 1\b/);
  });

  it('reads the traced row at or after {step}, and "last"', () => {
    const run = mlpRun({ grad: (row, layer) => (layer === 1 ? 10 ** -row : 1) });
    expectRel(evaluateCondition(cond({ kind: 'gradientRatio', at: { step: 15 }, below: 1 }), run).measured, 1e-2);
    expectRel(evaluateCondition(cond({ kind: 'gradientRatio', at: 'last', below: 1 }), run).measured, 1e-4);
  });

  it('fails without a measurement when the step was never reached or a gradient is zero', () => {
    const late = evaluateCondition(cond({ kind: 'gradientRatio', at: { step: 500 }, below: 1 }), mlpRun());
    expect(late).toMatchObject({ passed: false, measured: null });
    expect(late.explanation).toMatch(/no traced step at or after step 500/);
    const zero = evaluateCondition(cond({ kind: 'gradientRatio', below: 1 }), mlpRun({ grad: (_r, layer) => (layer === 1 ? 0 : 1) }));
    expect(zero).toMatchObject({ passed: false, measured: null });
    expect(zero.explanation).toMatch(/no usable gradient for "dense1"/);
  });
});

describe('loss conditions', () => {
  const falling = mlpRun({ steps: 100, loss: (s) => (s < 50 ? 1 : 0.4) });

  it('lossRatio compares the window after `after` with the first window', () => {
    const r = evaluateCondition(cond({ kind: 'lossRatio', after: 60, window: 10, below: 0.5 }), falling);
    expect(r.measured).toBeCloseTo(0.4, 6);
    expect(r.passed).toBe(true);
    expect(evaluateCondition(cond({ kind: 'lossRatio', after: 0, window: 10, below: 0.5 }), falling).passed).toBe(false);
  });

  it('loss compares the mean over the window with an absolute bound', () => {
    const r = evaluateCondition(cond({ kind: 'loss', after: 90, window: 10, above: 0.3, below: 0.5 }), falling);
    expect(r).toMatchObject({ passed: true });
    expect(r.explanation).toMatch(/between 0\.3 and 0\.5/);
  });

  it('fails when the run is too short or the loss is not finite', () => {
    const short = evaluateCondition(cond({ kind: 'loss', after: 95, window: 10, below: 1 }), falling);
    expect(short).toMatchObject({ passed: false, measured: null });
    expect(short.explanation).toMatch(/trained 100 steps; this checkpoint needs at least 105/);
    const nan = mlpRun({ steps: 100, loss: (s) => (s >= 30 ? Number.NaN : 1) });
    const r = evaluateCondition(cond({ kind: 'loss', after: 50, window: 10, above: 0 }), nan);
    expect(r).toMatchObject({ passed: false, measured: null });
    expect(r.explanation).toMatch(/NaN or infinite from step 30/);
  });
});

describe('saturation', () => {
  it('"any" takes the most saturated layer, "mean" the average, an id that layer', () => {
    const run = mlpRun({ sat: 0.3 }); // sigmoid1 0.3, sigmoid2 0.6, sigmoid3 0.9
    const any = evaluateCondition(cond({ kind: 'saturation', above: 0.8 }), run);
    expect(any.measured).toBeCloseTo(0.9, 6);
    expect(any.passed).toBe(true);
    expect(any.explanation).toContain('"sigmoid3"');
    expect(evaluateCondition(cond({ kind: 'saturation', layer: 'mean', below: 0.7 }), run).measured).toBeCloseTo(0.6, 6);
    expect(evaluateCondition(cond({ kind: 'saturation', layer: 'sigmoid1', below: 0.5 }), run)).toMatchObject({ passed: true });
  });
});

describe('timestepRatio', () => {
  it('divides ||dL/dh_0|| by ||dL/dh_T-1|| of the first recurrent node', () => {
    const r = evaluateCondition(cond({ kind: 'timestepRatio', below: 1e-3 }), rnnRun([1e-6, 1e-4, 1e-2, 1]));
    expectRel(r.measured, 1e-6);
    expect(r.passed).toBe(true);
    expect(r.explanation).toMatch(/first timestep of "rnn"/);
  });

  it('fails on a network without a recurrent layer', () => {
    expect(evaluateCondition(cond({ kind: 'timestepRatio', below: 1 }), mlpRun())).toMatchObject({ passed: false, measured: null });
  });
});

describe('diverged', () => {
  it('sees a NaN loss or a run stopped as diverged', () => {
    const nan = mlpRun({ loss: (s) => (s >= 7 ? Number.NaN : 1) });
    expect(evaluateCondition(cond({ kind: 'diverged', expected: true }), nan)).toMatchObject({ passed: true, measured: 7 });
    expect(evaluateCondition(cond({ kind: 'diverged', expected: false }), nan).passed).toBe(false);
    const stopped = { ...mlpRun(), stopped: 'diverged' };
    expect(evaluateCondition(cond({ kind: 'diverged', expected: true }), stopped).passed).toBe(true);
    expect(evaluateCondition(cond({ kind: 'diverged', expected: false }), mlpRun()).explanation).toMatch(/did not diverge, as expected/);
  });
});

describe('combinators', () => {
  it('all needs every part, any needs one; parts are kept', () => {
    const run = mlpRun();
    const yes = { kind: 'gradientRatio', below: 1 };
    const no = { kind: 'loss', after: 0, window: 5, below: 0.1 };
    const all = evaluateCondition(cond({ all: [yes, no] }), run);
    expect(all).toMatchObject({ passed: false, measured: null });
    expect(all.parts?.map((p) => p.passed)).toEqual([true, false]);
    expect(evaluateCondition(cond({ any: [no, yes] }), run).passed).toBe(true);
    expect(evaluateCondition(cond({ any: [no, { all: [no] }] }), run).passed).toBe(false);
  });
});

describe('evaluateCheckpoints', () => {
  it('judges each checkpoint on each of its presets, carrying the expectation; a preset without a run fails', () => {
    const loaded = loadLab({
      format: 'vglab-lab/1',
      id: 'two',
      title: 'Two presets',
      summary: 'For tests.',
      objectives: ['Test.'],
      steps: [
        { text: 'A', preset: { id: 'a', network: { template: 'deep_sigmoid', options: { depth: 3, width: 4 } }, dataset: { name: 'spiral' }, settings: { optimizer: { type: 'sgd', lr: 0.1 } } } },
        { text: 'B', preset: { id: 'b', network: { template: 'deep_sigmoid', options: { depth: 3, width: 4 } }, dataset: { name: 'spiral' }, settings: { optimizer: { type: 'sgd', lr: 0.1 } } } },
      ],
      checkpoints: [{ id: 'c', description: 'Vanishes', presets: ['a', 'b'], condition: { kind: 'gradientRatio', below: 0.1 }, expect: { a: 'pass' } }],
    });
    if (!loaded.ok) throw new Error(loaded.errors[0].message);
    const results = evaluateCheckpoints(loaded.lab, { a: mlpRun() });
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ checkpointId: 'c', presetId: 'a', expected: 'pass', passed: true });
    expect(results[1]).toMatchObject({ checkpointId: 'c', presetId: 'b', passed: false, measured: null });
    expect(results[1].explanation).toMatch(/no run of this preset yet/);
  });
});
