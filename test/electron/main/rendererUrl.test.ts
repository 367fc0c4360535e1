// Which page counts as our renderer.
import { describe, expect, it } from 'vitest';

import { createRendererUrlPolicy } from '../../../electron/main/rendererUrl.ts';

const built = createRendererUrlPolicy({});

describe('a built app trusts only its own index.html on the app scheme', () => {
  it('loads vglab-app://app/index.html, never a file URL', () => {
    expect(built.entryUrl).toBe('vglab-app://app/index.html');
    expect(built.devOrigin).toBeNull();
  });

  it.each([
    'vglab-app://app/index.html',
    'vglab-app://app/index.html#/train',
    'vglab-app://app/index.html?run=3',
    'vglab-app://app/',
    'VGLAB-APP://APP/index.html',
  ])('trusts %s', (url) => {
    expect(built.isTrustedRendererUrl(url)).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:5173/',
    // The page's old home: any file:// page shares its origin with every local file.
    'file:///opt/vglab/resources/app.asar/out/renderer/index.html',
    'file:///etc/passwd',
    'vglab-app://app/report.html',
    'vglab-app://app/assets/index.js',
    'vglab-app://app/./index.html',
    'vglab-app://app/x/../index.html',
    'vglab-app://app/%2e/index.html',
    'vglab-app://other/index.html',
    'vglab-app://app.evil.example/index.html',
    'vglab-app://user@app/index.html',
    'vglab-app://app:80/index.html',
    'vglab-app:app/index.html',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(built.isTrustedRendererUrl(url)).toBe(false);
  });
});

describe('development with the Vite dev server', () => {
  const dev = createRendererUrlPolicy({ devServerUrl: 'http://localhost:5173/' });

  it('loads and trusts the dev server origin', () => {
    expect(dev.entryUrl).toBe('http://localhost:5173/');
    expect(dev.devOrigin).toBe('http://localhost:5173');
    expect(dev.isTrustedRendererUrl('http://localhost:5173/src/main.ts')).toBe(true);
  });

  it('not other ports or hosts', () => {
    expect(dev.isTrustedRendererUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isTrustedRendererUrl('http://127.0.0.1:5173/')).toBe(false);
    expect(dev.isTrustedRendererUrl('https://localhost:5173/')).toBe(false);
    expect(dev.isTrustedRendererUrl('not a url')).toBe(false);
  });

  it('a dev server elsewhere than this machine is a configuration error', () => {
    expect(() => createRendererUrlPolicy({ devServerUrl: 'http://192.168.1.5:5173' })).toThrow(/this machine/);
    expect(() => createRendererUrlPolicy({ devServerUrl: 'ftp://localhost:21' })).toThrow();
  });
});
