/**
 * A small trace with every kind of value an export must carry: ordinary float32
 * values, NaN (does not apply), +-Infinity (a diverged loss), tiny and huge
 * magnitudes, and two recurrent nodes (an lstm with gates and a cell, an rnn without).
 */
import { TRACE_METRICS, allocateTraceColumns, type RecurrentLayout, type TraceColumns } from '../../../core/traces/metrics.ts';

/** Deterministic float32-ish values spanning many powers of ten. */
function fill(a: Float32Array, seed: number): void {
  let x = seed;
  for (let i = 0; i < a.length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    a[i] = ((x / 2147483648) - 0.3) * 10 ** ((i % 13) - 8);
  }
}

export function sampleTraces(options: { recurrent?: boolean } = {}): TraceColumns {
  const layouts: RecurrentLayout[] = options.recurrent
    ? [
        { nodeId: 'lstm1', type: 'lstm', time: 3, gates: ['i', 'f', 'g', 'o'] },
        { nodeId: 'rnn, "b"', type: 'rnn', time: 2, gates: [] },
      ]
    : [];
  const cols = allocateTraceColumns(3, ['x', 'd1', 'act'], ['d1.weight', 'd1.bias'], false, 7, layouts);
  cols.steps.set([0, 3, 6]);
  TRACE_METRICS.forEach((m, k) => fill(cols.metrics[m.id], k + 1));
  cols.metrics.loss[5] = Number.POSITIVE_INFINITY;
  cols.metrics.loss[6] = Number.NaN;
  cols.metrics.accuracy[0] = Number.NEGATIVE_INFINITY;
  cols.metrics.saturated_frac[1] = Number.NaN;
  if (cols.recurrent) {
    fill(cols.recurrent.metrics.timestep_grad_norm, 21);
    fill(cols.recurrent.metrics.gate_saturation, 22);
    for (let r = 0; r < 3; r++) cols.recurrent.metrics.cell_norm[r * 2] = 1.5 + r;
  }
  return cols;
}
