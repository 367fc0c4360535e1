// Stores a run's TraceColumns inside the project's JSON: every typed array becomes
// {type, length, encoding, base64} (see ARRAY_ENCODINGS in schema.ts). Step
// counters, loss, accuracy and histograms are stored exactly (byte planes,
// deflated); the per-layer statistics, which are most of a trace and are read on
// log axes, as bfloat16 unless `exact` is asked for. Decimal numbers in JSON
// would cost ~3x the raw bytes and round anyway. Plain TypeScript (fflate for
// deflate, no Node Buffer): core/ runs in the renderer too.
import {
  RECURRENT_METRICS,
  TRACE_METRICS,
  type RecurrentColumns,
  type RecurrentMetricId,
  type TraceColumns,
  type TraceMetricId,
} from '../traces/metrics.ts';
import { EVALUATION_METRICS, type EvaluationColumns } from '../traces/evaluation.ts';
import { deflateSync, inflateSync } from 'fflate';

import type { ArrayEncoding, EncodedArray, EncodedArrayType, EncodedTraces } from './schema.ts';

export class TraceCodecError extends Error {
  override name = 'TraceCodecError';
}

// ---- base64 -------------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Character code -> 6-bit value, 255 for a character outside the alphabet. */
const DECODE = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const PAD = 61; // '='

const ascii = new TextDecoder();

/** Standard base64 (RFC 4648, `=` padding) of `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(4 * Math.ceil(n / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[v >>> 18];
    out[o++] = ENCODE[(v >>> 12) & 63];
    out[o++] = ENCODE[(v >>> 6) & 63];
    out[o++] = ENCODE[v & 63];
  }
  if (i < n) {
    const rest = n - i;
    const v = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = ENCODE[v >>> 18];
    out[o++] = ENCODE[(v >>> 12) & 63];
    out[o++] = rest === 2 ? ENCODE[(v >>> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  // The bytes are ASCII, so one UTF-8 decode turns them into the string without per-char concatenation.
  return ascii.decode(out);
}

/** Bytes of a standard, padded base64 string; throws TraceCodecError on any other character or length. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new TraceCodecError(`base64 text of ${text.length} characters is not a multiple of 4`);
  let pad = 0;
  if (text.length > 0 && text.charCodeAt(text.length - 1) === PAD) pad = text.charCodeAt(text.length - 2) === PAD ? 2 : 1;
  const n = (text.length / 4) * 3 - pad;
  const out = new Uint8Array(n);
  let o = 0;
  const sextet = (at: number): number => {
    const c = text.charCodeAt(at);
    const v = c < 128 ? DECODE[c] : 255;
    if (v === 255) throw new TraceCodecError(`base64 text has "${text[at]}" at character ${at}`);
    return v;
  };
  const full = text.length - (pad > 0 ? 4 : 0);
  for (let i = 0; i < full; i += 4) {
    const v = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 255;
    out[o++] = v & 255;
  }
  if (pad > 0) {
    const v = (sextet(full) << 18) | (sextet(full + 1) << 12) | (pad === 1 ? sextet(full + 2) << 6 : 0);
    out[o++] = v >>> 16;
    if (pad === 1) out[o++] = (v >>> 8) & 255;
  }
  return out;
}

// ---- typed arrays <-> little-endian bytes ---------------------------------------------------

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

type TypedArrayOf<T extends EncodedArrayType> = T extends 'float32'
  ? Float32Array
  : T extends 'int32'
    ? Int32Array
    : Uint32Array;

function typeOf(a: Float32Array | Int32Array | Uint32Array): EncodedArrayType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Int32Array) return 'int32';
  return 'uint32';
}

/** The little-endian bytes of `a` (a copy). */
function littleEndianBytes(a: Float32Array | Int32Array | Uint32Array): Uint8Array {
  const bytes = new Uint8Array(a.length * 4);
  if (LITTLE_ENDIAN_HOST) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  } else {
    // Bits are copied through Uint32 so a NaN's payload survives (a float read would canonicalise it).
    const view = new DataView(bytes.buffer);
    const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < bits.length; i++) view.setUint32(i * 4, bits[i], true);
  }
  return bytes;
}

/** Byte planes: plane k holds byte k of every element (`width` bytes each). */
function toPlanes(bytes: Uint8Array, width: number): Uint8Array {
  const n = bytes.length / width;
  const out = new Uint8Array(bytes.length);
  for (let k = 0; k < width; k++) for (let i = 0; i < n; i++) out[k * n + i] = bytes[i * width + k];
  return out;
}

function fromPlanes(planes: Uint8Array, width: number): Uint8Array {
  const n = planes.length / width;
  const out = new Uint8Array(planes.length);
  for (let k = 0; k < width; k++) for (let i = 0; i < n; i++) out[i * width + k] = planes[k * n + i];
  return out;
}

