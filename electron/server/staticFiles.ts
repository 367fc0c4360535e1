/**
 * Serves the built renderer from one folder and never a byte from outside it. A
 * request path is refused before it touches the disk when it holds anything a
 * traversal needs: "..", ".", an encoded dot or slash (%2e, %2f), a backslash
 * (raw or %5c), NUL, ":" (a Windows drive) or an empty segment ("//etc"). What is
 * left is joined to the folder and followed through symlinks with realpath, and
 * the real file must still be inside the folder's real path.
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a raw (undecoded) request path names, relative to the static folder with
 * "/" separators ("/" is index.html), or null when the path is refused.
 */
export function relativeStaticPath(rawPath: string): string | null {
  if (!rawPath.startsWith('/')) return null;
  if (/%(2e|2f|5c|00)/i.test(rawPath) || rawPath.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded === '/') return 'index.html';
  const segments = decoded.slice(1).split('/');
  // A trailing slash names a folder: there is no listing to serve.
  const bad = (s: string): boolean => s === '' || s.startsWith('.') || /[\0\\:]/.test(s);
  if (segments.some(bad)) return null;
  return segments.join('/');
}

export type StaticLookup =
  | { kind: 'file'; path: string; size: number; contentType: string }
  /** Nothing there (or refused: a refusal looks the same, so probing learns nothing). */
  | { kind: 'not-found' }
  /** The folder has no index.html: the renderer has not been built. */
  | { kind: 'not-built' };

const isInside = (root: string, path: string): boolean => path.startsWith(root.endsWith(sep) ? root : root + sep);

/** Finds the file `rawPath` names under `staticDir`, following the rules above. */
export async function lookupStaticFile(staticDir: string, rawPath: string): Promise<StaticLookup> {
  const rel = relativeStaticPath(rawPath);
  let root: string;
  try {
    root = await realpath(staticDir);
  } catch {
    return rel === 'index.html' ? { kind: 'not-built' } : { kind: 'not-found' };
  }
  if (rel === null) return { kind: 'not-found' };
  const joined = join(root, ...rel.split('/'));
  if (!isInside(root, joined)) return { kind: 'not-found' };
  try {
    const real = await realpath(joined);
    const info = await stat(real);
    if (!isInside(root, real) || !info.isFile()) return { kind: 'not-found' };
    return { kind: 'file', path: real, size: info.size, contentType: contentTypeOf(real) };
  } catch {
    return rel === 'index.html' ? { kind: 'not-built' } : { kind: 'not-found' };
  }
}

/** The page shown at "/" when there is no built renderer: what to run, no script. */
export function notBuiltPage(staticDir: string): string {
  const escaped = staticDir.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Vanishing Gradient Lab: renderer not built</title></head>
<body>
<h1>The lab's user interface has not been built yet</h1>
<p>The server is running, but <code>${escaped}</code> holds no <code>index.html</code>.</p>
<p>Build it with <code>npm run build:renderer</code>, then reload this page (the token in the address stays valid while the server runs).</p>
</body>
</html>
`;
}
