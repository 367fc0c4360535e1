// The Host and Origin rules that stop DNS rebinding and cross-site pages.
import { describe, expect, it } from 'vitest';

import { hostAllowed, originAllowed, parseHostHeader } from '../../../electron/server/hostPolicy.ts';

describe('parseHostHeader', () => {
  it.each([
    ['127.0.0.1:8080', { hostname: '127.0.0.1', port: 8080 }],
    ['LocalHost:1', { hostname: 'localhost', port: 1 }],
    ['[::1]:8080', { hostname: '::1', port: 8080 }],
    ['example.org', { hostname: 'example.org', port: 80 }],
  ])('reads %s', (header, parsed) => expect(parseHostHeader(header)).toEqual(parsed));

  it.each(['', ':8080', '[::1', '[evil]:80', '127.0.0.1:', '127.0.0.1:80x', 'a b:80', 'host:123456', 'user@host:80'])(
    'refuses %j',
    (header) => expect(parseHostHeader(header)).toBeNull(),
  );
});

describe('hostAllowed', () => {
  const PORT = 4321;
  it.each([
    ['127.0.0.1', `127.0.0.1:${PORT}`, true],
    ['127.0.0.1', `localhost:${PORT}`, true],
    ['127.0.0.1', `[::1]:${PORT}`, true],
    ['127.0.0.1', `127.0.0.1:${PORT + 1}`, false],
    ['127.0.0.1', '127.0.0.1', false],
    ['127.0.0.1', `evil.example:${PORT}`, false],
    ['127.0.0.1', `192.168.1.5:${PORT}`, false],
    ['127.0.0.1', `localhost.:${PORT}`, false],
    ['::1', `[::1]:${PORT}`, true],
    ['::1', `localhost:${PORT}`, true],
    ['0.0.0.0', `192.168.1.5:${PORT}`, true],
    ['0.0.0.0', `127.0.0.1:${PORT}`, true],
    ['0.0.0.0', `localhost:${PORT}`, true],
    ['0.0.0.0', `[fe80::1]:${PORT}`, true],
    ['0.0.0.0', `evil.example:${PORT}`, false],
    ['0.0.0.0', `classroom-pc:${PORT}`, false],
    ['0.0.0.0', `192.168.1.5:${PORT + 1}`, false],
    ['::', `10.0.0.2:${PORT}`, true],
    ['192.168.1.5', `192.168.1.5:${PORT}`, true],
    ['192.168.1.5', `127.0.0.1:${PORT}`, false],
    ['192.168.1.5', `evil.example:${PORT}`, false],
  ])('bound to %s: Host %s -> %s', (bound, header, allowed) => {
    expect(hostAllowed(bound, PORT, header)).toBe(allowed);
  });

  it('refuses a missing Host', () => expect(hostAllowed('127.0.0.1', PORT, undefined)).toBe(false));
});

describe('originAllowed', () => {
  it('accepts exactly http://<Host>', () => {
    expect(originAllowed('http://127.0.0.1:4321', '127.0.0.1:4321')).toBe(true);
    expect(originAllowed('http://localhost:4321', 'LOCALHOST:4321')).toBe(true);
  });

  it.each([undefined, 'null', 'http://evil.example', 'https://127.0.0.1:4321', 'http://127.0.0.1:4322', 'http://localhost:4321'])(
    'refuses Origin %j for Host 127.0.0.1:4321',
    (origin) => expect(originAllowed(origin, '127.0.0.1:4321')).toBe(false),
  );
});