/** The top 16 bits of each float32, rounded to nearest even; NaN stays NaN, infinities stay infinite, finite values finite. */
function toBfloat16Bits(a: Float32Array): Uint16Array {
  const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const out = new Uint16Array(a.length);
  for (let i = 0; i < bits.length; i++) {
    const u = bits[i];
    if ((u & 0x7f800000) === 0x7f800000 && (u & 0x007fffff) !== 0) {
      out[i] = (u >>> 16) | 0x0040; // a quiet NaN with the sign kept: rounding could carry a NaN into infinity
    } else {
      const r = (u + 0x7fff + ((u >>> 16) & 1)) >>> 16;
      // A finite value near float32's maximum would round up to infinity, which reads as divergence: keep the largest finite.
      out[i] = (r & 0x7f80) === 0x7f80 && (u & 0x7f800000) !== 0x7f800000 ? r - 1 : r;
    }
  }
  return out;
}

/** `a` rounded to bfloat16 and widened back: exactly what a 'bfloat16' array decodes to. */
export function roundToBfloat16(a: Float32Array): Float32Array {
  const half = toBfloat16Bits(a);
  const bits = new Uint32Array(half.length);
  for (let i = 0; i < half.length; i++) bits[i] = half[i] << 16;
  return new Float32Array(bits.buffer);
}

/** `a` as {type, length, encoding, base64}. */
export function encodeTypedArray(a: Float32Array | Int32Array | Uint32Array, encoding: ArrayEncoding = 'raw'): EncodedArray {
  const type = typeOf(a);
  let bytes: Uint8Array;
  if (encoding === 'bfloat16') {
    if (!(a instanceof Float32Array)) throw new TraceCodecError(`bfloat16 stores float32 values, not ${type}`);
    const half = toBfloat16Bits(a);
    const le = new Uint8Array(half.length * 2);
    for (let i = 0; i < half.length; i++) {
      le[2 * i] = half[i] & 255;
      le[2 * i + 1] = half[i] >>> 8;
    }
    bytes = deflateSync(toPlanes(le, 2), { level: 6 });
  } else {
    const le = littleEndianBytes(a);
    bytes = encoding === 'deflate' ? deflateSync(toPlanes(le, 4), { level: 6 }) : le;
  }
  return { type, length: a.length, encoding, base64: bytesToBase64(bytes) } as EncodedArray;
}

/** Inflates exactly `expected` bytes; anything else is a damaged file. */
function inflateExactly(data: Uint8Array, expected: number, what: string): Uint8Array {
  let out: Uint8Array;
  try {
    // One byte of room more than expected shows a stream that holds too much (fflate stops at the buffer's end).
    out = inflateSync(data, { out: new Uint8Array(expected + 1) });
  } catch (e) {
    throw new TraceCodecError(`${what}: the compressed data is damaged (${(e as Error).message})`);
  }
  if (out.length !== expected) {
    throw new TraceCodecError(
      out.length > expected
        ? `${what}: inflates to more than the ${expected} bytes expected`
        : `${what}: inflates to ${out.length} bytes; expected ${expected}`,
    );
  }
  return out;
}

/** The typed array `e` encodes; throws TraceCodecError when its type or byte count is not the one expected. */
export function decodeTypedArray<T extends EncodedArrayType>(e: EncodedArray, type: T, what = 'array'): TypedArrayOf<T> {
  if (e.type !== type) throw new TraceCodecError(`${what}: stored as ${e.type}, expected ${type}`);
  const stored = base64ToBytes(e.base64);
  const encoding = e.encoding ?? 'raw';
  let bytes: Uint8Array;
  if (encoding === 'bfloat16') {
    if (type !== 'float32') throw new TraceCodecError(`${what}: bfloat16 holds float32 values, not ${type}`);
    const le = fromPlanes(inflateExactly(stored, e.length * 2, what), 2);
    const bits = new Uint32Array(e.length);
    for (let i = 0; i < e.length; i++) bits[i] = ((le[2 * i] | (le[2 * i + 1] << 8)) << 16) >>> 0;
    bytes = new Uint8Array(bits.buffer);
    if (!LITTLE_ENDIAN_HOST) return new Float32Array(bits.buffer) as TypedArrayOf<T>;
  } else {
    bytes = encoding === 'deflate' ? fromPlanes(inflateExactly(stored, e.length * 4, what), 4) : stored;
    if (bytes.length !== e.length * 4) {
      throw new TraceCodecError(`${what}: holds ${bytes.length} bytes; ${e.length} ${type} values need ${e.length * 4}`);
    }
  }
  let buffer: ArrayBuffer = bytes.buffer as ArrayBuffer;
  if (!LITTLE_ENDIAN_HOST) {
    const view = new DataView(buffer);
    const bits = new Uint32Array(e.length);
    for (let i = 0; i < bits.length; i++) bits[i] = view.getUint32(i * 4, true);
    buffer = bits.buffer;
  }
  const Ctor = type === 'float32' ? Float32Array : type === 'int32' ? Int32Array : Uint32Array;
  return new Ctor(buffer, bytes.byteOffset, e.length) as TypedArrayOf<T>;
}

