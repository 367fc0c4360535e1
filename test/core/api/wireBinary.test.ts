// The binary form of a wire message: every typed array comes back with its type,
// length and exact bits (NaN, -0, subnormals), as a view on the frame where the frame
// is aligned and as a copy where it is not; the JSON around them is unchanged; and
// a frame that lies (wrong magic, lengths or references past its end) is refused.
import { describe, expect, it } from 'vitest';

import { decodeWire, decodeWireBinary, encodeWire, encodeWireBinary, hasTypedArrays } from '../../../core/api/wire.ts';

const message = () => ({
  type: 'event',
  event: 'run.traces',
  payload: {
    runId: 'r1',
    text: 'ünïcode ✓',
    empty: new Float32Array(0),
    chunk: {
      steps: new Int32Array([0, 1, 2]),
      loss: new Float32Array([0.5, Number.NaN, -0, 1e-40, Infinity]),
      wide: new Float64Array([Math.PI, -1e300]),
      ids: new Uint32Array([4_000_000_000]),
      bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7]), // 7: the next array starts after padding
      after: new Float64Array([2]),
      list: [{ g: new Float32Array([1, 2]) }, null, 3],
    },
  },
});

function bits(a: ArrayBufferView): number[] {
  return Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

describe('encodeWireBinary / decodeWireBinary', () => {
  it('round-trips typed arrays bit for bit and the JSON around them', () => {
    const m = message();
    const back = decodeWireBinary(encodeWireBinary(m).slice().buffer) as ReturnType<typeof message>;
    expect(back.payload.text).toBe('ünïcode ✓');
    expect(back.payload.chunk.list[1]).toBeNull();
    expect(back.payload.chunk.list[2]).toBe(3);
    const pairs: [ArrayBufferView, ArrayBufferView][] = [
      [m.payload.empty, back.payload.empty],
      [m.payload.chunk.steps, back.payload.chunk.steps],
      [m.payload.chunk.loss, back.payload.chunk.loss],
      [m.payload.chunk.wide, back.payload.chunk.wide],
      [m.payload.chunk.ids, back.payload.chunk.ids],
      [m.payload.chunk.bytes, back.payload.chunk.bytes],
      [m.payload.chunk.after, back.payload.chunk.after],
      [(m.payload.chunk.list[0] as { g: Float32Array }).g, (back.payload.chunk.list[0] as { g: Float32Array }).g],
    ];
    for (const [a, b] of pairs) {
      expect(b.constructor).toBe(a.constructor);
      expect(bits(b)).toEqual(bits(a));
    }
  });

  it('decodes to what the text form decodes to', () => {
    const m = message();
    expect(decodeWireBinary(encodeWireBinary(m))).toEqual(decodeWire(encodeWire(m)));
  });

  it('encodes only the viewed part of a subarray', () => {
    const whole = new Float32Array([1, 2, 3, 4, 5]);
    const back = decodeWireBinary(encodeWireBinary({ a: whole.subarray(1, 3) })) as { a: Float32Array };
    expect(Array.from(back.a)).toEqual([2, 3]);
  });

  it('views the frame in place when it is aligned, and copies when it is not', () => {
    const frame = encodeWireBinary({ a: new Float64Array([1.5, 2.5]) });
    const own = frame.slice().buffer;
    expect((decodeWireBinary(own) as { a: Float64Array }).a.buffer).toBe(own);
    // The same bytes one byte into a larger buffer (as a pooled Node Buffer may hand them over).
    const shifted = new Uint8Array(frame.length + 1);
    shifted.set(frame, 1);
    const moved = decodeWireBinary(shifted.subarray(1)) as { a: Float64Array };
    expect(moved.a.buffer).not.toBe(shifted.buffer);
    expect(Array.from(moved.a)).toEqual([1.5, 2.5]);
  });

  it('refuses frames that are not ones or that point outside themselves', () => {
    const good = encodeWireBinary({ a: new Float32Array([1, 2]) });
    expect(() => decodeWireBinary(new Uint8Array([1, 2, 3]))).toThrow(/not a lab message frame/);
    const badMagic = good.slice();
    badMagic[0] = 0;
    expect(() => decodeWireBinary(badMagic)).toThrow(/not a lab message frame/);
    const longJson = good.slice();
    new DataView(longJson.buffer).setUint32(4, 1e6, true);
    expect(() => decodeWireBinary(longJson)).toThrow(/runs past its end/);
    expect(() => decodeWireBinary(good.subarray(0, good.length - 4))).toThrow(/outside the frame/);
    const forged = (ref: Record<string, unknown>) => {
      const json = new TextEncoder().encode(JSON.stringify({ a: ref }));
      const f = new Uint8Array(8 + json.length + 8);
      f.set([0x56, 0x47, 0x57, 0x31]);
      new DataView(f.buffer).setUint32(4, json.length, true);
      f.set(json, 8);
      return f;
    };
    expect(() => decodeWireBinary(forged({ $typed: 'float32', at: -8, length: 1 }))).toThrow(/outside the frame/);
    expect(() => decodeWireBinary(forged({ $typed: 'float32', at: 0, length: 1e9 }))).toThrow(/outside the frame/);
    expect(() => decodeWireBinary(forged({ $typed: 'bigint64', at: 0, length: 1 }))).toThrow(/malformed/);
    expect(() => decodeWireBinary(forged({ $typed: 'float32', at: '0', length: 1 }))).toThrow(/malformed/);
  });
});

describe('hasTypedArrays', () => {
  it('finds a typed array at any depth, and only then', () => {
    expect(hasTypedArrays(message())).toBe(true);
    expect(hasTypedArrays({ a: [{ b: [1, 'x', null] }] })).toBe(false);
    expect(hasTypedArrays([[[new Int32Array(1)]]])).toBe(true);
    expect(hasTypedArrays(null)).toBe(false);
  });
});
