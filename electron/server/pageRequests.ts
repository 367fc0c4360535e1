/**
 * The HTTP side of the browser-mode server: every request passes checkAccess, then
 * only GET and HEAD of files under the static folder are answered.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { tokenCookie } from './accessToken.ts';
import { checkAccess, splitTarget, type AccessPolicy } from './requestAccess.ts';
import { baseHeaders, pageHeaders } from './securityHeaders.ts';
import { lookupStaticFile, notBuiltPage } from './staticFiles.ts';

export interface PageServing {
  policy: AccessPolicy;
  staticDir: string;
  /** The token (for the cookie the first page load sets). */
  token: string;
  /** Where unexpected errors go (a file that vanished mid-read, say). */
  log: (line: string) => void;
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...baseHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(text)),
    ...extra,
  });
  res.end(text);
}

/** The request listener of the server's HTTP side. */
export function pageRequestHandler(serving: PageServing): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(serving, req, res).catch((e: unknown) => {
      serving.log(`vglab serve: ${req.method} ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error.');
      else res.destroy();
    });
  };
}

async function handle(serving: PageServing, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const access = checkAccess(req, serving.policy, 'http');
  if (!access.ok) return sendText(res, access.status, access.message);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendText(res, 405, 'Method not allowed: this server only serves files.', { Allow: 'GET, HEAD' });
  }
  // The first page load brings ?token=; the cookie lets its assets and WebSocket follow.
  const cookie: Record<string, string> = access.tokenFromQuery ? { 'Set-Cookie': tokenCookie(serving.policy.port, serving.token) } : {};
  const found = await lookupStaticFile(serving.staticDir, splitTarget(req.url).path);
  if (found.kind === 'not-found') return sendText(res, 404, 'Not found.', cookie);
  if (found.kind === 'not-built') {
    const page = notBuiltPage(serving.staticDir);
    res.writeHead(503, {
      ...pageHeaders(access.host, true),
      ...cookie,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(page)),
    });
    res.end(req.method === 'HEAD' ? undefined : page);
    return;
  }
  res.writeHead(200, {
    ...pageHeaders(access.host, found.contentType.startsWith('text/html')),
    ...cookie,
    'Content-Type': found.contentType,
    'Content-Length': String(found.size),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const file = createReadStream(found.path);
    file.on('error', reject);
    res.on('close', () => {
      file.destroy();
      resolve();
    });
    file.pipe(res);
  });
}
