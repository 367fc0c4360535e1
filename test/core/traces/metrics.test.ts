import { describe, expect, it } from 'vitest';

import { NODE_TYPE_LIST } from '../../../core/network/spec.ts';
import {
  GRAD_HISTOGRAM,
  HIST_BINS,
  HIST_HI,
  HIST_LO,
  HIST_STRIDE,
  HIST_ZERO_INDEX,
  SATURATION_KIND,
  TRACE_METRICS,
  allocateTraceColumns,
  histogramAt,
  histogramBinStart,
  histogramSlot,
  metricAt,
  metricSeries,
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
