// Which request paths may reach the disk, and how they map into the static folder.
import { describe, expect, it } from 'vitest';

import { contentTypeOf, relativeStaticPath } from '../../../electron/server/staticFiles.ts';

describe('relativeStaticPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/index-abc123.js', 'assets/index-abc123.js'],
    ['/assets/my%20font.woff2', 'assets/my font.woff2'],
  ])('maps %s to %s', (raw, rel) => expect(relativeStaticPath(raw)).toBe(rel));

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/assets/app.js%00.html',
    '//etc/passwd',
    '/./index.html',
    '/.env',
    '/assets/',
    '/C:/Windows/win.ini',
    '/%E0%A4%A',
    'http://evil.example/index.html',
    '*',
  ])('refuses %j', (raw) => expect(relativeStaticPath(raw)).toBeNull());
});

describe('contentTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/app.JS', 'text/javascript; charset=utf-8'],
    ['assets/app.css', 'text/css; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['font.woff2', 'font/woff2'],
    ['blob.bin', 'application/octet-stream'],
  ])('%s is %s', (path, type) => expect(contentTypeOf(path)).toBe(type));
});
