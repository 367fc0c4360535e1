/**
 * Starts the real browser-mode server (`vglab serve --port 0`) for UI tests and
 * reads the one line it prints: "Lab ready at http://127.0.0.1:PORT/?token=TOKEN".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface LabServer {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** More for `vglab serve`: options after `serve --port 0`, and variables added to its environment. */
export interface LabServerExtras {
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts the server with a fresh data folder (no recent files or autosaves of other runs), removed on stop.
 * `staticDir`: the built renderer to serve (default: out/renderer).
 */
export function startLabServer(timeoutMs = 60_000, staticDir?: string, extras: LabServerExtras = {}): Promise<LabServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vglab-ui-'));
  const args = ['bin/vglab.mjs', 'serve', '--port', '0', ...(staticDir ? ['--static', staticDir] : []), ...(extras.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...extras.env, VGLAB_DATA_DIR: dataDir },
  });
  let out = '';
  const output = () => out;
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dataDir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`vglab serve printed no "Lab ready at" line within ${timeoutMs} ms; it wrote:\n${out}`));
    }, timeoutMs);
    const onData = (data: Buffer) => {
      out += data.toString();
      const m = /Lab ready at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`vglab serve exited (${code ?? signal}) before it was ready; it wrote:\n${out}`));
    });
  });
}
