// Which page counts as our renderer.
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

import { createRendererUrlPolicy } from '../../../electron/main/rendererUrl.ts';

const index = '/opt/vglab/resources/app.asar/out/renderer/index.html';
const built = createRendererUrlPolicy({ indexHtmlPath: index }, 'linux');

describe('a built app trusts only its own index.html', () => {
  it('loads index.html by file URL', () => {
    expect(built.entryUrl).toBe(pathToFileURL(index).href);
    expect(built.devOrigin).toBeNull();
  });

  it.each([
    'file:///opt/vglab/resources/app.asar/out/renderer/index.html',
    'file:///opt/vglab/resources/app.asar/out/renderer/index.html#/train',
    'file:///opt/vglab/resources/app.asar/out/renderer/index.html?run=3',
    'file:///opt/vglab/resources/app.asar/out/renderer/./index.html',
  ])('trusts %s', (url) => {
    expect(built.isTrustedRendererUrl(url)).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:5173/',
    'file:///etc/passwd',
    'file:///opt/vglab/resources/app.asar/out/renderer/report.html',
    'file:///opt/vglab/resources/app.asar/out/renderer/index.html/../../x.html',
    'file://attacker/opt/vglab/resources/app.asar/out/renderer/index.html',
    'file:///OPT/vglab/resources/app.asar/out/renderer/index.html',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(built.isTrustedRendererUrl(url)).toBe(false);
  });
});

describe('development with the Vite dev server', () => {
  const dev = createRendererUrlPolicy({ indexHtmlPath: index, devServerUrl: 'http://localhost:5173/' }, 'linux');

  it('loads and trusts the dev server origin', () => {
    expect(dev.entryUrl).toBe('http://localhost:5173/');
    expect(dev.devOrigin).toBe('http://localhost:5173');
    expect(dev.isTrustedRendererUrl('http://localhost:5173/src/main.ts')).toBe(true);
  });

  it('not other ports or hosts', () => {
    expect(dev.isTrustedRendererUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isTrustedRendererUrl('http://127.0.0.1:5173/')).toBe(false);
    expect(dev.isTrustedRendererUrl('https://localhost:5173/')).toBe(false);
  });

  it('a dev server elsewhere than this machine is a configuration error', () => {
    expect(() => createRendererUrlPolicy({ indexHtmlPath: index, devServerUrl: 'http://192.168.1.5:5173' })).toThrow(/this machine/);
    expect(() => createRendererUrlPolicy({ indexHtmlPath: index, devServerUrl: 'ftp://localhost:21' })).toThrow();
  });
});
