// LabApi messages for transports that cannot structured-clone (the browser-mode
// WebSocket), in two forms. Text: JSON where typed arrays become {"$typed": type,
// "base64": ...} of their little-endian bytes, so traces cross exactly. Binary (a
// client that asks for WIRE_BINARY_PROTOCOL): the same JSON with each typed array
// replaced by a reference to its raw bytes after the JSON, so the receiver makes
// views on the frame instead of decoding base64 (a 2,000-row trace chunk took tens of
// milliseconds of one task in the page). Electron's IPC and the engine host's
// channel clone typed arrays natively and skip this.
import { z } from 'zod';

import { base64ToBytes, bytesToBase64 } from '../project/traceCodec.ts';
import { LAB_ERROR_CODES, type LabErrorPayload } from './labApi.ts';

const TYPED = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;
type AnyTyped = InstanceType<(typeof TYPED)[TypedName]>;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function typedName(v: unknown): TypedName | null {
  for (const [name, Ctor] of Object.entries(TYPED)) if (v instanceof Ctor) return name as TypedName;
  return null;
}

/** JSON text of `value` with its typed arrays encoded (only little-endian hosts: all ours). */
export function encodeWire(value: unknown): string {
  if (!LITTLE_ENDIAN_HOST) throw new Error('the wire format needs a little-endian host');
  return JSON.stringify(value, (_key, v: unknown) => {
    const name = typedName(v);
    if (name === null) return v;
    const a = v as AnyTyped;
    return { $typed: name, base64: bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) };
  });
}

/** The value encodeWire wrote; throws on malformed JSON or a malformed typed array. */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || !('$typed' in v)) return v;
    const { $typed, base64 } = v as { $typed: unknown; base64: unknown };
    if (typeof $typed !== 'string' || !Object.hasOwn(TYPED, $typed) || typeof base64 !== 'string') {
      throw new Error('a typed array in the message is malformed');
    }
    const Ctor = TYPED[$typed as TypedName];
    const bytes = base64ToBytes(base64);
    if (bytes.length % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`a ${$typed} array has ${bytes.length} bytes`);
    return new Ctor(bytes.buffer as ArrayBuffer, 0, bytes.length / Ctor.BYTES_PER_ELEMENT);
  });
}

// ---- binary frames ---------------------------------------------------------------------------
//
// frame = "VGW1" | u32 LE: JSON byte length | JSON (UTF-8) | zero padding to a multiple of 8 |
//         the arrays' bytes, each starting at a multiple of 8 from the frame's start.
// In the JSON a typed array is {"$typed": type, "at": offset of its bytes in the frame,
// "length": its element count}.

/** The WebSocket subprotocol of a client that takes (and sends) binary frames. */
export const WIRE_BINARY_PROTOCOL = 'vglab.wire.binary.v1';

const MAGIC = [0x56, 0x47, 0x57, 0x31]; // "VGW1"
const HEADER_BYTES = 8;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Whether `value` holds a typed array anywhere (only those messages gain from a binary frame). */
export function hasTypedArrays(value: unknown): boolean {
  if (typedName(value) !== null) return true;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (hasTypedArrays(v)) return true;
  return false;
}

/** A binary frame of `value` (see above); its typed arrays' bytes are copied once, never base64-encoded. */
export function encodeWireBinary(value: unknown): Uint8Array {
  if (!LITTLE_ENDIAN_HOST) throw new Error('the wire format needs a little-endian host');
  const arrays: AnyTyped[] = [];
  const at: number[] = [];
  let bytes = 0;
  // Offsets from the start of the array section; the JSON's length, unknown yet, is added on reading.
  const json = JSON.stringify(value, (_key, v: unknown) => {
    const name = typedName(v);
    if (name === null) return v;
    const a = v as AnyTyped;
    arrays.push(a);
    at.push(bytes);
    bytes = align8(bytes + a.byteLength);
    return { $typed: name, at: at[at.length - 1], length: a.length };
  });
  const text = utf8.encode(json);
  const base = align8(HEADER_BYTES + text.length);
  const frame = new Uint8Array(base + bytes);
  frame.set(MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, text.length, true);
  frame.set(text, HEADER_BYTES);
  arrays.forEach((a, k) => frame.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), base + at[k]));
  return frame;
}

/**
 * The value encodeWireBinary wrote. Typed arrays are views on the frame's buffer
 * where their bytes are aligned for their type (always in a browser's ArrayBuffer),
 * else copies. Throws on a frame that is not one, or a reference outside it.
 */
export function decodeWireBinary(data: ArrayBuffer | Uint8Array): unknown {
  const frame = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (frame.length < HEADER_BYTES || MAGIC.some((b, i) => frame[i] !== b)) throw new Error('not a lab message frame');
  const jsonBytes = new DataView(frame.buffer, frame.byteOffset, HEADER_BYTES).getUint32(4, true);
  if (HEADER_BYTES + jsonBytes > frame.length) throw new Error(`the frame's JSON runs past its end (${jsonBytes} bytes)`);
  const base = align8(HEADER_BYTES + jsonBytes);
  const text = utf8Decoder.decode(frame.subarray(HEADER_BYTES, HEADER_BYTES + jsonBytes));
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || !('$typed' in v)) return v;
    const { $typed, at, length } = v as { $typed: unknown; at: unknown; length: unknown };
    if (typeof $typed !== 'string' || !Object.hasOwn(TYPED, $typed) || !Number.isSafeInteger(at) || !Number.isSafeInteger(length)) {
      throw new Error('a typed array in the message is malformed');
    }
    const Ctor = TYPED[$typed as TypedName];
    const start = base + (at as number);
    const size = (length as number) * Ctor.BYTES_PER_ELEMENT;
    if ((at as number) < 0 || (length as number) < 0 || start + size > frame.length) {
      throw new Error(`a ${$typed} array of ${length as number} values at ${at as number} lies outside the frame`);
    }
    const offset = frame.byteOffset + start;
    if (offset % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(frame.buffer as ArrayBuffer, offset, length as number);
    return new Ctor(frame.slice(start, start + size).buffer);
  });
}

/**
 * `value` in the form a peer gets it: a binary frame when the peer takes them
 * (`binary`) and the value holds typed arrays, else JSON text (smaller and readable
 * when there are no arrays to carry).
 */
export function encodeWireMessage(value: unknown, binary: boolean): string | Uint8Array {
  return binary && hasTypedArrays(value) ? encodeWireBinary(value) : encodeWire(value);
}

/** A message in either form: JSON text, or a binary frame. */
export function decodeWireMessage(data: string | ArrayBuffer | Uint8Array): unknown {
  return typeof data === 'string' ? decodeWire(data) : decodeWireBinary(data);
}

// ---- the messages of a duplex transport ---------------------------------------------------

/** Client -> server: call `method` with `params`; `id` pairs the reply. */
export const wireRequestSchema = z.strictObject({
  type: z.literal('invoke'),
  id: z.number().int().min(0),
  method: z.string().max(100),
  params: z.unknown(),
});
export type WireRequest = z.output<typeof wireRequestSchema>;

const errorPayload = z.strictObject({ code: z.enum(LAB_ERROR_CODES), message: z.string() });

/** Server -> client: a reply to request `id`, or an event. */
export type WireMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: LabErrorPayload }
  | { type: 'event'; event: string; payload: unknown };

export const wireMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('result'), id: z.number().int(), result: z.unknown() }),
  z.strictObject({ type: z.literal('error'), id: z.number().int(), error: errorPayload }),
  z.strictObject({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