// ---- TraceColumns ------------------------------------------------------------------------------

/**
 * 'compact': per-layer and per-timestep statistics as bfloat16 (at most 0.4% off,
 * the full float32 range), everything else exact. 'exact': every value bit for bit.
 */
export type TracePrecision = 'compact' | 'exact';

/** A run's traces as stored in the project (see EncodedTraces in schema.ts). */
export function encodeTraces(cols: TraceColumns, precision: TracePrecision = 'compact'): EncodedTraces {
  const statistics: ArrayEncoding = precision === 'compact' ? 'bfloat16' : 'deflate';
  const metrics = Object.fromEntries(
    TRACE_METRICS.map((m) => [m.id, encodeTypedArray(cols.metrics[m.id], m.scope === 'step' ? 'deflate' : statistics)]),
  ) as EncodedTraces['metrics'];
  const out: EncodedTraces = {
    steps: encodeTypedArray(cols.steps, 'deflate') as EncodedTraces['steps'],
    nodeIds: [...cols.nodeIds],
    paramNames: [...cols.paramNames],
    metrics,
    histogram: encodeTypedArray(cols.histogram, 'deflate') as EncodedTraces['histogram'],
  };
  if (cols.recurrent) {
    out.recurrent = {
      nodes: cols.recurrent.nodes.map((n) => ({ ...n, gates: [...n.gates] })),
      metrics: Object.fromEntries(
        RECURRENT_METRICS.map((m) => [m.id, encodeTypedArray(cols.recurrent!.metrics[m.id], statistics)]),
      ) as NonNullable<EncodedTraces['recurrent']>['metrics'],
    };
  }
  if (cols.evaluation) {
    // Few rows and read as exact figures (the final test accuracy): stored exactly, like the loss.
    const ev = cols.evaluation;
    out.evaluation = {
      steps: encodeTypedArray(ev.steps, 'deflate') as EncodedTraces['steps'],
      metrics: Object.fromEntries(
        EVALUATION_METRICS.map((m) => [m.id, encodeTypedArray(ev.metrics[m.id], 'deflate')]),
      ) as NonNullable<EncodedTraces['evaluation']>['metrics'],
    };
  }
  return out;
}

/** The traces as they read back after encodeTraces(cols, precision): what a saved project holds. */
export function storedTraces(cols: TraceColumns, precision: TracePrecision = 'compact'): TraceColumns {
  return decodeTraces(encodeTraces(cols, precision));
}

/**
 * The TraceColumns `e` encodes (fresh arrays). Lengths against the node and
 * parameter lists are the schema's job (encodedTracesSchema); this checks each
 * array's type and byte count and throws TraceCodecError naming the column.
 */
export function decodeTraces(e: EncodedTraces): TraceColumns {
  const metrics = Object.fromEntries(
    TRACE_METRICS.map((m) => [m.id, decodeTypedArray(e.metrics[m.id], 'float32', `metrics.${m.id}`)]),
  ) as { [K in TraceMetricId]: Float32Array };
  const cols: TraceColumns = {
    steps: decodeTypedArray(e.steps, 'int32', 'steps'),
    nodeIds: [...e.nodeIds],
    paramNames: [...e.paramNames],
    metrics,
    histogram: decodeTypedArray(e.histogram, 'uint32', 'histogram'),
  };
  if (e.recurrent) {
    const rec = e.recurrent;
    cols.recurrent = {
      nodes: rec.nodes.map((n) => ({ ...n, gates: [...n.gates] })),
      metrics: Object.fromEntries(
        RECURRENT_METRICS.map((m) => [
          m.id,
          decodeTypedArray(rec.metrics[m.id], 'float32', `recurrent.metrics.${m.id}`),
        ]),
      ) as { [K in RecurrentMetricId]: Float32Array },
    } satisfies RecurrentColumns;
  }
  if (e.evaluation) {
    const ev = e.evaluation;
    cols.evaluation = {
      steps: decodeTypedArray(ev.steps, 'int32', 'evaluation.steps'),
      metrics: Object.fromEntries(
        EVALUATION_METRICS.map((m) => [m.id, decodeTypedArray(ev.metrics[m.id], 'float32', `evaluation.metrics.${m.id}`)]),
      ) as EvaluationColumns['metrics'],
    };
  }
  return cols;
}
