/**
 * The window's security rules, as pure functions over small structural types so
 * they are tested without Electron: the Content-Security-Policy, what may open
 * in the system browser, and the handlers that deny navigation, new windows,
 * <webview> and every permission request.
 */
import type { RendererUrlPolicy } from './rendererUrl.ts';

/**
 * The CSP of the lab page. No 'unsafe-eval' and no remote origin anywhere: the
 * app works offline and runs no code it did not ship. Styles allow
 * 'unsafe-inline' because Vue Flow and ECharts position elements with style
 * attributes and Vite's dev server injects <style> tags; scripts do not.
 *
 * It reaches the page as a header twice over: the app scheme's responses carry it
 * (appProtocol.ts) and onHeadersReceived sets it on the dev server's. index.html
 * also holds it in a <meta> tag, a second layer that works in any host.
 */
export function contentSecurityPolicy(options: { devOrigin?: string | null } = {}): string {
  const dev = options.devOrigin ?? null;
  // Vite's hot reload talks to the dev server over a WebSocket on the same loopback port.
  const connect = dev ? ["'self'", dev, dev.replace(/^http/, 'ws')] : ["'self'"];
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': connect,
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** The response headers of a renderer request with our CSP set (replacing any the server sent). */
export function withCsp(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  // electronegativity-ignore: CSP_GLOBAL_CHECK — reviewed: default-src 'none', script-src 'self', no remote origin, no eval (test/electron/main/security.test.ts)
  out['Content-Security-Policy'] = [csp];
  return out;
}

/**
 * The URL to hand to the system browser, or null: only http(s), no user name or
 * password in it (a classic way to disguise a host), and of a sane length.
 */
export function externalLinkTarget(url: string): string | null {
  if (url.length > 2048) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.username !== '' || u.password !== '') return null;
  if (u.hostname === '') return null;
  return u.href;
}

/** The part of webContents the navigation rules hook into. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Applies the navigation rules to one webContents: it may not leave our page
 * (links to the web open in the system browser instead), open windows, or
 * attach a <webview>. `openExternal` is shell.openExternal.
 */
export function hardenContents(contents: HardenableContents, policy: RendererUrlPolicy, openExternal: (url: string) => void): void {
  const leave = (event: { preventDefault(): void }, url: string): void => {
    if (policy.isTrustedRendererUrl(url)) return;
    event.preventDefault();
    const target = externalLinkTarget(url);
    if (target) openExternal(target);
  };
  contents.on('will-navigate', leave);
  contents.on('will-redirect', leave);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const target = externalLinkTarget(url);
    if (target) openExternal(target);
    return { action: 'deny' };
  });
}

/** session.setPermissionRequestHandler: the lab needs no camera, location, notifications, ... */
export function denyPermissionRequest(_contents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** session.setPermissionCheckHandler: the same answer for synchronous checks. */
export function denyPermissionCheck(): boolean {
  return false;
}
