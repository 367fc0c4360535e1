// The browser-mode transport against a real WebSocket server speaking
// core/api/wire.ts: calls and their results (typed arrays intact), errors as
// LabErrors, events, and what happens when the connection drops and returns.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';

import { LabError } from '../../../core/api/labApi.ts';
import { decodeWire, decodeWireBinary, encodeWire, encodeWireBinary, WIRE_BINARY_PROTOCOL, type WireRequest } from '../../../core/api/wire.ts';
import type { ConnectionState, LabTransport } from '../../../renderer/src/api/transport.ts';
import { createWsClient, labSocketUrl, parseServerMessage, type SocketLike } from '../../../renderer/src/api/wsClient.ts';

type Reply = (req: WireRequest, socket: WebSocket) => void;

let server: WebSocketServer | null = null;
let client: LabTransport | null = null;

async function startServer(reply: Reply, port = 0): Promise<{ url: string; server: WebSocketServer }> {
  const s = new WebSocketServer({ port, host: '127.0.0.1' });
  await once(s, 'listening');
  s.on('connection', (socket) => {
    socket.on('message', (data) => reply(decodeWire(String(data)) as WireRequest, socket));
  });
  server = s;
  return { url: `ws://127.0.0.1:${(s.address() as AddressInfo).port}/ws`, server: s };
}

function connect(url: string): SocketLike {
  return new WebSocket(url) as unknown as SocketLike;
}

async function stopServer(s: WebSocketServer): Promise<void> {
  for (const c of s.clients) c.terminate();
  await new Promise<void>((resolve) => s.close(() => resolve()));
}

function waitFor(c: LabTransport, state: ConnectionState): Promise<void> {
  if (c.connection === state) return Promise.resolve();
  return new Promise((resolve) => {
    const off = c.onConnection((s) => {
      if (s === state) {
        off();
        resolve();
      }
    });
  });
}

afterEach(async () => {
  client?.close();
  client = null;
  if (server) await stopServer(server);
  server = null;
});

