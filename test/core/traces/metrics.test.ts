import { describe, expect, it } from 'vitest';

import { NODE_TYPE_LIST } from '../../../core/network/spec.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import {
  GRAD_HISTOGRAM,
  HIST_BINS,
  HIST_HI,
  HIST_LO,
  HIST_STRIDE,
  HIST_ZERO_INDEX,
  SATURATION_KIND,
  SATURATION_MARGIN,
  RECURRENT_METRICS,
  TRACE_METRICS,
  allocateTraceColumns,
  gateLabels,
  histogramAt,
  histogramBinStart,
  histogramSlot,
  metricAt,
  metricSeries,
  recurrentLayouts,
  recurrentMetric,
  recurrentSpan,
  recurrentValues,
  recurrentWidth,
  saturationKindOf,
} from '../../../core/traces/metrics.ts';

describe('TRACE_METRICS', () => {
  it('defines every metric the engine records, once', () => {
    const byScope = (scope: string) => TRACE_METRICS.filter((m) => m.scope === scope).map((m) => m.id);
    expect(byScope('node')).toEqual(['out_grad_norm', 'act_mean', 'act_std', 'saturated_frac']);
    expect(byScope('param')).toEqual(['grad_norm', 'param_norm', 'grad_mean_abs', 'grad_max_abs', 'update_ratio']);
    expect(byScope('step')).toEqual(['loss', 'accuracy']);
    expect(new Set(TRACE_METRICS.map((m) => m.id)).size).toBe(TRACE_METRICS.length);
  });

  it('gives every metric a label and a tooltip a student can read', () => {
    for (const m of [...TRACE_METRICS, GRAD_HISTOGRAM]) {
      expect(m.label.length, m.id).toBeGreaterThan(3);
      expect(m.tooltip.length, m.id).toBeGreaterThan(120);
      expect(m.tooltip, m.id).toMatch(/\.$/);
    }
  });

  it('says how saturation is measured for every node type', () => {
    expect(Object.keys(SATURATION_KIND).sort()).toEqual([...NODE_TYPE_LIST].sort());
    expect(SATURATION_KIND.sigmoid).toBe('bounded');
    expect(SATURATION_KIND.relu).toBe('dead');
    expect(SATURATION_KIND.dense).toBeNull();
  });
});

describe('gradient histogram', () => {
  it('has 32 bins over log10|g| in [-20, 4) and a zero count', () => {
    expect([HIST_BINS, HIST_LO, HIST_HI, HIST_STRIDE, HIST_ZERO_INDEX]).toEqual([32, -20, 4, 33, 32]);
    expect(histogramBinStart(0)).toBe(-20);
    expect(histogramBinStart(32)).toBe(4);
  });

  it('puts each value in its slot, clamping the ends', () => {
    expect(histogramSlot(0)).toBe(HIST_ZERO_INDEX);
    expect(histogramSlot(-0)).toBe(HIST_ZERO_INDEX);
    expect(histogramSlot(1e-30)).toBe(0);
    expect(histogramSlot(1.5e-20)).toBe(0);
    expect(histogramSlot(1)).toBe(26); // (0 + 20) / 0.75 = 26.67
    expect(histogramSlot(-1)).toBe(26);
    expect(histogramSlot(1e5)).toBe(31);
    expect(histogramSlot(Number.POSITIVE_INFINITY)).toBe(31);
    expect(histogramSlot(Number.NaN)).toBe(-1);
  });
});

describe('TraceColumns', () => {
  it('stores one Float32Array per metric, row-major [tracedStep][entity]', () => {
    const cols = allocateTraceColumns(3, ['x', 'd1', 'a1'], ['d1.weight', 'd1.bias'], true);
    expect(cols.steps).toBeInstanceOf(Int32Array);
    expect(cols.metrics.out_grad_norm).toHaveLength(3 * 3);
    expect(cols.metrics.grad_norm).toHaveLength(3 * 2);
    expect(cols.metrics.loss).toHaveLength(3);
    expect(cols.histogram).toHaveLength(3 * 2 * 33);

    cols.metrics.grad_norm[2 * 2 + 1] = 0.5; // row 2, param 1
    expect(metricAt(cols, 'grad_norm', 2, 1)).toBe(0.5);
    expect(Array.from(metricSeries(cols, 'grad_norm', 1))).toEqual([0, 0, 0.5]);
    histogramAt(cols, 1, 0)[HIST_ZERO_INDEX] = 7;
    expect(cols.histogram[(1 * 2 + 0) * 33 + 32]).toBe(7);
  });

  it('leaves the histogram empty when histograms are off', () => {
    expect(allocateTraceColumns(4, ['x'], ['d.weight'], false).histogram).toHaveLength(0);
  });
});

