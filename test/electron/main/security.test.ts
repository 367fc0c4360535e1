// CSP, external links, navigation, new windows, <webview> and permissions.
import { describe, expect, it } from 'vitest';

import { createRendererUrlPolicy } from '../../../electron/main/rendererUrl.ts';
import {
  contentSecurityPolicy,
  denyPermissionCheck,
  denyPermissionRequest,
  externalLinkTarget,
  hardenContents,
  withCsp,
  type HardenableContents,
} from '../../../electron/main/security.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('the Content-Security-Policy', () => {
  const csp = contentSecurityPolicy();
  const d = directives(csp);

  it('never allows eval or inline scripts', () => {
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('wasm-unsafe-eval');
    expect(d.get('script-src')).toEqual(["'self'"]);
  });

  it('names no remote origin (the lab works offline and loads nothing from the web)', () => {
    expect(csp).not.toMatch(/https?:|wss?:|\*/);
  });

  it('denies by default and closes plugins, frames, base and forms', () => {
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
  });

  it('in development adds only the loopback dev server (and its hot-reload socket) to connect-src', () => {
    const dev = contentSecurityPolicy({ devOrigin: 'http://localhost:5173' });
    expect(directives(dev).get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(directives(dev).get('script-src')).toEqual(["'self'"]);
    expect(dev).not.toContain('unsafe-eval');
  });

  it('replaces whatever policy a response carried', () => {
    const h = withCsp({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] }, csp);
    expect(h).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [csp] });
    expect(withCsp(undefined, csp)).toEqual({ 'Content-Security-Policy': [csp] });
  });
});

describe('links that may open in the system browser', () => {
  it.each([
    ['https://pytorch.org/docs/', 'https://pytorch.org/docs/'],
    ['http://example.org/a?b=c#d', 'http://example.org/a?b=c#d'],
  ])('%s', (url, expected) => {
    expect(externalLinkTarget(url)).toBe(expected);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'ms-msdt:/id',
    'https://user:pass@evil.example/',
    'https://trusted.example@evil.example/',
    'data:text/html,hi',
    `https://example.org/${'a'.repeat(3000)}`,
    'nonsense',
  ])('not %s', (url) => {
    expect(externalLinkTarget(url)).toBeNull();
  });
});

type Listener = (...args: never[]) => void;

class FakeContents implements HardenableContents {
  readonly listeners = new Map<string, Listener>();
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  on(event: string, listener: Listener): this {
    this.listeners.set(event, listener);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  /** Fires a navigation; true when it was prevented. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false;
    (this.listeners.get(event) as (e: { preventDefault(): void }, url: string) => void)({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

describe('hardened webContents', () => {
  const policy = createRendererUrlPolicy({});
  const setup = () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenContents(contents, policy, (url) => opened.push(url));
    return { contents, opened };
  };

  it('may reload our own page', () => {
    const { contents, opened } = setup();
    expect(contents.navigate('will-navigate', 'vglab-app://app/index.html')).toBe(false);
    expect(opened).toEqual([]);
  });

  it('a web link leaves for the system browser instead of replacing the lab', () => {
    const { contents, opened } = setup();
    expect(contents.navigate('will-navigate', 'https://en.wikipedia.org/wiki/Vanishing_gradient_problem')).toBe(true);
    expect(opened).toEqual(['https://en.wikipedia.org/wiki/Vanishing_gradient_problem']);
  });

  it('any other navigation or redirect is stopped and opens nothing', () => {
    const { contents, opened } = setup();
    expect(contents.navigate('will-navigate', 'file:///home/student/secret.html')).toBe(true);
    expect(contents.navigate('will-navigate', 'vglab-app://app/assets/logo.svg')).toBe(true);
    expect(contents.navigate('will-redirect', 'javascript:alert(1)')).toBe(true);
    expect(opened).toEqual([]);
  });

  it('never opens a new window; web links go to the system browser', () => {
    const { contents, opened } = setup();
    expect(contents.openHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'vglab-app://app/index.html' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.org/']);
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = setup();
    let prevented = false;
    (contents.listeners.get('will-attach-webview') as (e: { preventDefault(): void }) => void)({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen'])('%s is denied', (permission) => {
    let granted: boolean | undefined;
    denyPermissionRequest({}, permission, (g) => (granted = g));
    expect(granted).toBe(false);
    expect(denyPermissionCheck()).toBe(false);
  });
});
