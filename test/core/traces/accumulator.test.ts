import { describe, expect, it } from 'vitest';

import { TraceAccumulator } from '../../../core/traces/accumulator.ts';
import type { TraceChunk } from '../../../core/traces/chunk.ts';
import { HIST_STRIDE, TRACE_METRICS, type RecurrentLayout, metricSeries, recurrentValues } from '../../../core/traces/metrics.ts';

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

  it('holds the same columns with room reserved up front, and still grows past a short reservation', () => {
    const plain = new TraceAccumulator(['a', 'b', 'c'], ['a.weight', 'a.bias']);
    const reserved = new TraceAccumulator(['a', 'b', 'c'], ['a.weight', 'a.bias']);
    expect(reserved.reserve(2, 15)).toBe(true); // less than the run will need
    for (const acc of [plain, reserved]) {
      acc.append(chunk(0, 0, 25, 10, 3, 2));
      acc.append(chunk(25, 3, 20, 10, 3, 2));
    }
    const a = plain.columnsSoFar();
    const b = reserved.columnsSoFar();
    for (const m of TRACE_METRICS) expect(Array.from(b.metrics[m.id]), m.id).toEqual(Array.from(a.metrics[m.id]));
    expect(Array.from(b.steps)).toEqual(Array.from(a.steps));
  });

  it('reserves nothing for a run too large to allocate up front', () => {
    const acc = new TraceAccumulator(['a', 'b', 'c'], ['a.weight', 'a.bias']);
    expect(acc.reserve(10_000_000, 10_000_000)).toBe(false);
    expect(acc.reserve(-1, 5)).toBe(false);
    acc.append(chunk(0, 0, 5, 1, 3, 2));
    expect(acc.rowCount).toBe(5);
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

describe('TraceAccumulator with recurrent nodes', () => {
  const layouts: RecurrentLayout[] = [
    { nodeId: 'l', type: 'lstm', time: 5, gates: ['i', 'f', 'g', 'o'] },
    { nodeId: 'r', type: 'rnn', time: 5, gates: [] },
  ];

  /** `chunk` plus recurrent columns whose values encode (row, entity). */
  function recurrentChunk(stepFrom: number, rowFrom: number, steps: number): TraceChunk {
    const base = chunk(stepFrom, rowFrom, steps, 1, 3, 1);
    const rows = base.steps.length;
    const fill = (width: number) => Float32Array.from({ length: rows * width }, (_, i) => (rowFrom + Math.floor(i / width)) * 100 + (i % width));
    return { ...base, metrics: { ...base.metrics, timestep_grad_norm: fill(10), gate_saturation: fill(4), cell_norm: fill(2) } };
  }

  it('joins the recurrent columns, row after row', () => {
    const acc = new TraceAccumulator(['x', 'l', 'r'], ['l.weight_ih'], layouts);
    acc.append(recurrentChunk(0, 0, 2));
    acc.append(recurrentChunk(2, 2, 1));
    const rec = acc.columnsSoFar().recurrent!;
    expect(rec.nodes).toEqual(layouts);
    expect(rec.metrics.timestep_grad_norm).toHaveLength(3 * 10);
    expect(Array.from(recurrentValues(rec, 'timestep_grad_norm', 'r', 2))).toEqual([205, 206, 207, 208, 209]);
    expect(Array.from(recurrentValues(rec, 'gate_saturation', 'l', 1))).toEqual([100, 101, 102, 103]);
    expect(Array.from(recurrentValues(rec, 'cell_norm', 'l', 2))).toEqual([200]);
  });

  it('refuses a chunk without recurrent columns or with the wrong widths, and keeps the run as it was', () => {
    const acc = new TraceAccumulator(['x', 'l', 'r'], ['l.weight_ih'], layouts);
    const missing = recurrentChunk(0, 0, 2);
    delete missing.metrics.gate_saturation;
    expect(() => acc.append(missing)).toThrow('trace chunk: gate_saturation has no values, expected 8');
    const short = recurrentChunk(0, 0, 2);
    short.metrics.timestep_grad_norm = new Float32Array(9);
    expect(() => acc.append(short)).toThrow('trace chunk: timestep_grad_norm has 9 values, expected 20');
    expect(acc.rowCount).toBe(0);
    expect(acc.columnsSoFar().metrics.loss).toHaveLength(0);
  });

  it('needs no recurrent columns when the network has no recurrent node', () => {
    const acc = new TraceAccumulator(['a'], ['a.weight']);
    acc.append(chunk(0, 0, 3, 1, 1, 1));
    const rec = acc.columnsSoFar().recurrent!;
    expect(rec.nodes).toEqual([]);
    expect(rec.metrics.timestep_grad_norm).toHaveLength(0);
  });
});
