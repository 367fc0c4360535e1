// Binary frames on the browser-mode server's WebSocket, over real loopback sockets
// and the real LabService: a client that opens the socket with WIRE_BINARY_PROTOCOL
// gets the replies that carry typed arrays as binary frames (the same values a text
// client gets as base64 JSON), everything else as text, and may send binary frames
// itself; a broken frame gets an error reply, not a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import {
  decodeWire,
  decodeWireBinary,
  encodeWire,
  encodeWireBinary,
  WIRE_BINARY_PROTOCOL,
} from '../../../core/api/wire.ts';
import { startFixture, type ServerFixture } from './serverFixture.ts';

let fx: ServerFixture;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await fx.close();
});

interface Received {
  binary: boolean;
  message: { type: string; id?: number; result?: unknown; error?: { code: string; message: string } };
}

/** A socket offering `protocols`, and the replies it receives by id (decoded as they came: text or frame). */
async function open(protocols: string[]): Promise<{ ws: WebSocket; reply: (id: number) => Promise<Received> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${fx.server.port}/?token=${fx.server.token}`, protocols, { origin: fx.origin });
  sockets.push(ws);
  const got: Received[] = [];
  const waiting: { id: number; resolve: (r: Received) => void }[] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    const message = (isBinary ? decodeWireBinary(data) : decodeWire(data.toString())) as Received['message'];
    const r = { binary: isBinary, message };
    got.push(r);
    for (const w of waiting.filter((x) => x.id === message.id)) w.resolve(r);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    ws,
    reply: (id) => {
      const seen = got.find((r) => r.message.id === id && r.message.type !== 'event');
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ id, resolve }));
    },
  };
}

const PREVIEW = { dataset: { name: 'spiral', options: {} }, maxRows: 300 };

describe('binary frames', () => {
  it('are chosen by the client: the subprotocol is agreed only when it asks', async () => {
    expect((await open([WIRE_BINARY_PROTOCOL])).ws.protocol).toBe(WIRE_BINARY_PROTOCOL);
    expect((await open([])).ws.protocol).toBe('');
  });

  it('carry the replies with typed arrays, with the values a text client gets', async () => {
    const bin = await open([WIRE_BINARY_PROTOCOL]);
    const txt = await open([]);
    bin.ws.send(encodeWire({ type: 'invoke', id: 1, method: 'datasets.preview', params: PREVIEW }));
    txt.ws.send(encodeWire({ type: 'invoke', id: 1, method: 'datasets.preview', params: PREVIEW }));
    const [b, t] = await Promise.all([bin.reply(1), txt.reply(1)]);
    expect(b.binary).toBe(true);
    expect(t.binary).toBe(false);
    expect(b.message.type).toBe('result');
    const x = (b.message.result as { x: Float32Array }).x;
    expect(x).toBeInstanceOf(Float32Array);
    expect(x.length).toBeGreaterThan(0);
    expect(b.message).toEqual(t.message);
  });

  it('leave the replies without typed arrays as text', async () => {
    const bin = await open([WIRE_BINARY_PROTOCOL]);
    bin.ws.send(encodeWire({ type: 'invoke', id: 7, method: 'app.info', params: {} }));
    const r = await bin.reply(7);
    expect(r.binary).toBe(false);
    expect(r.message.type).toBe('result');
  });

  it('may carry a request: it is decoded, checked and answered under its own id', async () => {
    const bin = await open([WIRE_BINARY_PROTOCOL]);
    const x = new Float32Array([0.5, -1, 2, 3]);
    bin.ws.send(encodeWireBinary({ type: 'invoke', id: 3, method: 'runs.predict', params: { runId: 'no-such-run', x, rows: 2 } }));
    const r = await bin.reply(3);
    expect(r.message).toMatchObject({ type: 'error', id: 3, error: { code: 'not-found' } });
  });

  it('answer a broken frame with an error and stay connected', async () => {
    const bin = await open([WIRE_BINARY_PROTOCOL]);
    bin.ws.send(Buffer.from('VGW1\xff\xff\xff\x7f', 'latin1'), { binary: true });
    const broken = await bin.reply(-1);
    expect(broken.message).toMatchObject({ type: 'error', error: { code: 'invalid-input', message: expect.stringMatching(/not a valid frame/) } });
    bin.ws.send(encodeWire({ type: 'invoke', id: 8, method: 'app.info', params: {} }));
    expect((await bin.reply(8)).message.type).toBe('result');
  });
});
