// The browser-mode server's HTTP side over real loopback sockets: the page and its
// assets load with the token (in the query, then the cookie), and nothing loads
// without it, under a forged Host or Origin, or from outside the static folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { APP_JS, INDEX_HTML, rawRequest, SECRET, startFixture, type ServerFixture } from './serverFixture.ts';

let fx: ServerFixture;
let host: Record<string, string>;
let cookie: Record<string, string>;

beforeAll(async () => {
  fx = await startFixture();
  host = { Host: fx.hostHeader };
  cookie = { ...host, Cookie: `vglab_token_${fx.server.port}=${fx.server.token}` };
});
afterAll(() => fx.close());

describe('with the token', () => {
  it('serves index.html at / with ?token= and sets the HttpOnly, SameSite=Strict cookie', async () => {
    const r = await rawRequest(fx.server.port, `/?token=${fx.server.token}`, host);
    expect(r.status).toBe(200);
    expect(r.body).toBe(INDEX_HTML);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['set-cookie']).toEqual([`vglab_token_${fx.server.port}=${fx.server.token}; HttpOnly; SameSite=Strict; Path=/`]);
  });

  it('serves the page with a strict CSP and no caching', async () => {
    const r = await rawRequest(fx.server.port, `/?token=${fx.server.token}`, host);
    const csp = r.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain(`connect-src 'self' ws://${fx.hostHeader}`);
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('names the WebSocket in the CSP by the Host the page was loaded under', async () => {
    const r = await rawRequest(fx.server.port, `/?token=${fx.server.token}`, { Host: `localhost:${fx.server.port}` });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain(`ws://localhost:${fx.server.port}`);
  });

  it('serves an asset with the cookie alone, with its content type', async () => {
    const r = await rawRequest(fx.server.port, '/assets/app.js', cookie);
    expect(r.status).toBe(200);
    expect(r.body).toBe(APP_JS);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('follows the cookie flow: the Set-Cookie of the first load opens the assets', async () => {
    const first = await rawRequest(fx.server.port, `/?token=${fx.server.token}`, host);
    const setCookie = (first.headers['set-cookie'] as string[])[0].split(';')[0];
    const asset = await rawRequest(fx.server.port, '/assets/app.js', { ...host, Cookie: setCookie });
    expect(asset.status).toBe(200);
    expect(asset.body).toBe(APP_JS);
  });

  it('loads through fetch from the printed URL', async () => {
    const r = await fetch(`${fx.server.url}?token=${fx.server.token}`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(INDEX_HTML);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await rawRequest(fx.server.port, '/assets/app.js', cookie, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(APP_JS.length));
    expect(head.body).toBe('');
    const post = await rawRequest(fx.server.port, '/assets/app.js', cookie, 'POST');
    expect(post.status).toBe(405);
  });

  it('accepts a same-origin Origin header and refuses a foreign one', async () => {
    expect((await rawRequest(fx.server.port, '/assets/app.js', { ...cookie, Origin: fx.origin })).status).toBe(200);
    expect((await rawRequest(fx.server.port, '/assets/app.js', { ...cookie, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await rawRequest(fx.server.port, '/assets/app.js', { ...cookie, Origin: 'null' })).status).toBe(403);
  });

  it('answers a missing file with 404', async () => {
    expect((await rawRequest(fx.server.port, '/assets/missing.js', cookie)).status).toBe(404);
  });
});

describe('without the right token', () => {
  it('refuses a request with no token', async () => {
    for (const target of ['/', '/index.html', '/assets/app.js', '/nothing']) {
      const r = await rawRequest(fx.server.port, target, host);
      expect(r.status, target).toBe(401);
      expect(r.body).not.toContain('lab</body>');
    }
  });

  it('refuses a wrong token of the same length', async () => {
    const t = fx.server.token;
    const wrong = (t[0] === 'A' ? 'B' : 'A') + t.slice(1);
    const r = await rawRequest(fx.server.port, `/?token=${wrong}`, host);
    expect(r.status).toBe(401);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a wrong token of another length, in the query or the cookie', async () => {
    expect((await rawRequest(fx.server.port, `/?token=${fx.server.token.slice(0, 10)}`, host)).status).toBe(401);
    expect((await rawRequest(fx.server.port, `/?token=${fx.server.token}x`, host)).status).toBe(401);
    expect((await rawRequest(fx.server.port, '/', { ...host, Cookie: `vglab_token_${fx.server.port}=nope` })).status).toBe(401);
  });

  it('refuses a wrong token in the query even beside a good cookie', async () => {
    expect((await rawRequest(fx.server.port, '/?token=wrong', cookie)).status).toBe(401);
  });

  it("ignores another port's cookie", async () => {
    const other = { ...host, Cookie: `vglab_token_${fx.server.port + 1}=${fx.server.token}` };
    expect((await rawRequest(fx.server.port, '/', other)).status).toBe(401);
  });
});

describe('forged Host headers (DNS rebinding)', () => {
  it.each(['evil.example:PORT', '127.0.0.1:WRONG', '127.0.0.1', 'localhost.:PORT', '192.168.1.5:PORT'])('refuses Host %s even with the token', async (forged) => {
    const header = forged.replace('PORT', String(fx.server.port)).replace('WRONG', String(fx.server.port + 1));
    const r = await rawRequest(fx.server.port, `/?token=${fx.server.token}`, { Host: header });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/Host/);
  });

  it.each(['localhost:PORT', '[::1]:PORT'])('accepts the loopback name %s', async (name) => {
    const r = await rawRequest(fx.server.port, `/?token=${fx.server.token}`, { Host: name.replace('PORT', String(fx.server.port)) });
    expect(r.status).toBe(200);
  });
});

describe('path traversal never serves a file outside the static folder', () => {
  const attempts = [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/assets\\..\\..\\secret.txt',
    '/secret.txt%00.js',
    '//secret.txt',
    '/assets/link-out.txt',
    '/up/secret.txt',
    '/.env',
    '/%2eenv',
  ];
  it.each(attempts)('%s', async (target) => {
    const r = await rawRequest(fx.server.port, target, cookie);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain(SECRET);
  });

  it('an absolute path is read inside the static folder, not from the root', async () => {
    const absolute = `${fx.root}/secret.txt`;
    const r = await rawRequest(fx.server.port, absolute, cookie);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain(SECRET);
  });

  it('an absolute-form request target is refused', async () => {
    const r = await rawRequest(fx.server.port, `http://${fx.hostHeader}/../secret.txt`, cookie);
    expect(r.body).not.toContain(SECRET);
    expect(r.status).toBe(404);
  });
});

describe('a static folder without index.html', () => {
  it('shows a page that says how to build the renderer', async () => {
    const bare = await startFixture({}, false);
    try {
      const r = await rawRequest(bare.server.port, `/?token=${bare.server.token}`, { Host: bare.hostHeader });
      expect(r.status).toBe(503);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('npm run build:renderer');
      expect(r.body).not.toContain('<script');
      const noToken = await rawRequest(bare.server.port, '/', { Host: bare.hostHeader });
      expect(noToken.status).toBe(401);
    } finally {
      await bare.close();
    }
  });
});
