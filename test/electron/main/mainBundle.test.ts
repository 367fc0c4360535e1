// A smoke test of the bundled main process (out/electron/main.cjs, built into a
// temporary folder): run under Node with a stand-in for the 'electron' module
// (fixtures/fakeElectron.cjs), it must create the one hardened window, set up the
// CSP, permissions, menu and IPC, serve the page through the real LabService, and
// follow the project in the window title.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

interface Report {
  error?: string;
  windows: { webPreferences: Record<string, unknown> }[];
  loaded: string[];
  titles: string[];
  menu: string[] | null;
  handlers: string[];
  permissionRequestHandler: boolean;
  permissionCheckHandler: boolean;
  cspHeader: string[] | null;
  hardened: string[][];
  appInfo: unknown;
  foreign: unknown;
  newProject: unknown;
  forks: { path: string; serviceName: string }[];
  schemes: unknown[];
  protocolHandlers: string[];
  served: Record<string, { status: number; type: string | null; csp: string | null; body: string }>;
  run?: { state: string; stepsDone: number; error?: string };
}

let work: string;
let report: Report;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vglab-main-bundle-'));
  const outdir = join(work, 'out', 'electron');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-electron.mjs'), '--quiet', `--outdir=${outdir}`], { cwd: ROOT });
  // A renderer beside the bundle, as in the app, with a secret next to it and a symlink pointing at the secret.
  const renderer = join(work, 'out', 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>the lab</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("the lab")');
  writeFileSync(join(work, 'out', 'secret.txt'), 'the secret');
  symlinkSync(join(work, 'out', 'secret.txt'), join(renderer, 'leak.txt'));
  const stdout = execFileSync(
    process.execPath,
    ['--require', join(import.meta.dirname, 'fixtures', 'fakeElectron.cjs'), join(outdir, 'main.cjs')],
    {
      cwd: work,
      encoding: 'utf8',
      // As in a packaged app, the addon is found through VGLAB_ADDON.
      env: { ...process.env, VGLAB_ADDON: join(ROOT, 'out', 'native', 'Release', 'vglab.node'), VGLAB_DEV_SERVER_URL: '' },
      timeout: 30_000,
    },
  );
  report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the bundled main process, with Electron stood in', () => {
  it('starts without error', () => {
    expect(report.error).toBeUndefined();
  });

  it('opens one window, sandboxed, with the bundled preload', () => {
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]!.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preload: join(work, 'out', 'electron', 'preload.cjs'),
    });
    expect(report.hardened[0]).toEqual(['will-navigate', 'will-redirect', 'will-attach-webview']);
  });

  it('bundles a small preload: the method names, not the LabApi schemas (no zod)', () => {
    const preload = readFileSync(join(work, 'out', 'electron', 'preload.cjs'), 'utf8');
    expect(preload.length).toBeLessThan(16 * 1024);
    expect(preload).not.toMatch(/ZodError|\$ZodType/);
    expect(preload).toContain('"labs.exportReport"');
  });

  it('loads the built renderer on the app scheme', () => {
    expect(report.loaded).toEqual(['vglab-app://app/index.html']);
  });

  it('serves the renderer on vglab-app://app/ and nothing outside it', () => {
    expect(report.schemes).toEqual([{ scheme: 'vglab-app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(report.protocolHandlers).toEqual(['vglab-app']);
    const served = report.served;
    expect(served['vglab-app://app/index.html']).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>the lab</title>' });
    expect(served['vglab-app://app/index.html']!.csp).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(served['vglab-app://app/assets/app.js']).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    for (const url of ['vglab-app://app/../secret.txt', 'vglab-app://app/%2e%2e/secret.txt', 'vglab-app://app/leak.txt', 'vglab-app://other/index.html']) {
      expect(served[url], url).toMatchObject({ status: 404 });
      expect(served[url]!.body).not.toContain('the secret');
    }
  });

  it('denies permissions and sends the CSP', () => {
    expect(report.permissionRequestHandler).toBe(true);
    expect(report.permissionCheckHandler).toBe(true);
    expect(report.cspHeader?.[0]).toMatch(/^default-src 'none'; script-src 'self';/);
  });

  it('sets the menu', () => {
    expect(report.menu).toEqual(process.platform === 'darwin' ? expect.arrayContaining(['&File', '&Run']) : ['&File', '&Edit', '&View', '&Run', '&Help']);
  });

  it('answers our page through the real service, and only our page', () => {
    expect(report.handlers).toEqual(['lab:invoke']);
    expect(report.appInfo).toMatchObject({ ok: true, result: { mode: 'desktop', dialogs: true, version: '0.0.0-test' } });
    expect(report.foreign).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(report.newProject).toMatchObject({ ok: true, result: { project: { name: 'Smoke' } } });
  });

  it('trains a run in an engine host forked from the bundled host entry', () => {
    expect(report.forks[0]).toEqual({ path: join(work, 'out', 'electron', 'engineHost.cjs'), serviceName: 'Vanishing Gradient Lab engine' });
    expect(report.run).toMatchObject({ state: 'paused', stepsDone: 3 });
  });

  it('titles the window after the project, marking unsaved changes', () => {
    expect(report.titles[0]).toMatch(/ — Vanishing Gradient Lab$/);
    const mark = process.platform === 'darwin' ? '' : '• ';
    expect(report.titles.at(-1)).toBe(`${mark}Smoke edited — Vanishing Gradient Lab`);
  });
});
