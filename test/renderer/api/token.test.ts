// The access token is read once from the address, kept for this tab, and removed
// from the address bar and history.
import { describe, expect, it } from 'vitest';

import { readToken, type TokenEnv } from '../../../renderer/src/api/token.ts';

function env(search: string, stored: string | null = null) {
  const store = new Map<string, string>(stored ? [['vglab.token', stored]] : []);
  const replaced: string[] = [];
  const e: TokenEnv = {
    location: { search, pathname: '/', hash: '#x' },
    history: { state: null, replaceState: (_s, _t, url) => replaced.push(String(url)) },
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
  };
  return { e, store, replaced };
}

describe('readToken', () => {
  it('takes the token from the address, stores it and replaces the address without it', () => {
    const { e, store, replaced } = env('?token=abc&lang=en');
    expect(readToken(e)).toBe('abc');
    expect(store.get('vglab.token')).toBe('abc');
    expect(replaced).toEqual(['/?lang=en#x']);
  });

  it('falls back to the token this tab stored before (a reload after the address was cleaned)', () => {
    const { e, replaced } = env('', 'kept');
    expect(readToken(e)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('is null when there is none', () => {
    expect(readToken(env('').e)).toBeNull();
  });
});
