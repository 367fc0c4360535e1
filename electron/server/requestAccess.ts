/**
 * The one gate every HTTP request and every WebSocket upgrade passes, in this order:
 * Host (DNS rebinding), Origin (cross-site pages), token (everyone else on the machine
 * or the LAN). The first failure decides the status and a short text.
 */
import type { IncomingMessage } from 'node:http';

import { readCookie, tokenCookieName } from './accessToken.ts';
import { hostAllowed, originAllowed } from './hostPolicy.ts';

export interface AccessPolicy {
  /** The address the server is bound to, as server.address() reports it. */
  address: string;
  port: number;
  /** Whether a presented token is the server's. */
  tokenMatches: (presented: string | null | undefined) => boolean;
}

export type AccessDecision =
  | {
      ok: true;
      /** The request's Host header, checked: the page's origin is http://<host>. */
      host: string;
      /** The token arrived in the query: the answer sets the cookie so later requests need not. */
      tokenFromQuery: boolean;
    }
  | { ok: false; status: 400 | 401 | 403; message: string };

/** The path and query of a request target, split without decoding or normalising. */
export function splitTarget(url: string | undefined): { path: string; query: URLSearchParams } {
  const target = url ?? '';
  const q = target.indexOf('?');
  return q < 0
    ? { path: target, query: new URLSearchParams() }
    : { path: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}

/**
 * Decides whether `req` may proceed. A WebSocket upgrade must carry an Origin (every
 * browser sends one); a plain request may omit it (a top-level navigation does) but
 * when present it must be ours. A token in the query, when present, decides alone:
 * a wrong one is refused even beside a good cookie, so a mistyped link fails loudly.
 */
export function checkAccess(req: IncomingMessage, policy: AccessPolicy, kind: 'http' | 'websocket'): AccessDecision {
  // Node keeps the first of several Host headers; a proxy in front may route by another. One only (RFC 9112, 3.2).
  if ((req.headersDistinct.host?.length ?? 0) > 1) {
    return { ok: false, status: 400, message: 'Bad request: more than one Host header.' };
  }
  const host = req.headers.host;
  if (host === undefined || !hostAllowed(policy.address, policy.port, host)) {
    return { ok: false, status: 403, message: 'Forbidden: this server does not answer to that Host name.' };
  }
  const origin = req.headers.origin;
  if ((kind === 'websocket' || origin !== undefined) && !originAllowed(origin, host)) {
    return { ok: false, status: 403, message: 'Forbidden: requests from another origin are refused.' };
  }
  const fromQuery = splitTarget(req.url).query.get('token');
  const presented = fromQuery ?? readCookie(req.headers.cookie, tokenCookieName(policy.port));
  if (presented === null) {
    return { ok: false, status: 401, message: 'Unauthorized: open the link with ?token= that `vglab serve` printed.' };
  }
  if (!policy.tokenMatches(presented)) {
    return { ok: false, status: 401, message: 'Unauthorized: the token is wrong (it changes every time the server starts).' };
  }
  return { ok: true, host, tokenFromQuery: fromQuery !== null };
}
