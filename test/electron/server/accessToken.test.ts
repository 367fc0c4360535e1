// The server's secret: long enough that guessing is hopeless, compared without leaking
// how much of a guess matched, carried in a cookie scripts cannot read.
import { describe, expect, it } from 'vitest';

import {
  checkAccessToken,
  newAccessToken,
  readCookie,
  tokenCookie,
  tokenCookieName,
  tokenMatcher,
  WeakTokenError,
} from '../../../electron/server/accessToken.ts';

describe('access token', () => {
  it('carries at least 128 bits: 32 random bytes in base64url', () => {
    const token = newAccessToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
  });

  it('is fresh every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, newAccessToken));
    expect(tokens.size).toBe(100);
  });

  it('matches only the exact token, whatever the length of a wrong one', () => {
    const token = newAccessToken();
    const matches = tokenMatcher(token);
    expect(matches(token)).toBe(true);
    const sameLength = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    expect(matches(sameLength)).toBe(false);
    expect(matches(token.slice(0, -1))).toBe(false);
    expect(matches(`${token}x`)).toBe(false);
    expect(matches('')).toBe(false);
    expect(matches(null)).toBe(false);
    expect(matches(undefined)).toBe(false);
  });

  it('refuses a chosen token that is short or not base64url', () => {
    expect(() => checkAccessToken('short')).toThrow(WeakTokenError);
    expect(() => checkAccessToken('a'.repeat(21))).toThrow(WeakTokenError);
    expect(() => checkAccessToken(`${'a'.repeat(30)};x`)).toThrow(WeakTokenError);
    expect(checkAccessToken('a'.repeat(22))).toBe('a'.repeat(22));
  });

  it('sets an HttpOnly, SameSite=Strict cookie named after the port', () => {
    expect(tokenCookie(5173, 'abc')).toBe('vglab_token_5173=abc; HttpOnly; SameSite=Strict; Path=/');
    expect(tokenCookieName(1)).not.toBe(tokenCookieName(2));
  });

  it('reads its cookie among others', () => {
    expect(readCookie('a=1; vglab_token_80=tok; b=2', 'vglab_token_80')).toBe('tok');
    expect(readCookie('xvglab_token_80=tok', 'vglab_token_80')).toBeNull();
    expect(readCookie(undefined, 'vglab_token_80')).toBeNull();
  });
});
