// `vglab serve` as a subprocess: one ready line in the exact format, a URL that works,
// a clean exit 0 on SIGTERM or SIGINT, and exit 1 with one line for bad options.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const VGLAB = join(ROOT, 'bin', 'vglab.mjs');
const READY = /^Lab ready at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})$/;

function tempDirs(): { staticDir: string; dataDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'vglab-serve-'));
  const staticDir = join(root, 'static');
  spawnSync('mkdir', ['-p', staticDir]);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>lab</title>');
  return { staticDir, dataDir: join(root, 'data') };
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

interface Served {
  child: ChildProcessWithoutNullStreams;
  firstLine: string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `vglab serve ARGS` and resolves with its first stdout line (rejects after 20 s). */
function serve(args: string[], dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, [VGLAB, 'serve', ...args], { env: { ...process.env, VGLAB_DATA_DIR: dataDir } });
  children.push(child);
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 20 s; stderr: ${err}`)), 20_000);
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolvePromise({ child, firstLine: out.slice(0, nl), stdout: () => out, exited });
      }
    });
    void exited.then(({ code }) => reject(new Error(`exited ${code} before the ready line; stderr: ${err}`)));
  });
}

describe('vglab serve', () => {
  it('prints the ready line, serves the page at that URL, and exits 0 on SIGTERM', async () => {
    const { staticDir, dataDir } = tempDirs();
    const started = Date.now();
    const s = await serve(['--port', '0', '--static', staticDir], dataDir);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(s.firstLine).toMatch(READY);
    const url = s.firstLine.slice('Lab ready at '.length);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>lab</title>');
    expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(401);
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.stdout()).toBe(`${s.firstLine}\n`);
  });

  it('exits 0 on SIGINT (Ctrl-C)', async () => {
    const { staticDir, dataDir } = tempDirs();
    const s = await serve(['--port', '0', '--static', staticDir], dataDir);
    expect(s.firstLine).toMatch(READY);
    s.child.kill('SIGINT');
    expect(await s.exited).toEqual({ code: 0, signal: null });
  });

  it('lists the loopback URL first when serving every network', async () => {
    const { staticDir, dataDir } = tempDirs();
    const s = await serve(['--host', '0.0.0.0', '--port', '0', '--static', staticDir], dataDir);
    expect(s.firstLine).toMatch(READY);
    expect((await fetch(s.firstLine.slice('Lab ready at '.length))).status).toBe(200);
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  });

  it.each([
    [['--port', 'eighty'], /--port: "eighty" is not a port number/],
    [['--port', '70000'], /--port: "70000"/],
    [['--port', '-1'], /--port/],
    [['--host', 'evil.example'], /--host: "evil.example" is not an IP address/],
    [['--static', '/nonexistent/vglab-renderer'], /--static: ".*" is not a folder/],
    [['--time-cap', 'soon'], /--time-cap: "soon" is not a number of minutes from 0 to 10080 \(0: no cap\)/],
    [['--time-cap', '-5'], /--time-cap: "-5"/],
  ])('exits 1 with one line for %j', (args, message) => {
    const { dataDir } = tempDirs();
    const r = spawnSync(process.execPath, [VGLAB, 'serve', ...args], { encoding: 'utf8', env: { ...process.env, VGLAB_DATA_DIR: dataDir } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('exits 1 with one line when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { staticDir, dataDir } = tempDirs();
      const r = spawnSync(process.execPath, [VGLAB, 'serve', '--port', String(port), '--static', staticDir], {
        encoding: 'utf8',
        env: { ...process.env, VGLAB_DATA_DIR: dataDir },
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`vglab: cannot listen on 127.0.0.1 port ${port}: it is already in use (--port 0 picks a free one)`);
    } finally {
      blocker.close();
    }
  });
});
