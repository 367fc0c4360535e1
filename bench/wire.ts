/**
 * `npx tsx bench/wire.ts`: what one WebSocket message of traces costs to decode, as
 * text (JSON with base64 typed arrays) and as a binary frame, for the trace chunks
 * of the long-task test's network (the ReLU/He example: 22 nodes, 22 parameter
 * tensors, no histograms) and for a whole 50,000-step run (runs.traces).
 * Median of 9 runs after 3 warm-ups, ms.
 */
import { decodeWire, decodeWireBinary, encodeWire, encodeWireBinary } from '../core/api/wire.ts';
import { allocateTraceColumns } from '../core/traces/metrics.ts';

function traces(rows: number) {
  const nodeIds = ['x'];
  const paramNames: string[] = [];
  for (let i = 1; i <= 10; i++) nodeIds.push(`dense${i}`, `relu${i}`);
  nodeIds.push('logits');
  for (let i = 1; i <= 11; i++) paramNames.push(`dense${i}.weight`, `dense${i}.bias`);
  const cols = allocateTraceColumns(rows, nodeIds, paramNames, false);
  for (const a of Object.values(cols.metrics)) for (let i = 0; i < a.length; i++) a[i] = Math.random();
  for (let r = 0; r < rows; r++) cols.steps[r] = r;
  return cols;
}

function median(f: () => void): number {
  const times: number[] = [];
  for (let k = 0; k < 12; k++) {
    const t0 = performance.now();
    f();
    if (k >= 3) times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const rows: string[] = [];
for (const n of [500, 2_000, 5_000, 50_000]) {
  const c = traces(n);
  const message =
    n === 50_000
      ? { type: 'result', id: 1, result: { runId: 'r1', stepsDone: n, traces: c } }
      : { type: 'event', event: 'run.traces', payload: { runId: 'r1', stepsDone: n, chunk: { stepFrom: 0, rowFrom: 0, steps: c.steps, metrics: c.metrics, histogram: c.histogram } } };
  const text = encodeWire(message);
  const frame = encodeWireBinary(message);
  // A browser receives each binary frame in an ArrayBuffer of its own.
  const own = frame.slice().buffer;
  const what = n === 50_000 ? `runs.traces, ${n} steps` : `run.traces chunk, ${n} rows`;
  rows.push(
    `| ${what} | ${(text.length / 2 ** 20).toFixed(1)} / ${(frame.length / 2 ** 20).toFixed(1)} | ` +
      `${median(() => decodeWire(text)).toFixed(2)} | ${median(() => decodeWireBinary(own)).toFixed(2)} | ` +
      `${median(() => encodeWire(message)).toFixed(2)} | ${median(() => encodeWireBinary(message)).toFixed(2)} |`,
  );
}
console.log('| message | MiB text / binary | decode text ms | decode binary ms | encode text ms | encode binary ms |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
