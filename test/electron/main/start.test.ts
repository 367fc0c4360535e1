// `npm start` on a machine without Electron's binary (this one, and CI): one line
// saying so, then the lab in browser mode. ELECTRON_OVERRIDE_DIST_PATH points the
// electron package at an empty folder, so the test means the same where Electron
// is installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const READY = /^Lab ready at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vglab-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Started {
  child: ChildProcess;
  lines: string[];
  url: string;
}

/** Runs `node scripts/start.mjs` until it prints the Lab ready line. */
function start(env: NodeJS.ProcessEnv): Promise<Started> {
  // `npm start -- --port 0`: arguments reach `vglab serve`; a free port keeps parallel runs apart.
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--port', '0'], {
    cwd: ROOT,
    env: {
      ...process.env,
      VGLAB_SKIP_RENDERER_BUILD: '1',
      VGLAB_DATA_DIR: tempDir(),
      ELECTRON_OVERRIDE_DIST_PATH: tempDir(),
      BROWSER: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "Lab ready" line; stdout: ${lines.join('\n')} stderr: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const m = READY.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, lines, url: m[1]! });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`start.mjs exited (${code}) before the lab was ready; stdout: ${lines.join('\n')} stderr: ${stderr}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function waitFor<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start without Electron', () => {
  it('says so in one line, serves the lab in browser mode, and stops on SIGTERM', async () => {
    const { child, lines } = await start({ VGLAB_NO_OPEN: '1' });
    expect(lines[0]).toBe('Electron is not installed here (offline install); opening the lab in your browser instead.');
    expect(lines.filter((l) => /electron/i.test(l))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(READY);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('opens the address with $BROWSER ("%s" marks where it goes)', async () => {
    const dir = tempDir();
    const opener = join(dir, 'opener.mjs');
    const record = join(dir, 'opened.json');
    writeFileSync(opener, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`);
    const { child, url } = await start({ BROWSER: `${process.execPath} ${opener} --new-window %s` });
    const opened = await waitFor(() => (existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as string[]) : undefined));
    expect(opened).toEqual(['--new-window', url]);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    await exited;
  });
});
