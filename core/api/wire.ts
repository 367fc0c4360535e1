// LabApi messages as JSON text, for transports that cannot structured-clone (the
// browser-mode WebSocket). Typed arrays become {"$typed": type, "base64": ...} of
// their little-endian bytes, so traces cross exactly and compactly; Electron's
// IPC and the engine host's channel clone typed arrays natively and skip this.
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