describe('wsClient', () => {
  it('sends an invoke message and resolves with the result, typed arrays intact', async () => {
    const seen: WireRequest[] = [];
    const { url } = await startServer((req, socket) => {
      seen.push(req);
      const result = { runId: 'r1', stepsDone: 3, traces: { loss: new Float32Array([0.5, 0.25, 1e-30]) } };
      socket.send(encodeWire({ type: 'result', id: req.id, result }));
    });
    client = createWsClient({ url, connect });
    const result = (await client.invoke('runs.traces', { runId: 'r1' })) as unknown as {
      traces: { loss: Float32Array };
    };
    expect(seen).toEqual([{ type: 'invoke', id: 1, method: 'runs.traces', params: { runId: 'r1' } }]);
    expect(result.traces.loss).toBeInstanceOf(Float32Array);
    expect(Array.from(result.traces.loss)).toEqual([0.5, 0.25, Math.fround(1e-30)]);
  });

  it('asks for binary frames, reads typed arrays from them, and sends its own typed arrays in one', async () => {
    const s = new WebSocketServer({ port: 0, host: '127.0.0.1' }); // takes the first subprotocol offered
    await once(s, 'listening');
    server = s;
    const seen: { binary: boolean; req: WireRequest; protocol: string }[] = [];
    s.on('connection', (socket) => {
      socket.on('message', (data: Buffer, isBinary) => {
        const req = (isBinary ? decodeWireBinary(data) : decodeWire(String(data))) as WireRequest;
        seen.push({ binary: isBinary, req, protocol: socket.protocol });
        const result = { runId: 'r1', traces: { loss: new Float32Array([0.5, Number.NaN, 1e-30]) } };
        socket.send(encodeWireBinary({ type: 'result', id: req.id, result }));
      });
    });
    const url = `ws://127.0.0.1:${(s.address() as AddressInfo).port}/ws`;
    client = createWsClient({ url, connect: (u, protocols) => new WebSocket(u, protocols) as unknown as SocketLike });
    const result = (await client.invoke('runs.traces', { runId: 'r1' })) as unknown as { traces: { loss: Float32Array } };
    expect(result.traces.loss).toBeInstanceOf(Float32Array);
    expect(Array.from(result.traces.loss)).toEqual([0.5, Number.NaN, Math.fround(1e-30)]);
    const x = new Float32Array([1, 2, 3, 4]);
    await client.invoke('runs.predict', { runId: 'r1', x, rows: 2 });
    expect(seen.map((m) => [m.protocol, m.binary, m.req.method])).toEqual([
      [WIRE_BINARY_PROTOCOL, false, 'runs.traces'], // no typed arrays: text
      [WIRE_BINARY_PROTOCOL, true, 'runs.predict'],
    ]);
    expect(Array.from((seen[1].req.params as { x: Float32Array }).x)).toEqual([1, 2, 3, 4]);
  });

  it('rejects with a LabError carrying the code and message the server sent', async () => {
    const { url } = await startServer((req, socket) =>
      socket.send(encodeWire({ type: 'error', id: req.id, error: { code: 'not-found', message: 'no run "x"' } })),
    );
    client = createWsClient({ url, connect });
    const err = await client.invoke('runs.start', { runId: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect(err).toMatchObject({ code: 'not-found', message: 'no run "x"' });
  });

  it('pairs replies to requests by id, whatever order they come back in', async () => {
    const held: { req: WireRequest; socket: WebSocket }[] = [];
    const { url } = await startServer((req, socket) => {
      held.push({ req, socket });
      if (held.length === 2) for (const h of held.reverse()) h.socket.send(encodeWire({ type: 'result', id: h.req.id, result: h.req.method }));
    });
    client = createWsClient({ url, connect });
    const [a, b] = await Promise.all([client.invoke('app.info', {}), client.invoke('runs.list', {})]);
    expect([a, b]).toEqual(['app.info', 'runs.list']);
  });

  it('delivers events to the listeners of that event only, and stops after unsubscribe', async () => {
    const { url, server: s } = await startServer(() => {});
    client = createWsClient({ url, connect });
    await waitFor(client, 'open');
    const got: unknown[] = [];
    const off = client.on('run.updated', (run) => got.push(run.id));
    client.on('runs.changed', () => got.push('wrong stream'));
    const push = (payload: unknown) => {
      for (const c of s.clients) c.send(encodeWire({ type: 'event', event: 'run.updated', payload }));
    };
    push({ id: 'r1' });
    await expect.poll(() => got).toEqual(['r1']);
    off();
    push({ id: 'r2' });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(['r1']);
  });

  it('reports a drop as disconnected, fails calls in flight at once, and reconnects', async () => {
    const { url, server: s } = await startServer(() => {
      /* never answers */
    });
    const port = Number(new URL(url).port);
    client = createWsClient({ url, connect, retryDelays: [20] });
    const states: ConnectionState[] = [];
    client.onConnection((st) => states.push(st));
    await waitFor(client, 'open');
    const inFlight = client.invoke('project.get', {}).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 30));
    await stopServer(s);
    server = null;
    const err = await inFlight;
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('io');
    expect((err as LabError).message).toMatch(/connection to the lab was lost/);
    await waitFor(client, 'disconnected');

    // The server comes back on the same port: the client finds it and calls work again.
    await startServer((req, socket) => socket.send(encodeWire({ type: 'result', id: req.id, result: 'back' })), port);
    await waitFor(client, 'open');
    expect(await client.invoke('app.info', {})).toBe('back');
    expect(states).toContain('disconnected');
    expect(states.at(-1)).toBe('open');
  });

  it('sends calls made while connecting once the socket opens', async () => {
    const { url } = await startServer((req, socket) => socket.send(encodeWire({ type: 'result', id: req.id, result: req.method })));
    client = createWsClient({ url, connect });
    expect(client.connection).toBe('connecting');
    expect(await client.invoke('project.examples', {})).toBe('project.examples');
  });
});

describe('parseServerMessage', () => {
  it('ignores text that is not a wire message instead of throwing', () => {
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'surprise' }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'result', id: 1, result: 2 }))).toEqual({ type: 'result', id: 1, result: 2 });
  });
});

describe('labSocketUrl', () => {
  it('is /ws on the page origin with the token, wss under https', () => {
    expect(labSocketUrl({ protocol: 'http:', host: '127.0.0.1:5174' }, 'a b')).toBe('ws://127.0.0.1:5174/ws?token=a%20b');
    expect(labSocketUrl({ protocol: 'https:', host: 'lab.example' }, null)).toBe('wss://lab.example/ws');
  });
});
