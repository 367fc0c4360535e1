/**
 * The browser-mode server's secret: whoever holds it can drive the lab (open files,
 * train, export), so it is as strong as a key and compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes: 256 bits, twice the 128 a guess-proof secret needs. */
export const TOKEN_BYTES = 32;
/** A given token must carry at least 128 bits too: 22 base64url characters. */
export const MIN_TOKEN_LENGTH = 22;

export class WeakTokenError extends Error {
  override name = 'WeakTokenError';
}

/** A fresh token, base64url (URL- and cookie-safe, no padding). */
export function newAccessToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Refuses a caller-chosen token that is short or would need escaping in a URL or cookie. */
export function checkAccessToken(token: string): string {
  if (token.length < MIN_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new WeakTokenError(`the access token must be at least ${MIN_TOKEN_LENGTH} base64url characters`);
  }
  return token;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * A predicate that tells whether a presented token is `expected`. Both sides are
 * hashed first so timingSafeEqual always compares 32 bytes: neither the time nor an
 * exception reveals how long the real token is or how much of a guess matched.
 */
export function tokenMatcher(expected: string): (presented: string | null | undefined) => boolean {
  const want = digest(expected);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), want);
}

/**
 * The cookie that carries the token after the first page load. Cookies ignore ports,
 * so the name holds the port: two servers on one machine keep separate cookies.
 */
export function tokenCookieName(port: number): string {
  return `vglab_token_${port}`;
}

/** The value of cookie `name` in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Set-Cookie for the token: not readable by scripts, never sent from another site. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
