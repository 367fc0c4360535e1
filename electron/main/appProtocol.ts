/**
 * The app's own URL scheme, vglab-app://app/, which serves the built renderer
 * instead of file:// (Electron security checklist, item 18). A file:// page shares
 * its origin with every other local file and gets no response headers; this scheme
 * is one origin that holds our renderer folder and nothing else, and every response
 * carries the CSP as a header.
 *
 * main.ts registers the scheme (before 'ready') and hands each request to
 * resolveAppRequest, which decides everything without Electron: only GET and HEAD,
 * only the host "app", and only files that lookupStaticFile (the browser-mode
 * server's static-file rules: no "..", no encoded dots or slashes, realpath inside
 * the folder) finds in the renderer folder.
 */
import { lookupStaticFile } from '../server/staticFiles.ts';

export const APP_SCHEME = 'vglab-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the lab window loads in a built app. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The argument of protocol.registerSchemesAsPrivileged. standard: parsed like
 * http (an origin, relative URLs, 'self' in the CSP); secure: a secure context like
 * https. Nothing more: no CSP bypass, no CORS, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/** The answer to one request: a file to send (read by main.ts) or a short text. */
export type AppResponse =
  | { status: 200; headers: Record<string, string>; filePath: string }
  | { status: 404 | 405; headers: Record<string, string>; body: string };

/**
 * Resolves a request for vglab-app://app/PATH against `rendererDir`. The path is cut
 * from the URL text as sent, not from a parsed URL, so dot segments are refused by
 * the static-file rules rather than quietly resolved by a parser.
 */
export async function resolveAppRequest(request: { method: string; url: string }, rendererDir: string, csp: string): Promise<AppResponse> {
  const base = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': csp };
  const refuse = (status: 404 | 405, body: string): AppResponse => ({
    status,
    headers: { ...base, 'Content-Type': 'text/plain; charset=utf-8' },
    body,
  });
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'the app serves its files for reading only');
  const rawPath = appPathOf(request.url);
  if (rawPath === null) return refuse(404, 'not found');
  const found = await lookupStaticFile(rendererDir, rawPath);
  if (found.kind !== 'file') return refuse(404, found.kind === 'not-built' ? 'the renderer has not been built: run npm run build:renderer' : 'not found');
  // index.html names the hashed assets of the current build: never a stale copy.
  const cache = found.contentType.startsWith('text/html') ? 'no-store' : 'no-cache';
  return { status: 200, headers: { ...base, 'Content-Type': found.contentType, 'Cache-Control': cache }, filePath: found.path };
}

/** "/PATH" of a vglab-app://app/PATH URL (query and fragment dropped), or null for any other URL. */
export function appPathOf(url: string): string | null {
  const prefix = `${APP_ORIGIN}/`;
  // Exactly our origin: no user name, port or other host in front of the path.
  if (url.slice(0, prefix.length).toLowerCase() !== prefix) return null;
  const rest = url.slice(prefix.length - 1);
  const end = rest.search(/[?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}

/** True for our page: vglab-app://app/ or vglab-app://app/index.html, any query or fragment. */
export function isAppEntryUrl(url: string): boolean {
  const path = appPathOf(url);
  return path === '/' || path === '/index.html';
}
