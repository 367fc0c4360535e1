// The browser-mode server's WebSocket side over real loopback sockets, against the
// real LabService: who may connect, one reply per request, errors for every kind of
// bad message, events to every client, and the limits that protect the server.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';

import { decodeWire, encodeWire } from '../../../core/api/wire.ts';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../../electron/server/labServer.ts';
import { connectSocket, MessageLog, startFixture, type ServerFixture, type SocketAttempt } from './serverFixture.ts';

const ROOT = resolve(__dirname, '..', '..', '..');

let fx: ServerFixture;
const opened: WebSocket[] = [];

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  for (const ws of opened) ws.terminate();
  await fx.close();
});

function tokenQuery(): string {
  return `/?token=${fx.server.token}`;
}

async function open(target = tokenQuery(), headers: Record<string, string> = {}): Promise<{ ws: WebSocket; log: MessageLog }> {
  const attempt = await connectSocket(fx.server.port, target, headers, fx.origin);
  if (!attempt.opened) throw new Error(`refused: ${attempt.status} ${attempt.body}`);
  opened.push(attempt.ws);
  return { ws: attempt.ws, log: new MessageLog(attempt.ws, decodeWire) };
}

/** `promise`, or a rejection naming the wait when it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms).unref())]);
}

function expectRefused(attempt: SocketAttempt, status: number): void {
  expect(attempt.opened).toBe(false);
  if (!attempt.opened) expect(attempt.status).toBe(status);
}

describe('who may connect', () => {
  it('accepts the token in the query with our Origin', async () => {
    const { ws } = await open();
    expect(ws.readyState).toBe(ws.OPEN);
  });

  it('accepts the cookie the page load set, on any path', async () => {
    const { ws } = await open('/ws', { Cookie: `vglab_token_${fx.server.port}=${fx.server.token}` });
    expect(ws.readyState).toBe(ws.OPEN);
  });

  it('refuses a foreign Origin', async () => {
    expectRefused(await connectSocket(fx.server.port, tokenQuery(), {}, 'http://evil.example'), 403);
  });

  it('refuses Origin: null (a sandboxed frame or a file: page)', async () => {
    expectRefused(await connectSocket(fx.server.port, tokenQuery(), {}, 'null'), 403);
  });

  it('refuses an upgrade without an Origin', async () => {
    expectRefused(await connectSocket(fx.server.port, tokenQuery(), {}), 403);
  });

  it('refuses an upgrade without the token', async () => {
    expectRefused(await connectSocket(fx.server.port, '/', {}, fx.origin), 401);
  });

  it('refuses a wrong token, of the same length or another', async () => {
    const t = fx.server.token;
    const sameLength = (t[0] === 'A' ? 'B' : 'A') + t.slice(1);
    expectRefused(await connectSocket(fx.server.port, `/?token=${sameLength}`, {}, fx.origin), 401);
    expectRefused(await connectSocket(fx.server.port, `/?token=${t}${t}`, {}, fx.origin), 401);
  });

  it('refuses a forged Host, even with a matching Origin', async () => {
    const evil = `evil.example:${fx.server.port}`;
    expectRefused(await connectSocket(fx.server.port, tokenQuery(), { Host: evil }, `http://${evil}`), 403);
    const wrongPort = `127.0.0.1:${fx.server.port + 1}`;
    expectRefused(await connectSocket(fx.server.port, tokenQuery(), { Host: wrongPort }, `http://${wrongPort}`), 403);
  });
});

describe('requests and replies', () => {
  let ws: WebSocket;
  let log: MessageLog;
  let nextId = 1;
  beforeAll(async () => ({ ws, log } = await open()));

  async function call(method: string, params: unknown): Promise<unknown> {
    const id = nextId++;
    ws.send(encodeWire({ type: 'invoke', id, method, params }));
    return log.reply(id);
  }

  it('answers app.info with the browser mode', async () => {
    const reply = (await call('app.info', {})) as { type: string; result: { mode: string; dialogs: boolean } };
    expect(reply.type).toBe('result');
    expect(reply.result.mode).toBe('browser');
    expect(reply.result.dialogs).toBe(false);
  });

  it('answers network.check of a valid network with its plan', async () => {
    const network = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'deep-sigmoid.json'), 'utf8')) as unknown;
    const reply = (await call('network.check', { network })) as { type: string; result: { ok: boolean } };
    expect(reply).toMatchObject({ type: 'result', result: { ok: true } });
  });

  it('answers network.check of an invalid network with a message naming the node', async () => {
    const network = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'deep-sigmoid.json'), 'utf8')) as {
      nodes: { id: string; params?: Record<string, unknown> }[];
    };
    network.nodes[1].params = { units: -3 };
    const reply = (await call('network.check', { network })) as {
      result: { ok: boolean; errors: { nodeId?: string; message: string }[] };
    };
    expect(reply.result.ok).toBe(false);
    expect(reply.result.errors[0].nodeId).toBe('d0');
    expect(reply.result.errors[0].message).toMatch(/"d0"/);
  });

  it('carries typed arrays exactly (datasets.preview)', async () => {
    const reply = (await call('datasets.preview', { dataset: { name: 'spiral' }, maxRows: 10 })) as {
      type: string;
      result: { x: unknown; y: unknown; rows: number; features: number };
    };
    expect(reply.type).toBe('result');
    expect(reply.result.x).toBeInstanceOf(Float32Array);
    expect((reply.result.x as Float32Array).length).toBe(reply.result.rows * reply.result.features);
  });

  it('answers invalid params with invalid-input naming the field', async () => {
    const reply = await call('datasets.preview', { dataset: { name: 'spiral' }, maxRows: 0 });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'invalid-input', message: expect.stringMatching(/maxRows/) } });
    const extra = await call('app.info', { surprise: true });
    expect(extra).toMatchObject({ type: 'error', error: { code: 'invalid-input' } });
  });

  it('answers an unknown method with an error naming it', async () => {
    const reply = await call('system.exec', { command: 'rm -rf /' });
    expect(reply).toMatchObject({ type: 'error', error: { code: 'invalid-input', message: expect.stringMatching(/unknown method "system.exec"/) } });
    const proto = await call('__proto__', {});
    expect(proto).toMatchObject({ type: 'error', error: { code: 'invalid-input' } });
  });

  it('answers malformed messages with an error and stays connected', async () => {
    ws.send('{ not json');
    expect(await log.reply(-1)).toMatchObject({ type: 'error', error: { code: 'invalid-input', message: expect.stringMatching(/not valid JSON/) } });
    ws.send(JSON.stringify({ type: 'invoke', id: 9001, method: 'app.info' , extra: 1 }));
    expect(await log.reply(9001)).toMatchObject({ type: 'error', error: { code: 'invalid-input' } });
    ws.send(JSON.stringify({ type: 'invoke', id: 'seven', method: 'app.info', params: {} }));
    ws.send(JSON.stringify([1, 2, 3]));
    ws.send('null');
    ws.send(JSON.stringify({ type: 'invoke', id: 9002, method: 'app.info', params: { $typed: 'float64', base64: '!!' } }));
    expect(await log.reply(-1)).toMatchObject({ type: 'error' });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    // Still alive and answering after all of that:
    const after = (await call('app.info', {})) as { type: string };
    expect(after.type).toBe('result');
    const errorsWithoutId = log.messages.filter((m) => (m as { id?: number }).id === -1);
    expect(errorsWithoutId.length).toBeGreaterThanOrEqual(5);
  });
});

describe('events', () => {
  it('pushes every backend event to every client', async () => {
    const a = await open();
    const b = await open();
    a.ws.send(encodeWire({ type: 'invoke', id: 1, method: 'project.new', params: { name: 'pushed' } }));
    expect(await a.log.reply(1)).toMatchObject({ type: 'result' });
    const isChange = (m: unknown): boolean => (m as { type?: string; event?: string }).event === 'project.changed';
    for (const log of [a.log, b.log]) {
      expect(await log.next(isChange)).toMatchObject({ type: 'event', event: 'project.changed', payload: { project: { name: 'pushed' } } });
    }
  });
});

describe('limits', () => {
  it('caps a message at 64 MiB by default', () => {
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(64 * 2 ** 20);
  });

  it('closes a client that sends a message over the cap (1009), and the server goes on', async () => {
    const small = await startFixture({ maxMessageBytes: 1024 });
    try {
      const attempt = await connectSocket(small.server.port, `/?token=${small.server.token}`, {}, small.origin);
      if (!attempt.opened) throw new Error('refused');
      const closed = new Promise<number>((res) => attempt.ws.once('close', (code) => res(code)));
      attempt.ws.send(encodeWire({ type: 'invoke', id: 1, method: 'network.check', params: { network: 'x'.repeat(4096) } }));
      expect(await closed).toBe(1009);
      const again = await connectSocket(small.server.port, `/?token=${small.server.token}`, {}, small.origin);
      expect(again.opened).toBe(true);
      if (again.opened) again.ws.terminate();
    } finally {
      await small.close();
    }
  });

  it('closes a client that stops reading once its unsent data passes the cap, with a reason', async () => {
    const tight = await startFixture({ maxBufferedBytes: 256 * 1024 });
    try {
      const attempt = await connectSocket(tight.server.port, `/?token=${tight.server.token}`, {}, tight.origin);
      if (!attempt.opened) throw new Error('refused');
      const ws = attempt.ws;
      const closed = new Promise<{ code: number; reason: string }>((res) =>
        ws.once('close', (code, reason) => res({ code, reason: reason.toString() })),
      );
      ws.pause();
      // Each reply is ~800 KB (50,000 rows): 60 of them overflow the kernel's socket buffers (a few MB).
      const dataset = { name: 'spiral', options: { n: 50_000 } };
      for (let id = 1; id <= 60; id++) {
        ws.send(encodeWire({ type: 'invoke', id, method: 'datasets.preview', params: { dataset, maxRows: 100_000 } }));
      }
      await new Promise((r) => setTimeout(r, 1500));
      ws.resume();
      const { code, reason } = await within(closed, 20_000);
      expect(code).toBe(1013);
      expect(reason).toMatch(/too slow/);
    } finally {
      await tight.close();
    }
  });
});

describe('closing the server', () => {
  it('closes its clients with "going away" and stops listening', async () => {
    const own = await startFixture();
    const attempt = await connectSocket(own.server.port, `/?token=${own.server.token}`, {}, own.origin);
    if (!attempt.opened) throw new Error('refused');
    const closed = new Promise<number>((res) => attempt.ws.once('close', (code) => res(code)));
    await own.close();
    expect(await closed).toBe(1001);
    await expect(fetch(`${own.server.url}?token=${own.server.token}`)).rejects.toThrow();
  });
});
