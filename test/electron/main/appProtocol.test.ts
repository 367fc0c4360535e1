// vglab-app://app/: what each request gets from the renderer folder. A real folder
// on disk, with a secret beside it and symlinks that point out of it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, appPathOf, resolveAppRequest, type AppResponse } from '../../../electron/main/appProtocol.ts';

const CSP = "default-src 'none'; script-src 'self'";
let root: string;
let renderer: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vglab-app-protocol-'));
  renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(renderer, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'secret.txt'), 'not for the page');
  symlinkSync(join(root, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
  symlinkSync(root, join(renderer, 'up'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, method = 'GET'): Promise<AppResponse> => resolveAppRequest({ method, url }, renderer, CSP);

describe('the app scheme', () => {
  it('is registered as a standard, secure scheme with no CSP bypass and no CORS', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'vglab-app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    expect(APP_ENTRY_URL).toBe('vglab-app://app/index.html');
  });
});

describe('files of the renderer folder', () => {
  it.each([
    ['vglab-app://app/index.html', 'index.html', 'text/html; charset=utf-8', 'no-store'],
    ['vglab-app://app/', 'index.html', 'text/html; charset=utf-8', 'no-store'],
    ['vglab-app://app/index.html?run=3#/train', 'index.html', 'text/html; charset=utf-8', 'no-store'],
    ['vglab-app://app/assets/index-abc.js', 'assets/index-abc.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['vglab-app://app/assets/index-abc.css', 'assets/index-abc.css', 'text/css; charset=utf-8', 'no-cache'],
    ['vglab-app://app/assets/logo.svg', 'assets/logo.svg', 'image/svg+xml', 'no-cache'],
  ])('%s is %s as %s', async (url, file, type, cache) => {
    const r = await get(url);
    expect(r).toMatchObject({ status: 200, headers: { 'Content-Type': type, 'Cache-Control': cache } });
    expect('filePath' in r && r.filePath).toBe(join(renderer, ...file.split('/')));
  });

  it('every answer carries the CSP and nosniff, refusals too', async () => {
    for (const r of [await get(APP_ENTRY_URL), await get('vglab-app://app/missing.js'), await get(APP_ENTRY_URL, 'POST')]) {
      expect(r.headers['Content-Security-Policy']).toBe(CSP);
      expect(r.headers['X-Content-Type-Options']).toBe('nosniff');
    }
  });

  it('HEAD is answered like GET', async () => {
    expect(await get(APP_ENTRY_URL, 'HEAD')).toMatchObject({ status: 200 });
  });

  it('anything but reading is refused', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) expect(await get(APP_ENTRY_URL, method)).toMatchObject({ status: 405 });
  });
});

describe('nothing outside the folder, however the URL is written', () => {
  it.each([
    ['a parent folder', 'vglab-app://app/../secret.txt'],
    ['a parent folder further in', 'vglab-app://app/assets/../../secret.txt'],
    ['encoded dots', 'vglab-app://app/%2e%2e/secret.txt'],
    ['upper-case encoded dots', 'vglab-app://app/%2E%2E/secret.txt'],
    ['one encoded dot', 'vglab-app://app/.%2e/secret.txt'],
    ['an encoded slash', 'vglab-app://app/assets%2f..%2f..%2fsecret.txt'],
    ['a backslash', 'vglab-app://app/..\\secret.txt'],
    ['an encoded backslash', 'vglab-app://app/..%5csecret.txt'],
    ['a NUL', 'vglab-app://app/index.html%00.txt'],
    ['a symlinked file pointing out', 'vglab-app://app/assets/link.txt'],
    ['a symlinked folder pointing out', 'vglab-app://app/up/secret.txt'],
    ['an absolute path', 'vglab-app://app//etc/passwd'],
    ['a drive letter', 'vglab-app://app/C:/Windows/win.ini'],
    ['a dot file', 'vglab-app://app/.env'],
    ['a folder', 'vglab-app://app/assets/'],
    ['a missing file', 'vglab-app://app/nothing.js'],
    ['an unknown host', 'vglab-app://other/index.html'],
    ['a host that starts like ours', 'vglab-app://app.evil.example/index.html'],
    ['a user name', 'vglab-app://x@app/index.html'],
    ['a port', 'vglab-app://app:80/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['a web URL', 'https://app/index.html'],
  ])('%s: %s is not found', async (_name, url) => {
    const r = await get(url);
    expect(r).toMatchObject({ status: 404, body: 'not found' });
    expect('filePath' in r).toBe(false);
  });

  it('an unbuilt renderer says what to run', async () => {
    const r = await resolveAppRequest({ method: 'GET', url: APP_ENTRY_URL }, join(root, 'no-such-folder'), CSP);
    expect(r).toMatchObject({ status: 404, body: expect.stringMatching(/npm run build:renderer/) });
  });
});

describe('appPathOf', () => {
  it.each([
    ['vglab-app://app/', '/'],
    ['vglab-app://app/a/b.js?x=1', '/a/b.js'],
    ['vglab-app://app/a#b?c', '/a'],
    ['VGLAB-APP://APP/Index.html', '/Index.html'],
    ['vglab-app://app', null],
    ['vglab-app://apps/index.html', null],
  ])('%s -> %j', (url, path) => expect(appPathOf(url)).toBe(path));
});
