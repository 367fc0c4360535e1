import { describe, expect, it } from 'vitest';

import { projectSchema } from '../../../core/project/schema.ts';
import { serializeProject } from '../../../core/project/migrate.ts';
import {
  TraceCodecError,
  base64ToBytes,
  bytesToBase64,
  decodeTraces,
  decodeTypedArray,
  encodeTraces,
  encodeTypedArray,
  roundToBfloat16,
  storedTraces,
} from '../../../core/project/traceCodec.ts';
import { RECURRENT_METRICS, TRACE_METRICS, allocateTraceColumns, type TraceColumns } from '../../../core/traces/metrics.ts';
import { filledColumns, makeProject, mlpIds } from './helpers.ts';

type Typed = Float32Array | Int32Array | Uint32Array;

/** Same element type, same length, same bits (NaN payloads included). */
function expectSameBits(a: Typed, b: Typed, what: string): void {
  expect(b.constructor, what).toBe(a.constructor);
  expect(b.length, what).toBe(a.length);
  expect(Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)), what).toBe(0);
}

function expectSameColumns(a: TraceColumns, b: TraceColumns): void {
  expectSameBits(a.steps, b.steps, 'steps');
  expect(b.nodeIds).toEqual(a.nodeIds);
  expect(b.paramNames).toEqual(a.paramNames);
  for (const m of TRACE_METRICS) expectSameBits(a.metrics[m.id], b.metrics[m.id], m.id);
  expectSameBits(a.histogram, b.histogram, 'histogram');
  expect(b.recurrent?.nodes).toEqual(a.recurrent?.nodes);
  if (a.recurrent) for (const m of RECURRENT_METRICS) expectSameBits(a.recurrent.metrics[m.id], b.recurrent!.metrics[m.id], m.id);
}

describe('base64', () => {
  it('matches Node Buffer for every tail length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(base64ToBytes(text)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('refuses characters outside the alphabet and lengths that are not a multiple of 4', () => {
    expect(() => base64ToBytes('AAA')).toThrow(TraceCodecError);
    expect(() => base64ToBytes('AA-A')).toThrow(/"-" at character 2/);
    expect(() => base64ToBytes('AAé=')).toThrow(TraceCodecError);
  });
});

describe('typed arrays', () => {
  it('round-trips float32 bit for bit: NaN payloads, -0, infinities, subnormals', () => {
    const bits = new Uint32Array([0x7fc00000, 0x7fa12345, 0xffc00001, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x3f800000]);
    const a = new Float32Array(bits.buffer);
    const back = decodeTypedArray(encodeTypedArray(a), 'float32');
    expectSameBits(a, back, 'float32');
    expect(Object.is(back[3], -0)).toBe(true);
  });

  it('stores little-endian bytes', () => {
    const e = encodeTypedArray(new Int32Array([1, -2]));
    expect(e).toEqual({ type: 'int32', length: 2, encoding: 'raw', base64: Buffer.from([1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]).toString('base64') });
  });

  it('decodes a view of a larger buffer from its own bytes only', () => {
    const big = new Uint32Array([1, 2, 3, 4, 5]);
    expectSameBits(big.subarray(1, 4), decodeTypedArray(encodeTypedArray(big.subarray(1, 4)), 'uint32'), 'view');
  });

  it('refuses a wrong type or a byte count that does not match the length', () => {
    const e = encodeTypedArray(new Float32Array(3));
    expect(() => decodeTypedArray(e, 'int32', 'steps')).toThrow('steps: stored as float32, expected int32');
    expect(() => decodeTypedArray({ ...e, length: 4 }, 'float32', 'metrics.loss')).toThrow(/metrics.loss: holds 12 bytes; 4 float32 values need 16/);
  });
});

