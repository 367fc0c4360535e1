/**
 * Response headers for the built renderer (a Vite-built Vue app: every script is a
 * file, none inline). Built per request because connect-src names the WebSocket by
 * the Host the page was loaded under (localhost and 127.0.0.1 are different origins).
 */

/**
 * The page's Content-Security-Policy. style-src allows inline styles because Vue Flow
 * and ECharts position elements with style attributes; scripts stay 'self' only.
 * It matches the meta CSP of renderer/index.html (which the browser enforces as
 * well), plus connect-src naming the WebSocket for browsers whose 'self' omits ws:.
 */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src 'self' ws://${host}`,
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every response, refusals included. */
export function baseHeaders(): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    // The first URL carries the token; no link the page follows may pass it on.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** Headers of a served file (or the "not built" page) under an accepted Host. */
export function pageHeaders(host: string, isHtml: boolean): Record<string, string> {
  return {
    ...baseHeaders(),
    'Content-Security-Policy': contentSecurityPolicy(host),
    'Cross-Origin-Opener-Policy': 'same-origin',
    // index.html names the hashed assets of the current build, so it must never be
    // stale; the assets may be revalidated (they are small and local).
    'Cache-Control': isHtml ? 'no-store' : 'no-cache',
  };
}
