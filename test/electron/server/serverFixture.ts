// A browser-mode server over the real LabService for tests: a temp data folder, a
// temp static folder holding a tiny "built renderer" (index.html, one asset), a
// secret file beside that folder and a symlink pointing out to it, plus raw HTTP
// and WebSocket helpers that can forge any header.
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import WebSocket from 'ws';

import { startLabServer, type LabServer, type LabServerOptions } from '../../../electron/server/labServer.ts';
import { LabService } from '../../../electron/service/labService.ts';

export const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body>lab</body></html>';
export const APP_JS = 'console.log("the lab");';
export const SECRET = 'the secret outside the static folder';

export interface ServerFixture {
  server: LabServer;
  service: LabService;
  /** The temp folder: static/ (served), secret.txt (must never be served), data/. */
  root: string;
  staticDir: string;
  /** host:port as a browser on this machine would write it. */
  hostHeader: string;
  origin: string;
  close(): Promise<void>;
}

export async function startFixture(extra: Partial<LabServerOptions> = {}, withIndex = true): Promise<ServerFixture> {
  const root = mkdtempSync(join(tmpdir(), 'vglab-server-'));
  const staticDir = join(root, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  if (withIndex) writeFileSync(join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(staticDir, 'assets', 'app.js'), APP_JS);
  writeFileSync(join(staticDir, '.env'), SECRET);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(staticDir, 'assets', 'link-out.txt'));
  symlinkSync(root, join(staticDir, 'up'));
  mkdirSync(join(root, 'data'));
  const service = new LabService({ mode: 'browser', dataDir: join(root, 'data') });
  const server = await startLabServer({ backend: service, staticDir, log: () => {}, ...extra });
  const hostHeader = `127.0.0.1:${server.port}`;
  return {
    server,
    service,
    root,
    staticDir,
    hostHeader,
    origin: `http://${hostHeader}`,
    async close() {
      await server.close();
      await service.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET (or `method`) of a raw request target, sent exactly as written, with any headers (Host included). */
export function rawRequest(
  port: number,
  target: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** How a WebSocket attempt ended: open, or refused with an HTTP status. */
export type SocketAttempt = { opened: true; ws: WebSocket } | { opened: false; status: number; body: string };

/** Opens ws://127.0.0.1:port + target with the given headers (Origin, Host, Cookie). */
export function connectSocket(port: number, target: string, headers: Record<string, string>, origin?: string): Promise<SocketAttempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${target}`, { headers, ...(origin === undefined ? {} : { origin }) });
    ws.once('open', () => resolve({ opened: true, ws }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ opened: false, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    ws.once('error', reject);
  });
}

/** Every decoded message a socket receives, and a way to wait for a particular one. */
export class MessageLog {
  readonly messages: unknown[] = [];
  private waiters: { match: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];

  constructor(ws: WebSocket, decode: (text: string) => unknown) {
    ws.on('message', (data) => {
      const m = decode(data.toString());
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => !(w.match(m) && (w.resolve(m), true)));
    });
  }

  /** The first message (already received or still to come) that `match` accepts. */
  next(match: (m: unknown) => boolean, timeoutMs = 10_000): Promise<unknown> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** The reply to request `id`. */
  reply(id: number): Promise<unknown> {
    return this.next((m) => typeof m === 'object' && m !== null && (m as { id?: unknown }).id === id && (m as { type?: unknown }).type !== 'event');
  }
}
