/**
 * Which page is "our renderer": the app's own index.html from disk, or (while
 * developing) the Vite dev server. The IPC guard, navigation rules and the CSP
 * all ask this one policy.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** Absolute path of the built renderer's index.html (out/renderer/index.html). */
  indexHtmlPath: string;
  /** The dev server (e.g. http://localhost:5173) when running from source; its origin is trusted too. */
  devServerUrl?: string | null;
}

export interface RendererUrlPolicy {
  /** The URL the window loads. */
  readonly entryUrl: string;
  /** The dev server's origin, or null in a built app. */
  readonly devOrigin: string | null;
  /** True only for our index.html (any query or hash) or the dev server's origin. */
  isTrustedRendererUrl(url: string): boolean;
}

export function createRendererUrlPolicy(location: RendererLocation, platform: NodeJS.Platform = process.platform): RendererUrlPolicy {
  const indexPath = normalizePath(resolve(location.indexHtmlPath), platform);
  const devOrigin = location.devServerUrl ? parseDevOrigin(location.devServerUrl) : null;
  return {
    entryUrl: devOrigin ? new URL(location.devServerUrl!).href : pathToFileURL(resolve(location.indexHtmlPath)).href,
    devOrigin,
    isTrustedRendererUrl(url: string): boolean {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return false;
      }
      if (u.protocol === 'file:') {
        // A file URL with a host (file://server/share) is a network path: never ours.
        if (u.host !== '') return false;
        let path: string;
        try {
          path = fileURLToPath(u);
        } catch {
          return false;
        }
        return normalizePath(path, platform) === indexPath;
      }
      return devOrigin !== null && u.origin === devOrigin;
    },
  };
}

/** Only a loopback http(s) dev server may be trusted: anything else is a misconfiguration. */
function parseDevOrigin(url: string): string {
  const u = new URL(url);
  const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !loopback) {
    throw new Error(`the renderer dev server must be on this machine (http://localhost:PORT), not ${u.origin}`);
  }
  return u.origin;
}

// Windows file systems ignore case; a differently cased URL is still our file.
function normalizePath(path: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? path.toLowerCase() : path;
}