describe('recurrent trace metrics', () => {
  const spec = {
    format: 'vglab-network/1',
    nodes: [
      { id: 'x', type: 'input', params: { features: 2, sequence_length: 6 } },
      { id: 'r', type: 'rnn', params: { hidden_size: 3, return: 'sequence', nonlinearity: 'relu' } },
      { id: 'l', type: 'lstm', params: { hidden_size: 4, return: 'sequence' } },
      { id: 'g', type: 'gru', params: { hidden_size: 4 } },
      { id: 'o', type: 'dense', params: { units: 2 } },
    ],
    edges: [
      { from: 'x', to: 'r' },
      { from: 'r', to: 'l' },
      { from: 'l', to: 'g' },
      { from: 'g', to: 'o' },
    ],
    loss: { type: 'softmax_cross_entropy' },
  };
  const checked = validateNetwork(spec);
  if (!checked.ok) throw new Error(checked.errors[0].message);
  const layouts = recurrentLayouts(checked.spec, checked.plan);

  it('are defined once, with scopes timestep, gate and recurrent, tooltips and the types that record them', () => {
    expect(RECURRENT_METRICS.map((m) => [m.id, m.scope])).toEqual([
      ['timestep_grad_norm', 'timestep'],
      ['gate_saturation', 'gate'],
      ['cell_norm', 'recurrent'],
    ]);
    expect(recurrentMetric('cell_norm').appliesTo).toEqual(['lstm']);
    expect(recurrentMetric('gate_saturation').appliesTo).toEqual(['lstm', 'gru']);
    expect(recurrentMetric('timestep_grad_norm').appliesTo).toEqual(['rnn', 'lstm', 'gru']);
    for (const m of RECURRENT_METRICS) {
      expect(m.label.length, m.id).toBeGreaterThan(3);
      expect(m.tooltip.length, m.id).toBeGreaterThan(120);
      expect(m.tooltip, m.id).toMatch(/\.$/);
      // Kept apart from the per-node / per-parameter columns, whose layout does not change.
      expect((TRACE_METRICS as readonly { id: string }[]).some((t) => t.id === m.id), m.id).toBe(false);
    }
  });

  it('take as entities the recurrent nodes in plan order, with the length of the sequence each reads and its gates', () => {
    expect(layouts).toEqual([
      { nodeId: 'r', type: 'rnn', time: 6, gates: [] },
      { nodeId: 'l', type: 'lstm', time: 6, gates: ['i', 'f', 'g', 'o'] },
      { nodeId: 'g', type: 'gru', time: 6, gates: ['r', 'z', 'n'] },
    ]);
    expect(recurrentWidth(layouts, 'timestep')).toBe(18);
    expect(recurrentWidth(layouts, 'gate')).toBe(7);
    expect(recurrentWidth(layouts, 'recurrent')).toBe(3);
    expect(recurrentSpan(layouts, 'g', 'timestep')).toEqual({ offset: 12, width: 6 });
    expect(recurrentSpan(layouts, 'g', 'gate')).toEqual({ offset: 4, width: 3 });
    expect(recurrentSpan(layouts, 'r', 'gate')).toEqual({ offset: 0, width: 0 });
    expect(() => recurrentSpan(layouts, 'o', 'timestep')).toThrow('"o" is not a recurrent node of these traces');
    expect(gateLabels('gru')).toEqual(['reset gate', 'update gate', 'new state candidate']);
    expect(gateLabels('rnn')).toEqual([]);
  });

  it('store [row][entity] like every other metric: (S, all timesteps), (S, all gates), (S, nodes)', () => {
    const cols = allocateTraceColumns(2, ['x', 'r', 'l', 'g', 'o'], [], false, 2, layouts);
    const rec = cols.recurrent!;
    expect(rec.nodes).toEqual(layouts);
    expect(rec.metrics.timestep_grad_norm).toHaveLength(2 * 18);
    expect(rec.metrics.gate_saturation).toHaveLength(2 * 7);
    expect(rec.metrics.cell_norm).toHaveLength(2 * 3);
    // Only the lstm has a cell: NaN for the others, as for any value that does not apply.
    expect(Array.from(rec.metrics.cell_norm).map(Number.isNaN)).toEqual([true, false, true, true, false, true]);

    rec.metrics.timestep_grad_norm[1 * 18 + 6 + 5] = 0.25; // row 1, node l, t = 5
    expect(recurrentValues(rec, 'timestep_grad_norm', 'l', 1)).toHaveLength(6);
    expect(recurrentValues(rec, 'timestep_grad_norm', 'l', 1)[5]).toBe(0.25);
    rec.metrics.gate_saturation[7 + 4 + 1] = 0.5; // row 1, node g, gate z
    expect(Array.from(recurrentValues(rec, 'gate_saturation', 'g', 1))).toEqual([0, 0.5, 0]);
    expect(recurrentValues(rec, 'gate_saturation', 'r', 0)).toHaveLength(0);
    expect(Array.from(recurrentValues(rec, 'cell_norm', 'l', 0))).toEqual([0]);
    // The per-node and per-parameter layouts are untouched.
    expect(cols.metrics.out_grad_norm).toHaveLength(2 * 5);
    expect(allocateTraceColumns(1, ['x'], [], false).recurrent!.nodes).toEqual([]);
  });

  it('measure an rnn saturation by its nonlinearity and leave lstm / gru output saturation to the gates', () => {
    const byId = new Map(checked.spec.nodes.map((n) => [n.id, n]));
    expect(SATURATION_KIND.rnn).toBe('nonlinearity');
    expect(saturationKindOf(byId.get('r')!)).toBe('dead');
    const r = byId.get('r')!;
    const tanhRnn = { ...r, params: { ...r.params, nonlinearity: 'tanh' } } as typeof r;
    expect(saturationKindOf(tanhRnn)).toBe('bounded');
    expect(saturationKindOf(byId.get('l')!)).toBeNull();
    expect(saturationKindOf(byId.get('o')!)).toBeNull();
    expect(SATURATION_MARGIN).toBe(1e-2);
  });
});
