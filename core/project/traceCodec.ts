// Stores a run's TraceColumns inside the project's JSON: every typed array becomes
// {type, length, base64} with base64 of its little-endian bytes. That is exact
// (bit for bit, NaN payloads and -0 included) and costs 4/3 of the raw bytes,
// where decimal numbers in JSON would cost ~3x and round. Plain TypeScript, no
// Node Buffer: core/ runs in the renderer too.
import {
  RECURRENT_METRICS,
  TRACE_METRICS,
  type RecurrentColumns,
  type RecurrentMetricId,
  type TraceColumns,
  type TraceMetricId,
} from '../traces/metrics.ts';
import type { EncodedArray, EncodedArrayType, EncodedTraces } from './schema.ts';

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

/** `a` as {type, length, base64 of its little-endian bytes}. */
export function encodeTypedArray(a: Float32Array | Int32Array | Uint32Array): EncodedArray {
  const bytes = new Uint8Array(a.length * 4);
  if (LITTLE_ENDIAN_HOST) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  } else {
    // Bits are copied through Uint32 so a NaN's payload survives (a float read would canonicalise it).
    const view = new DataView(bytes.buffer);
    const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
    for (let i = 0; i < bits.length; i++) view.setUint32(i * 4, bits[i], true);
  }
  return { type: typeOf(a), length: a.length, base64: bytesToBase64(bytes) } as EncodedArray;
}

/** The typed array `e` encodes; throws TraceCodecError when its type or byte count is not the one expected. */
export function decodeTypedArray<T extends EncodedArrayType>(e: EncodedArray, type: T, what = 'array'): TypedArrayOf<T> {
  if (e.type !== type) throw new TraceCodecError(`${what}: stored as ${e.type}, expected ${type}`);
  const bytes = base64ToBytes(e.base64);
  if (bytes.length !== e.length * 4) {
    throw new TraceCodecError(`${what}: holds ${bytes.length} bytes; ${e.length} ${type} values need ${e.length * 4}`);
  }
  let buffer: ArrayBuffer = bytes.buffer as ArrayBuffer;
  if (!LITTLE_ENDIAN_HOST) {
    const view = new DataView(buffer);
    const bits = new Uint32Array(e.length);
    for (let i = 0; i < bits.length; i++) bits[i] = view.getUint32(i * 4, true);
    buffer = bits.buffer;
  }
  const Ctor = type === 'float32' ? Float32Array : type === 'int32' ? Int32Array : Uint32Array;
  return new Ctor(buffer, 0, e.length) as TypedArrayOf<T>;
}

// ---- TraceColumns ------------------------------------------------------------------------------

/** A run's traces as stored in the project (see EncodedTraces in schema.ts). */
export function encodeTraces(cols: TraceColumns): EncodedTraces {
  const metrics = Object.fromEntries(
    TRACE_METRICS.map((m) => [m.id, encodeTypedArray(cols.metrics[m.id])]),
  ) as EncodedTraces['metrics'];
  const out: EncodedTraces = {
    steps: encodeTypedArray(cols.steps) as EncodedTraces['steps'],
    nodeIds: [...cols.nodeIds],
    paramNames: [...cols.paramNames],
    metrics,
    histogram: encodeTypedArray(cols.histogram) as EncodedTraces['histogram'],
  };
  if (cols.recurrent) {
    out.recurrent = {
      nodes: cols.recurrent.nodes.map((n) => ({ ...n, gates: [...n.gates] })),
      metrics: Object.fromEntries(
        RECURRENT_METRICS.map((m) => [m.id, encodeTypedArray(cols.recurrent!.metrics[m.id])]),
      ) as NonNullable<EncodedTraces['recurrent']>['metrics'],
    };
  }
  return out;
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
  return cols;
}
