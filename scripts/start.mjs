#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here, the same lab in the
// browser when it cannot.
//
// Electron's binary is not in the npm package: it is downloaded the first time
// require('electron') runs, and that throws where the download is impossible
// (offline machines, blocked install scripts). So the lookup runs in a child
// process whose output and failure we keep to ourselves; when it fails we print
// one line and start `vglab serve`, opening the address it prints.
//
// Arguments after `npm start --` go to Electron (e.g. a .vglab file) or to
// `vglab serve` (e.g. --port 8080; .vglab files are dropped there).
//
// Environment:
//   VGLAB_BROWSER_MODE=1          browser mode even where Electron is installed
//   VGLAB_NO_OPEN=1               print the address, do not open a browser
//   VGLAB_SKIP_RENDERER_BUILD=1   do not build the renderer when out/renderer is missing
//   BROWSER                       the browser command to open the address with
//                                 (":"-separated list, "%s" stands for the address)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const READY = /^Lab ready at (http:\/\/\S+)/;
export const ELECTRON_MISSING_LINE =
  'Electron is not installed here (offline install); opening the lab in your browser instead.';

function main() {
  const args = process.argv.slice(2);
  if (!ensureRenderer()) return;
  const electron = process.env.VGLAB_BROWSER_MODE === '1' ? null : findElectron();
  if (electron) {
    runElectron(electron, args);
  } else {
    if (process.env.VGLAB_BROWSER_MODE !== '1') console.log(ELECTRON_MISSING_LINE);
    runBrowserMode(args.filter((a) => !a.toLowerCase().endsWith('.vglab')));
  }
}

/** Builds the renderer (Vite) when it has never been built; false when that failed. */
function ensureRenderer() {
  if (existsSync(join(root, 'out', 'renderer', 'index.html'))) return true;
  if (process.env.VGLAB_SKIP_RENDERER_BUILD === '1') return true;
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
  if (!scripts['build:renderer']) return true;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', 'build:renderer'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status === 0) return true;
  console.error('The user interface could not be built (npm run build:renderer failed).');
  process.exitCode = r.status ?? 1;
  return false;
}

/** The Electron executable, or null when it is not installed and cannot be fetched. */
function findElectron() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // A first download on a slow line may take a while; a hung one must not hang npm start.
    timeout: 10 * 60_000,
  });
  const path = probe.status === 0 ? probe.stdout.trim() : '';
  return path && existsSync(path) ? path : null;
}

function runElectron(electron, args) {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    process.exitCode = build.status ?? 1;
    return;
  }
  const env = { ...process.env };
  // Set by some tools (and inherited): it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron, ['.', ...args], { cwd: root, stdio: 'inherit', env });
  child.on('error', (e) => {
    console.error(`Electron could not start (${e.message}); opening the lab in your browser instead.`);
    runBrowserMode(args.filter((a) => !a.toLowerCase().endsWith('.vglab')));
  });
  relayExit(child);
}

function runBrowserMode(args) {
  const child = spawn(process.execPath, [join(root, 'bin', 'vglab.mjs'), 'serve', ...args], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  let opened = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    console.log(line);
    const ready = READY.exec(line);
    if (ready && !opened) {
      opened = true;
      if (process.env.VGLAB_NO_OPEN !== '1') openInBrowser(ready[1]);
    }
  });
  relayExit(child);
}

/** Our exit follows the child's; a SIGTERM to us reaches it. */
function relayExit(child) {
  // Ctrl-C at a terminal already signals the whole process group, the child
  // included; we only wait for it to finish closing.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 1 : 0));
  });
}

/**
 * The command that opens `url`: $BROWSER when set, else the platform's opener.
 * Returns [command, args] (exported for tests).
 */
export function openerCommand(url, platform = process.platform, env = process.env) {
  const browser = (env.BROWSER ?? '').split(delimiter).map((s) => s.trim()).find(Boolean);
  if (browser) {
    const words = browser.split(/\s+/);
    const withUrl = words.some((w) => w.includes('%s')) ? words.map((w) => w.replaceAll('%s', url)) : [...words, url];
    return [withUrl[0], withUrl.slice(1)];
  }
  if (platform === 'darwin') return ['open', [url]];
  // "start" is a cmd built-in; its first quoted argument is a window title.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replaceAll('&', '^&')]];
  return ['xdg-open', [url]];
}

function openInBrowser(url) {
  const [command, args] = openerCommand(url);
  try {
    const opener = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: command === 'cmd' });
    // No opener on this machine (a server, a container): the printed address is enough.
    opener.on('error', () => {});
    opener.unref();
  } catch {
    // As above.
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
