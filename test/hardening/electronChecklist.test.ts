// Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security,
// items 1-20) against the main-process configuration. Most items are asserted where
// the code they concern is tested (test/electron/main, test/electron/ipc); this file
// adds what was missing there (the source of every window and preload, the second,
// hidden window of the PDF export, the page's own CSP, the Electron pin, a few more
// foreign IPC frames) and ends with one table mapping each item to the tests that
// assert it, checked against those files so the map cannot go stale.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LabReply } from '../../electron/ipc/channels.ts';
import { LAB_INVOKE_CHANNEL } from '../../electron/ipc/channels.ts';
import { registerLabIpc } from '../../electron/ipc/ipcAdapter.ts';
import { createRendererUrlPolicy } from '../../electron/main/rendererUrl.ts';
import { LabService } from '../../electron/service/labService.ts';
import { APP_FRAME, FakeIpcMain } from '../electron/ipc/fakeElectron.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

function sources(dir: string, ext = /\.(ts|vue|html)$/): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The object literal that starts at `from` in `text` (balanced braces). */
function objectLiteralAt(text: string, from: number): string {
  const start = text.indexOf('{', from);
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced braces');
}

const MAIN = read('electron/main/main.ts');

describe('every window the main process creates', () => {
  it('is either the lab window (labWindowOptions) or the hidden, scriptless print page', () => {
    const created = [...MAIN.matchAll(/new BrowserWindow\(/g)].map((m) => m.index!);
    expect(created).toHaveLength(2);
    expect(MAIN.slice(created[0]!, created[0]! + 200)).toMatch(/new BrowserWindow\(\s*labWindowOptions\(/);
  });

  it('#2-#4 the print page too has no Node, an isolated world, a sandbox, and no JavaScript at all', () => {
    const at = MAIN.indexOf('new BrowserWindow(', MAIN.indexOf('async function openPrintPage'));
    const options = objectLiteralAt(MAIN, at);
    expect(options).toMatch(/show:\s*false/);
    expect(options).toMatch(/sandbox:\s*true/);
    expect(options).toMatch(/contextIsolation:\s*true/);
    expect(options).toMatch(/nodeIntegration:\s*false/);
    expect(options).toMatch(/javascript:\s*false/);
    expect(options).not.toMatch(/preload|webSecurity|allowRunningInsecureContent|experimentalFeatures|BlinkFeatures|webviewTag/);
    // It shows the report file we just wrote, nothing from the web.
    expect(MAIN).toMatch(/await page\.loadFile\(htmlPath\)/);
  });
});

describe('no source of the app turns a protection off', () => {
  const dangerous: [string, RegExp][] = [
    ['#2 nodeIntegration: true', /nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/],
    ['#3 contextIsolation: false', /contextIsolation\s*:\s*false/],
    ['#4 sandbox: false', /sandbox\s*:\s*false/],
    ['#6 webSecurity: false', /webSecurity\s*:\s*false/],
    ['#8 allowRunningInsecureContent: true', /allowRunningInsecureContent\s*:\s*true/],
    ['#9 experimentalFeatures: true', /experimentalFeatures\s*:\s*true/],
    ['#10 enableBlinkFeatures', /enableBlinkFeatures/],
    ['#11 <webview allowpopups>', /allowpopups/i],
    ['#11 webviewTag: true', /webviewTag\s*:\s*true/],
    ['#20 the preload handing out ipcRenderer', /exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/],
  ];
  const files = [...sources('electron'), ...sources('renderer/src'), 'renderer/index.html'];
  it.each(dangerous)('%s appears nowhere in electron/ or renderer/', (_name, pattern) => {
    const hits = files.filter((f) => pattern.test(read(f)));
    expect(hits).toEqual([]);
  });
});

describe('#1 only secure content: the window loads only our own page', () => {
  it('loads nothing but the policy entry URL (the app scheme, or a loopback dev server that must be local)', () => {
    expect([...MAIN.matchAll(/\.loadURL\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['policy.entryUrl']);
    expect(createRendererUrlPolicy({}).entryUrl).toBe('vglab-app://app/index.html');
    expect(() => createRendererUrlPolicy({ devServerUrl: 'http://lab.example.org:5173' })).toThrow(/this machine/);
  });
});

describe('#18 a custom protocol instead of file://', () => {
  it('registers vglab-app as privileged at load time (before ready) and serves it with the resolver of appProtocol.ts', () => {
    // At the top level of main.ts, not inside a function that runs after 'ready'.
    expect(MAIN).toMatch(/^protocol\.registerSchemesAsPrivileged\(\[APP_SCHEME_PRIVILEGES\]\);$/m);
    expect(MAIN).toMatch(/protocol\.handle\(APP_SCHEME, \(request\) => serveAppFile\(request, csp\)\)/);
    const serve = MAIN.slice(MAIN.indexOf('async function serveAppFile'));
    expect(serve.slice(0, serve.indexOf('\n}\n'))).toMatch(/await resolveAppRequest\(request, rendererDir, csp\)/);
  });

  it('the lab window never loads a file: only the hidden print page does (a report file, JavaScript off)', () => {
    expect([...MAIN.matchAll(/\.loadFile\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['htmlPath']);
    expect(MAIN).not.toMatch(/pathToFileURL/);
  });
});

describe('#7 the page itself carries a Content-Security-Policy', () => {
  // The app scheme sends the policy as a header too (appProtocol.ts); this meta tag is a second layer.
  const html = read('renderer/index.html');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);

  it('index.html has one, with scripts from the app only, no eval, no plugins, nothing remote', () => {
    expect(meta).not.toBeNull();
    const csp = meta![1]!;
    const d = new Map(csp.split(';').map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|https?:|wss?:|\*/);
  });
});

describe('#15 shell.openExternal', () => {
  it('is called in one place only, the callback hardenContents gives validated URLs to', () => {
    const calls = sources('electron').flatMap((f) => [...read(f).matchAll(/shell\.openExternal\(/g)].map(() => f));
    expect(calls).toEqual(['electron/main/main.ts']);
    expect(MAIN).toMatch(/hardenContents\(contents, policy, \(url\) => void shell\.openExternal\(url\)\)/);
    // Inside hardenContents every path to openExternal passes externalLinkTarget first.
    const security = read('electron/main/security.ts');
    const body = security.slice(security.indexOf('export function hardenContents'));
    const uses = [...body.matchAll(/openExternal\((\w+)\)/g)].map((m) => m[1]);
    expect(uses.length).toBeGreaterThan(0);
    for (const v of uses) expect(body).toMatch(new RegExp(`const ${v} = externalLinkTarget\\(url\\)`));
  });
});

describe('#16 a current Electron', () => {
  it('package.json pins electron 45 exactly, and the lock file installs that version', () => {
    const pinned = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies.electron;
    expect(pinned).toMatch(/^45\.\d+\.\d+$/);
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string }> };
    expect(lock.packages['node_modules/electron']?.version).toBe(pinned);
  });
});

describe('#17 IPC sender validation: more frames that are not ours', () => {
  let dataDir: string;
  let service: LabService;
  const ipcMain = new FakeIpcMain();
  const WINDOW_ID = 3;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vglab-checklist-'));
    service = new LabService({ mode: 'desktop', dataDir, autosaveMs: 0 });
    const policy = createRendererUrlPolicy({});
    // The predicate main.ts builds.
    registerLabIpc(ipcMain, service, {
      isTrustedSender: (frame, senderId) => frame !== null && senderId === WINDOW_ID && policy.isTrustedRendererUrl(frame.url),
    });
  });
  afterAll(async () => {
    await service.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (url: string, senderId = WINDOW_ID) =>
    ipcMain.invoke({ url }, senderId, LAB_INVOKE_CHANNEL, 'app.info', {}) as Promise<LabReply>;

  it('our page is answered', async () => {
    expect(await call(APP_FRAME.url)).toMatchObject({ ok: true });
  });

  it.each([
    'about:blank',
    'about:srcdoc',
    'blob:file:///0b7e8a64-2b0f-4c8e-9d4a-1f1f0e0a0a0a',
    'blob:vglab-app://app/0b7e8a64-2b0f-4c8e-9d4a-1f1f0e0a0a0a',
    'devtools://devtools/bundled/devtools_app.html',
    'chrome-extension://abcdefghijklmnop/index.html',
    'javascript:1',
    APP_FRAME.url.replace('vglab-app://app', 'http://127.0.0.1'),
    APP_FRAME.url.replace('vglab-app://app', 'vglab-app://other'),
    // The page's old home: a file:// page shares its origin with every local file.
    'file:///opt/vglab/resources/app.asar/out/renderer/index.html',
    'vglab-app://app/assets/logo.svg',
    '',
  ])('refuses a frame at %j', async (url) => {
    expect(await call(url)).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});

/**
 * The checklist, item by item: where each is asserted ([test file, a test title it
 * must contain]), or why it does not apply. The last test checks every reference.
 */
const CHECKLIST: { item: string; asserted: [string, string][]; note?: string }[] = [
  {
    item: '1. Only load secure content',
    asserted: [
      ['test/hardening/electronChecklist.test.ts', 'loads nothing but the policy entry URL'],
      ['test/electron/main/security.test.ts', 'names no remote origin'],
      ['test/electron/main/rendererUrl.test.ts', 'a dev server elsewhere than this machine is a configuration error'],
    ],
  },
  {
    item: '2. Do not enable Node.js integration for remote content',
    asserted: [
      ['test/electron/main/windowOptions.test.ts', '#2 no Node.js in the page'],
      ['test/hardening/electronChecklist.test.ts', 'the print page too has no Node'],
    ],
  },
  {
    item: '3. Enable context isolation',
    asserted: [
      ['test/electron/main/windowOptions.test.ts', '#3 context isolation'],
      ['test/electron/main/mainBundle.test.ts', 'opens one window, sandboxed, with the bundled preload'],
    ],
  },
  {
    item: '4. Enable process sandboxing',
    asserted: [
      ['test/electron/main/windowOptions.test.ts', '#4 the renderer process is sandboxed'],
      ['test/electron/main/mainBundle.test.ts', 'opens one window, sandboxed, with the bundled preload'],
    ],
  },
  {
    item: '5. Handle session permission requests',
    asserted: [
      ['test/electron/main/security.test.ts', 'is denied'],
      ['test/electron/main/mainBundle.test.ts', 'denies permissions and sends the CSP'],
    ],
  },
  { item: '6. Do not disable webSecurity', asserted: [['test/electron/main/windowOptions.test.ts', '#6 web security stays on']] },
  {
    item: '7. Define a Content Security Policy',
    asserted: [
      ['test/electron/main/security.test.ts', 'never allows eval or inline scripts'],
      ['test/electron/main/mainBundle.test.ts', 'denies permissions and sends the CSP'],
      ['test/hardening/electronChecklist.test.ts', 'index.html has one'],
    ],
  },
  { item: '8. Do not enable allowRunningInsecureContent', asserted: [['test/electron/main/windowOptions.test.ts', '#8 no insecure content']] },
  { item: '9. Do not enable experimental features', asserted: [['test/electron/main/windowOptions.test.ts', '#9 no experimental Chromium features']] },
  { item: '10. Do not use enableBlinkFeatures', asserted: [['test/electron/main/windowOptions.test.ts', 'does not set blinkFeatures or enableBlinkFeatures']] },
  {
    item: '11. Do not use allowpopups for WebViews',
    asserted: [
      ['test/electron/main/windowOptions.test.ts', '#11 no <webview>'],
      ['test/hardening/electronChecklist.test.ts', 'appears nowhere in electron/ or renderer/'],
    ],
  },
  { item: '12. Verify WebView options before creation', asserted: [['test/electron/main/security.test.ts', 'refuses to attach a <webview>']] },
  {
    item: '13. Disable or limit navigation',
    asserted: [
      ['test/electron/main/security.test.ts', 'any other navigation or redirect is stopped'],
      ['test/electron/main/windowOptions.test.ts', 'a dropped file does not navigate the window away'],
    ],
  },
  { item: '14. Disable or limit the creation of new windows', asserted: [['test/electron/main/security.test.ts', 'never opens a new window']] },
  {
    item: '15. Do not use shell.openExternal with untrusted content',
    asserted: [
      ['test/electron/main/security.test.ts', 'links that may open in the system browser'],
      ['test/hardening/electronChecklist.test.ts', 'is called in one place only'],
    ],
  },
  { item: '16. Use a current version of Electron', asserted: [['test/hardening/electronChecklist.test.ts', 'package.json pins electron 45 exactly']] },
  {
    item: '17. Validate the sender of all IPC messages',
    asserted: [
      ['test/electron/ipc/ipcAdapter.test.ts', 'lab:invoke from anyone else is refused before the service sees it'],
      ['test/electron/main/mainBundle.test.ts', 'answers our page through the real service, and only our page'],
      ['test/hardening/electronChecklist.test.ts', 'refuses a frame at'],
    ],
  },
  {
    item: '18. Avoid the file:// protocol, prefer a custom protocol',
    asserted: [
      ['test/hardening/electronChecklist.test.ts', 'registers vglab-app as privileged at load time'],
      ['test/hardening/electronChecklist.test.ts', 'the lab window never loads a file'],
      ['test/electron/main/appProtocol.test.ts', 'nothing outside the folder, however the URL is written'],
      ['test/electron/main/rendererUrl.test.ts', 'loads vglab-app://app/index.html, never a file URL'],
      ['test/electron/main/mainBundle.test.ts', 'serves the renderer on vglab-app://app/ and nothing outside it'],
      ['test/electron/ipc/ipcAdapter.test.ts', 'another local file'],
    ],
  },
  {
    item: '19. Check which fuses you can change',
    asserted: [['test/electron/packaging.test.ts', 'flips the Electron fuses that harden the packaged app']],
  },
  {
    item: '20. Do not expose Electron APIs to untrusted web content',
    asserted: [
      ['test/electron/ipc/labBridge.test.ts', 'has the two verbs and nothing else'],
      ['test/hardening/electronChecklist.test.ts', 'the preload handing out ipcRenderer'],
    ],
  },
];

describe('the checklist, item by item', () => {
  it('names all 20 items of the current checklist', () => {
    expect(CHECKLIST.map((c) => Number.parseInt(c.item, 10))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('points every item at tests that exist (or says why it is open)', () => {
    for (const { item, asserted, note } of CHECKLIST) {
      if (asserted.length === 0) expect(note, item).toMatch(/\S/);
      for (const [file, title] of asserted) {
        const text = read(file);
        // A test title, a describe title or a row of an it.each table.
        expect(text.includes(title), `${item}: ${relative('.', file)} has no test "${title}"`).toBe(true);
      }
    }
  });

});
