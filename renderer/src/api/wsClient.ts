/**
 * The LabClient of browser mode: core/api/wire.ts messages over one WebSocket to
 * the local server. The socket asks for binary frames (WIRE_BINARY_PROTOCOL), so
 * traces arrive as raw bytes the page views in place rather than base64 text it
 * must decode; text messages are read too. Calls made while (re)connecting wait for the socket; calls in
 * flight when it drops fail with a LabError('io') at once, so no button waits
 * forever. After a drop it reconnects with growing delays (0.5 s .. 5 s) and says
 * so through `connection`.
 */
import {
  fromLabErrorPayload,
  isLabEvent,
  LabError,
  type LabEvent,
  type LabEvents,
  type LabMethod,
  type LabParams,
  type LabResults,
} from '../../../core/api/labApi.ts';
import {
  decodeWireMessage,
  encodeWireMessage,
  WIRE_BINARY_PROTOCOL,
  wireMessageSchema,
  type WireMessage,
  type WireRequest,
} from '../../../core/api/wire.ts';
import { EventListeners } from './listeners.ts';
import type { ConnectionState, LabTransport } from './transport.ts';

/** The part of the browser's WebSocket this client uses (the `ws` package's client fits too, for tests). */
export interface SocketLike {
  readonly readyState: number;
  /** The subprotocol the server chose ('' for none). */
  readonly protocol?: string;
  /** 'arraybuffer' makes binary messages arrive as ArrayBuffers. */
  binaryType?: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsClientOptions {
  url: string;
  /** Makes a socket offering `protocols`; the global WebSocket by default. */
  connect?: (url: string, protocols: string[]) => SocketLike;
  /** Delays before each reconnect attempt (ms); the last one repeats. */
  retryDelays?: readonly number[];
}

const OPEN = 1;
const DEFAULT_RETRY_DELAYS = [500, 1000, 2000, 5000] as const;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  method: string;
}

/**
 * Parses one server message, JSON text or a binary frame; null (and a console
 * warning) when it is not a wire message.
 */
export function parseServerMessage(data: string | ArrayBuffer | Uint8Array): WireMessage | null {
  let value: unknown;
  try {
    value = decodeWireMessage(data);
  } catch (e) {
    console.warn(`the lab sent a message that is not ${typeof data === 'string' ? 'valid JSON' : 'a valid frame'}`, e);
    return null;
  }
  const parsed = wireMessageSchema.safeParse(value);
  if (!parsed.success) {
    console.warn('the lab sent a message of an unknown shape', parsed.error.issues);
    return null;
  }
  return parsed.data as WireMessage;
}

/**
 * An invoke request as `socket` takes it: a binary frame when the server agreed to
 * them and the params hold typed arrays, else JSON text.
 */
export function encodeRequest(request: WireRequest, binary = false): string | Uint8Array {
  return encodeWireMessage(request, binary);
}

function takesBinary(socket: SocketLike): boolean {
  return socket.protocol === WIRE_BINARY_PROTOCOL;
}

export function createWsClient(options: WsClientOptions): LabTransport {
  const connect = options.connect ?? ((url: string, protocols: string[]) => new WebSocket(url, protocols) as unknown as SocketLike);
  const delays = options.retryDelays ?? DEFAULT_RETRY_DELAYS;
  const listeners = new EventListeners();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  const pending = new Map<number, Pending>();
  /** Requests made while the socket was not open, sent on the next open. */
  let queue: WireRequest[] = [];
  let nextId = 1;
  let attempt = 0;
  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const l of [...connectionListeners]) l(next);
  }

  function failInFlight(): void {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(new LabError('io', `${p.method}: the connection to the lab was lost; try again when it is back`));
    }
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string' && !(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) return;
    const msg = parseServerMessage(data);
    if (!msg) return;
    if (msg.type === 'event') {
      if (isLabEvent(msg.event)) listeners.emit(msg.event, msg.payload);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.result);
    else p.reject(fromLabErrorPayload(msg.error));
  }

  /** Sends a request in the form the socket takes; one that cannot be encoded fails its call alone. */
  function send(s: SocketLike, request: WireRequest): void {
    let data: string | Uint8Array;
    try {
      data = encodeRequest(request, takesBinary(s));
    } catch (e) {
      const p = pending.get(request.id);
      pending.delete(request.id);
      p?.reject(new LabError('invalid-input', `${request.method}: the call cannot be sent (${(e as Error).message})`));
      return;
    }
    s.send(data);
  }

  function open(): void {
    if (closed) return;
    setState('connecting');
    const s = connect(options.url, [WIRE_BINARY_PROTOCOL]);
    s.binaryType = 'arraybuffer';
    socket = s;
    s.onopen = () => {
      attempt = 0;
      setState('open');
      const toSend = queue;
      queue = [];
      for (const request of toSend) send(s, request);
    };
    s.onmessage = (ev) => onMessage(ev.data);
    s.onerror = () => {
      // onclose follows and does the work; the browser already logs the reason.
    };
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      failInFlight();
      if (closed) return;
      setState('disconnected');
      const delay = delays[Math.min(attempt, delays.length - 1)];
      attempt++;
      retryTimer = setTimeout(open, delay);
    };
  }

  open();

  return {
    get connection() {
      return state;
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    invoke<M extends LabMethod>(method: M, params: LabParams<M>): Promise<LabResults[M]> {
      if (closed) return Promise.reject(new LabError('io', `${method}: the connection to the lab is closed`));
      const id = nextId++;
      const request: WireRequest = { type: 'invoke', id, method, params };
      return new Promise<LabResults[M]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
        if (socket && socket.readyState === OPEN) send(socket, request);
        else queue.push(request);
      });
    },
    on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
      return listeners.add(event, listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const s = socket;
      socket = null;
      failInFlight();
      queue = [];
      s?.close(1000, 'client closed');
    },
  };
}

/**
 * The server's WebSocket address for this page: same origin, path /ws, with the
 * token the page was opened with (see readToken).
 */
export function labSocketUrl(loc: Pick<Location, 'protocol' | 'host'>, token: string | null): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}://${loc.host}/ws${query}`;
}
