/**
 * Browser mode: the lab's UI in any browser, served from this machine. One HTTP
 * server hands out the built renderer and upgrades to one WebSocket per page, which
 * carries the LabApi (labSockets.ts). Every request and upgrade passes the same
 * gate (requestAccess.ts): right Host, right Origin, right token.
 *
 *   const server = await startLabServer({ backend: service, staticDir: 'out/renderer' });
 *   console.log(`${server.url}?token=${server.token}`);
 *   ...
 *   await server.close();
 *
 * The WebSocket is accepted on any path (the page may use ws://host:port/ or /ws);
 * it authenticates with the cookie the page load set, or ?token=.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { WebSocketServer } from 'ws';

import type { LabBackend } from '../service/labBackend.ts';
import { checkAccessToken, newAccessToken, tokenMatcher } from './accessToken.ts';
import { LabSocketHub } from './labSockets.ts';
import { pageRequestHandler } from './pageRequests.ts';
import { checkAccess, type AccessPolicy } from './requestAccess.ts';
import { baseHeaders } from './securityHeaders.ts';

/** The largest WebSocket message a client may send: room for an uploaded project with traces. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 2 ** 20;
/** Unsent bytes a client may fall behind by before it is disconnected (several seconds of traces). */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 2 ** 20;

export interface LabServerOptions {
  backend: LabBackend;
  /** The address to listen on: loopback by default; '0.0.0.0' for a classroom LAN. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (Vite output). */
  staticDir: string;
  /** A fixed token (at least 128 bits, base64url); a fresh random one by default. */
  token?: string;
  maxMessageBytes?: number;
  maxBufferedBytes?: number;
  /** Where the server reports unexpected errors; stderr by default. */
  log?: (line: string) => void;
}

export interface LabServer {
  /** http://host:port/ of the bound address (IPv6 in brackets); add ?token= to open it. */
  url: string;
  token: string;
  port: number;
  /** The bound address, as the operating system reports it. */
  host: string;
  /** Closes every WebSocket and connection and stops listening; leaves the backend to its owner. */
  close(): Promise<void>;
}

const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' } as const;

function refuseUpgrade(socket: Duplex, status: keyof typeof REASONS, message: string): void {
  const reason = REASONS[status];
  const headers = Object.entries({ ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${headers}Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}

/** Starts listening; resolves once bound (rejects with the listen error, e.g. EADDRINUSE). */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const token = options.token === undefined ? newAccessToken() : checkAccessToken(options.token);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const policy: AccessPolicy = { address: bound.address, port: bound.port, tokenMatches: tokenMatcher(token) };

  server.on('request', pageRequestHandler({ policy, staticDir: options.staticDir, token, log }));

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES });
  const hub = new LabSocketHub(wss, options.backend, { maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES, log });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const access = checkAccess(req, policy, 'websocket');
    if (!access.ok) return refuseUpgrade(socket, access.status, access.message);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const urlHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${bound.port}/`,
    token,
    port: bound.port,
    host: bound.address,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Idle keep-alive connections would hold server.close() open.
        server.closeAllConnections();
        hub.dispose();
        await clientsClosed(wss, CLOSE_GRACE_MS);
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        await stopped;
      })();
      return closing;
    },
  };
}

/** How long close() lets clients answer the close frame before it cuts them off. */
const CLOSE_GRACE_MS = 1000;

/** Resolves when every client has closed, or after `ms`. */
function clientsClosed(wss: WebSocketServer, ms: number): Promise<void> {
  const pending = [...wss.clients].map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([Promise.all(pending).then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
