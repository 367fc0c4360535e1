import { describe, expect, it } from 'vitest';

import { TraceAccumulator } from '../../../core/traces/accumulator.ts';
import type { TraceChunk } from '../../../core/traces/chunk.ts';
import { HIST_STRIDE, TRACE_METRICS, metricSeries } from '../../../core/traces/metrics.ts';

/** A chunk of `steps` training steps with a traced row every `every` steps, values derived from indices. */
function chunk(stepFrom: number, rowFrom: number, steps: number, every: number, nodes: number, params: number): TraceChunk {
  const traced: number[] = [];
  for (let s = stepFrom; s < stepFrom + steps; s++) if (s % every === 0) traced.push(s);
  const metrics = Object.fromEntries(
    TRACE_METRICS.map((m) => {
      const width = m.scope === 'node' ? nodes : m.scope === 'param' ? params : 1;
      const length = m.scope === 'step' ? steps : traced.length * width;
      return [m.id, Float32Array.from({ length }, (_, i) => (m.scope === 'step' ? stepFrom + i : (rowFrom * width + i) / 10))];
    }),
  ) as TraceChunk['metrics'];
  return {
    stepFrom,
    rowFrom,
    steps: Int32Array.from(traced),
    metrics,
    histogram: new Uint32Array(traced.length * params * HIST_STRIDE).fill(1),
  };
}

describe('TraceAccumulator', () => {
  it('joins chunks into one run of columns', () => {
    const acc = new TraceAccumulator(['a', 'b', 'c'], ['a.weight', 'a.bias']);
    acc.append(chunk(0, 0, 25, 10, 3, 2)); // rows at 0, 10, 20
    acc.append(chunk(25, 3, 20, 10, 3, 2)); // rows at 30, 40
    expect(acc.stepCount).toBe(45);
    expect(acc.rowCount).toBe(5);
    const cols = acc.columnsSoFar();
    expect(Array.from(cols.steps)).toEqual([0, 10, 20, 30, 40]);
    expect(Array.from(cols.metrics.loss)).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(cols.metrics.out_grad_norm.length).toBe(5 * 3);
    expect(Array.from(metricSeries(cols, 'out_grad_norm', 1))).toEqual([0.1, 0.4, 0.7, 1, 1.3].map(Math.fround));
    expect(cols.histogram.length).toBe(5 * 2 * HIST_STRIDE);
    // A second call gives the same result (histogram chunks were joined once).
    expect(acc.columnsSoFar().histogram.length).toBe(5 * 2 * HIST_STRIDE);
  });

  it('refuses a chunk that skips or repeats steps', () => {
    const acc = new TraceAccumulator(['a'], ['a.weight']);
    acc.append(chunk(0, 0, 10, 5, 1, 1));
    expect(() => acc.append(chunk(11, 2, 5, 5, 1, 1))).toThrow(/out of order/);
    expect(() => acc.append(chunk(0, 0, 5, 5, 1, 1))).toThrow(/out of order/);
  });

  it('refuses a chunk whose columns do not fit its entities', () => {
    const acc = new TraceAccumulator(['a', 'b'], ['a.weight']);
    expect(() => acc.append(chunk(0, 0, 10, 5, 3, 1))).toThrow(/out_grad_norm has 6 values, expected 4/);
  });
});