describe('trace columns', () => {
  it('round-trip every metric, the histogram and the steps exactly', () => {
    const cols = filledColumns(3, 50, 1, { histogram: true, stepCount: 120 });
    expectSameColumns(cols, decodeTraces(encodeTraces(cols, 'exact')));
  });

  it('round-trip recurrent columns, NaN cell norms of rnn and gru included', () => {
    const recurrent = [
      { nodeId: 'r', type: 'rnn' as const, time: 5, gates: [] },
      { nodeId: 'l', type: 'lstm' as const, time: 5, gates: ['i', 'f', 'g', 'o'] },
      { nodeId: 'g', type: 'gru' as const, time: 3, gates: ['r', 'z', 'n'] },
    ];
    const cols = allocateTraceColumns(4, ['x', 'r', 'l', 'g'], ['r.weight_ih'], false, 4, recurrent);
    cols.recurrent!.metrics.timestep_grad_norm.forEach((_, i, a) => (a[i] = i * 0.5));
    cols.recurrent!.metrics.gate_saturation.forEach((_, i, a) => (a[i] = 1 / (i + 1)));
    cols.recurrent!.metrics.cell_norm[1] = 2.5;
    const back = decodeTraces(encodeTraces(cols, 'exact'));
    expectSameColumns(cols, back);
    expect(Number.isNaN(back.recurrent!.metrics.cell_norm[0])).toBe(true);
    expect(back.recurrent!.metrics.cell_norm[1]).toBe(2.5);
    expect(projectSchema.safeParse(makeProject(0, cols)).success).toBe(true);
  });

  it('round-trip random bit patterns through the whole project text', () => {
    const recurrent = [{ nodeId: 'l', type: 'lstm' as const, time: 7, gates: ['i', 'f', 'g', 'o'] }];
    const cols = filledColumns(2, 30, 9, { histogram: true, recurrent });
    const parsed = projectSchema.parse(JSON.parse(serializeProject(makeProject(0, cols))));
    expectSameColumns(storedTraces(cols), decodeTraces(parsed.runs[0].traces!));
  });

  it('round-trip an empty run (no rows, no steps) and columns without a recurrent part', () => {
    const { nodeIds, paramNames } = mlpIds(2);
    const empty = allocateTraceColumns(0, nodeIds, paramNames, true, 0);
    expectSameColumns(empty, decodeTraces(encodeTraces(empty, 'exact')));
    const { recurrent: _, ...plain } = filledColumns(1, 3, 2);
    const back = decodeTraces(encodeTraces(plain, 'exact'));
    expect(back.recurrent).toBeUndefined();
    expectSameColumns(plain, back);
  });

  it('store step metrics, steps and histograms exactly and per-layer statistics as bfloat16 when compact', () => {
    const recurrent = [{ nodeId: 'l', type: 'lstm' as const, time: 7, gates: ['i', 'f', 'g', 'o'] }];
    const cols = filledColumns(2, 30, 9, { histogram: true, recurrent });
    const back = storedTraces(cols);
    expectSameBits(cols.steps, back.steps, 'steps');
    expectSameBits(cols.histogram, back.histogram, 'histogram');
    for (const m of TRACE_METRICS) {
      const expected = m.scope === 'step' ? cols.metrics[m.id] : roundToBfloat16(cols.metrics[m.id]);
      expectSameBits(expected, back.metrics[m.id], m.id);
    }
    for (const m of RECURRENT_METRICS) expectSameBits(roundToBfloat16(cols.recurrent!.metrics[m.id]), back.recurrent!.metrics[m.id], m.id);
  });

  it('refuse compressed data that is damaged or inflates to the wrong size', () => {
    const e = encodeTypedArray(Float32Array.from({ length: 100 }, (_, i) => i), 'deflate');
    expect(decodeTypedArray(e, 'float32')[99]).toBe(99);
    expect(() => decodeTypedArray({ ...e, length: 99 }, 'float32', 'metrics.loss')).toThrow(/metrics.loss: inflates to more than the 396 bytes expected/);
    expect(() => decodeTypedArray({ ...e, length: 101 }, 'float32', 'metrics.loss')).toThrow(/metrics.loss: inflates to 400 bytes; expected 404/);
    const bytes = base64ToBytes(e.base64);
    const cut = { ...e, base64: bytesToBase64(bytes.subarray(0, bytes.length - 5)) };
    expect(() => decodeTypedArray(cut, 'float32', 'metrics.loss')).toThrow(TraceCodecError);
    expect(() => encodeTypedArray(new Int32Array(2), 'bfloat16')).toThrow(/bfloat16 stores float32 values/);
  });
});

describe('bfloat16 rounding', () => {
  it('is within 2^-8 relative of every finite value, keeps the float32 range, NaN, infinities and signs', () => {
    const values = Float32Array.from([1, -1, 1e-30, 3.4e38, -2.5e-20, 0, -0, Infinity, -Infinity, NaN, 1 + 2 ** -8, 1 + 3 * 2 ** -9]);
    const r = roundToBfloat16(values);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) expect(Number.isNaN(r[i])).toBe(true);
      else if (!Number.isFinite(v) || v === 0) expect(Object.is(r[i], v)).toBe(true);
      else if (Math.abs(v) < 3.38e38) expect(Math.abs(r[i] - v) / Math.abs(v)).toBeLessThanOrEqual(2 ** -8);
      else expect(Math.abs(r[i] - v) / Math.abs(v)).toBeLessThan(0.01);
    }
    // Ties go to even: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7 and rounds to 1.
    expect(r[10]).toBe(1);
    expect(r[11]).toBe(1 + 2 ** -7);
    // The largest float32 stays finite (rounding would reach infinity, which reads as divergence).
    expect(Number.isFinite(roundToBfloat16(Float32Array.of(3.4028234e38))[0])).toBe(true);
    // A NaN whose payload would carry into the sign stays a NaN.
    const nan = new Float32Array(new Uint32Array([0x7fffffff]).buffer);
    expect(Number.isNaN(roundToBfloat16(nan)[0])).toBe(true);
  });
});
