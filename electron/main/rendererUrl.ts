/**
 * Which page is "our renderer": the app's own index.html on its custom scheme
 * (vglab-app://app/, appProtocol.ts) or, while developing, the Vite dev server.
 * The IPC guard, navigation rules and the CSP all ask this one policy. No file://
 * page is ever ours: every local file shares that origin.
 */
import { APP_ENTRY_URL, isAppEntryUrl } from './appProtocol.ts';

export interface RendererLocation {
  /** The dev server (e.g. http://localhost:5173) when running from source; its origin is trusted instead. */
  devServerUrl?: string | null;
}

export interface RendererUrlPolicy {
  /** The URL the window loads. */
  readonly entryUrl: string;
  /** The dev server's origin, or null in a built app. */
  readonly devOrigin: string | null;
  /** True only for our index.html on the app scheme (any query or hash) or the dev server's origin. */
  isTrustedRendererUrl(url: string): boolean;
}

export function createRendererUrlPolicy(location: RendererLocation = {}): RendererUrlPolicy {
  const devOrigin = location.devServerUrl ? parseDevOrigin(location.devServerUrl) : null;
  return {
    entryUrl: devOrigin ? new URL(location.devServerUrl!).href : APP_ENTRY_URL,
    devOrigin,
    isTrustedRendererUrl(url: string): boolean {
      if (devOrigin === null) return isAppEntryUrl(url);
      try {
        return new URL(url).origin === devOrigin;
      } catch {
        return false;
      }
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
