import { describe, expect, it } from 'vitest';

import { TraceAccumulator } from '../../../core/traces/accumulator.ts';
import { mergeChunks, type TraceChunk } from '../../../core/traces/chunk.ts';
import { HIST_STRIDE, TRACE_METRICS } from '../../../core/traces/metrics.ts';

/** `steps` training steps from `stepFrom`, a traced row every `every` steps; values derived from indices. */
function chunk(stepFrom: number, rowFrom: number, steps: number, every: number, nodes = 2, params = 3): TraceChunk {
  const traced: number[] = [];
  for (let s = stepFrom; s < stepFrom + steps; s++) if (s % every === 0) traced.push(s);
  const metrics = Object.fromEntries(
    TRACE_METRICS.map((m) => {
      const width = m.scope === 'node' ? nodes : m.scope === 'param' ? params : 1;
      const length = m.scope === 'step' ? steps : traced.length * width;
      const first = m.scope === 'step' ? stepFrom : rowFrom * width;
      return [m.id, Float32Array.from({ length }, (_, i) => first + i)];
    }),
  ) as TraceChunk['metrics'];
  return {
    stepFrom,
    rowFrom,
    steps: Int32Array.from(traced),
    metrics,
    histogram: Uint32Array.from({ length: traced.length * params * HIST_STRIDE }, (_, i) => rowFrom * params * HIST_STRIDE + i),
  };
}

describe('mergeChunks', () => {
  it('holds the steps, rows, metrics and histogram of both chunks in order', () => {
    const merged = mergeChunks(chunk(0, 0, 25, 10), chunk(25, 3, 20, 10)); // rows 0, 10, 20 then 30, 40
    expect(merged.stepFrom).toBe(0);
    expect(merged.rowFrom).toBe(0);
    expect(Array.from(merged.steps)).toEqual([0, 10, 20, 30, 40]);
    expect(Array.from(merged.metrics.loss)).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(Array.from(merged.metrics.out_grad_norm)).toEqual(Array.from({ length: 5 * 2 }, (_, i) => i));
    expect(Array.from(merged.metrics.grad_norm)).toEqual(Array.from({ length: 5 * 3 }, (_, i) => i));
    expect(Array.from(merged.histogram)).toEqual(Array.from({ length: 5 * 3 * HIST_STRIDE }, (_, i) => i));
    expect(merged.metrics.loss).toBeInstanceOf(Float32Array);
    expect(merged.histogram).toBeInstanceOf(Uint32Array);
  });

  it('gives the same columns as appending the two chunks one after the other', () => {
    const a = chunk(0, 0, 7, 3);
    const b = chunk(7, 3, 9, 3);
    const separate = new TraceAccumulator(['n0', 'n1'], ['p0', 'p1', 'p2']);
    separate.append(a);
    separate.append(b);
    const merged = new TraceAccumulator(['n0', 'n1'], ['p0', 'p1', 'p2']);
    merged.append(mergeChunks(a, b));
    expect(merged.columnsSoFar()).toEqual(separate.columnsSoFar());
  });

  it('merges a chunk without traced rows (trace_every larger than the chunk)', () => {
    const merged = mergeChunks(chunk(1, 1, 3, 100), chunk(4, 1, 2, 100));
    expect(merged.steps.length).toBe(0);
    expect(merged.metrics.loss.length).toBe(5);
    expect(merged.histogram.length).toBe(0);
  });

  it('carries the recurrent metrics when both chunks have them', () => {
    const a = chunk(0, 0, 2, 1);
    const b = chunk(2, 2, 1, 1);
    a.metrics.timestep_grad_norm = Float32Array.of(1, 2, 3, 4);
    b.metrics.timestep_grad_norm = Float32Array.of(5, 6);
    expect(Array.from(mergeChunks(a, b).metrics.timestep_grad_norm!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(mergeChunks(chunk(0, 0, 2, 1), chunk(2, 2, 1, 1)).metrics.timestep_grad_norm).toBeUndefined();
  });

  it('leaves its inputs untouched', () => {
    const a = chunk(0, 0, 4, 2);
    const lossBefore = Array.from(a.metrics.loss);
    mergeChunks(a, chunk(4, 2, 4, 2));
    expect(Array.from(a.metrics.loss)).toEqual(lossBefore);
  });

  it('refuses chunks with a gap or an overlap between them', () => {
    expect(() => mergeChunks(chunk(0, 0, 10, 5), chunk(11, 2, 5, 5))).toThrow(/not consecutive/);
    expect(() => mergeChunks(chunk(0, 0, 10, 5), chunk(5, 1, 5, 5))).toThrow(/not consecutive/);
    expect(() => mergeChunks(chunk(0, 0, 10, 5), chunk(10, 3, 5, 5))).toThrow(/row 2/);
  });

  it('refuses chunks of different networks (one with recurrent metrics, one without)', () => {
    const b = chunk(2, 2, 1, 1);
    b.metrics.cell_norm = Float32Array.of(1);
    expect(() => mergeChunks(chunk(0, 0, 2, 1), b)).toThrow(/cell_norm/);
  });
});
