/**
 * The WebSocket side of the browser-mode server: each message is one LabApi call
 * ({type:'invoke', id, method, params}, core/api/wire.ts) answered by one 'result'
 * or 'error' message with the same id; every backend event goes to every client as
 * {type:'event', event, payload}. Bad input gets an error reply, never a crash or a
 * silent drop.
 *
 * Messages are JSON text. A client that opened the socket with the subprotocol
 * WIRE_BINARY_PROTOCOL (the page does) gets the messages that carry typed arrays
 * (traces, data previews) as binary frames instead, which it reads without decoding
 * base64, and may send such frames itself; any other client sees text only.
 *
 * Trace events are never dropped or merged here: the service already limits them to
 * about 30 messages a second per run. A client whose unsent data still piles up past
 * `maxBufferedBytes` (a stalled tab, a dead network) is disconnected with a reason
 * instead, so one stuck client cannot grow the server's memory without bound; the
 * page reconnects and fetches the full traces with runs.traces.
 */
import type { WebSocket, WebSocketServer } from 'ws';

import { isLabMethod, LabError, toLabErrorPayload, type LabEventListener } from '../../core/api/labApi.ts';
import { decodeWireMessage, encodeWire, encodeWireMessage, WIRE_BINARY_PROTOCOL, wireRequestSchema, type WireMessage } from '../../core/api/wire.ts';
import type { LabBackend } from '../service/labBackend.ts';

/** The id of an error reply to a message too malformed to carry its own id. */
export const NO_REQUEST_ID = -1;

/** Close codes (RFC 6455 section 7.4 and the IANA registry). */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_TRY_AGAIN_LATER = 1013;

export interface LabSocketOptions {
  /** Unsent bytes a client may have queued before it is disconnected. */
  maxBufferedBytes: number;
  log: (line: string) => void;
}

/** Connects accepted WebSockets to a backend; `dispose` unsubscribes and closes them all. */
export class LabSocketHub {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly wss: WebSocketServer,
    private readonly backend: LabBackend,
    private readonly options: LabSocketOptions,
  ) {
    this.unsubscribe = backend.subscribe(this.broadcast);
    wss.on('connection', (ws) => this.attach(ws));
  }

  /** Sends one event to every client, encoded once per form. Never throws into the service's emitter. */
  private readonly broadcast: LabEventListener = (event, payload) => {
    const frames = new Frames({ type: 'event', event, payload });
    for (const ws of this.wss.clients) {
      let data: string | Uint8Array;
      try {
        data = frames.for(ws);
      } catch (e) {
        this.options.log(`vglab serve: cannot encode the ${event} event: ${(e as Error).message}`);
        return;
      }
      this.send(ws, data);
    }
  };

  private attach(ws: WebSocket): void {
    ws.on('message', (data, isBinary) => {
      if (isBinary && !takesBinary(ws)) {
        return this.reply(ws, errorReply(NO_REQUEST_ID, 'messages must be JSON text, not binary frames'));
      }
      void this.answer(ws, isBinary ? frameBytes(data) : data.toString());
    });
    ws.on('error', (e) => this.options.log(`vglab serve: a WebSocket failed: ${e.message}`));
  }

  /** Decodes, validates and runs one request; always replies exactly once. */
  private async answer(ws: WebSocket, data: string | Uint8Array): Promise<void> {
    let message: unknown;
    try {
      message = decodeWireMessage(data);
    } catch (e) {
      const what = typeof data === 'string' ? 'not valid JSON' : 'not a valid frame';
      return this.reply(ws, errorReply(NO_REQUEST_ID, `the message is ${what}: ${(e as Error).message}`));
    }
    const request = wireRequestSchema.safeParse(message);
    if (!request.success) {
      const id = idOf(message);
      const fields = request.error.issues.map((i) => `${i.path.map(String).join('.') || 'message'}: ${i.message}`);
      return this.reply(ws, errorReply(id, `not a LabApi request (${fields.join('; ')})`));
    }
    const { id, method, params } = request.data;
    if (!isLabMethod(method)) return this.reply(ws, errorReply(id, `unknown method "${method}"`));
    let reply: WireMessage;
    try {
      reply = { type: 'result', id, result: await this.backend.dispatch(method, params) };
    } catch (e) {
      reply = { type: 'error', id, error: toLabErrorPayload(e) };
    }
    this.reply(ws, reply);
  }

  private reply(ws: WebSocket, message: WireMessage): void {
    let data: string | Uint8Array;
    try {
      data = new Frames(message).for(ws);
    } catch (e) {
      const id = message.type === 'event' ? NO_REQUEST_ID : message.id;
      data = encodeWire({ type: 'error', id, error: toLabErrorPayload(new LabError('internal', `cannot encode the reply: ${(e as Error).message}`)) });
    }
    this.send(ws, data);
  }

  private send(ws: WebSocket, data: string | Uint8Array): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.options.maxBufferedBytes) {
      const mib = Math.round(this.options.maxBufferedBytes / 2 ** 20);
      // A close reason must fit in 123 bytes.
      ws.close(CLOSE_TRY_AGAIN_LATER, `too slow: over ${mib} MiB of lab messages unsent; reconnect to resync`);
      return;
    }
    ws.send(data, { binary: typeof data !== 'string' });
  }

  /** Stops listening to the backend and closes every client (the server is shutting down). */
  dispose(): void {
    this.unsubscribe();
    for (const ws of this.wss.clients) ws.close(CLOSE_GOING_AWAY, 'the lab server is shutting down');
  }
}

/** Whether the client asked for binary frames (the subprotocol it opened the socket with). */
function takesBinary(ws: WebSocket): boolean {
  return ws.protocol === WIRE_BINARY_PROTOCOL;
}

/** The bytes of a binary message as `ws` hands them over (a Buffer, or its fragments). */
function frameBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** One message in the form each client takes (encodeWireMessage), each form encoded at most once. */
class Frames {
  private readonly forms = new Map<boolean, string | Uint8Array>();

  constructor(private readonly message: WireMessage) {}

  for(ws: WebSocket): string | Uint8Array {
    const binary = takesBinary(ws);
    let data = this.forms.get(binary);
    if (data === undefined) this.forms.set(binary, (data = encodeWireMessage(this.message, binary)));
    return data;
  }
}

function errorReply(id: number, message: string): WireMessage {
  return { type: 'error', id, error: { code: 'invalid-input', message } };
}

/** The id of a malformed request when it has a usable one, so the client can still pair the error. */
function idOf(message: unknown): number {
  if (message === null || typeof message !== 'object') return NO_REQUEST_ID;
  const id = (message as { id?: unknown }).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : NO_REQUEST_ID;
}
