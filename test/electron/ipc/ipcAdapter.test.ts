// The IPC adapter in front of the real LabService: who may call, what an unknown
// method or a bad parameter returns, and where events go.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { LabReply } from '../../../electron/ipc/channels.ts';
import { LAB_EVENT_CHANNEL, LAB_INVOKE_CHANNEL } from '../../../electron/ipc/channels.ts';
import { registerLabIpc } from '../../../electron/ipc/ipcAdapter.ts';
import { createRendererUrlPolicy } from '../../../electron/main/rendererUrl.ts';
import { LabService } from '../../../electron/service/labService.ts';
import { APP_FRAME, FakeIpcMain, FakeWebContents } from './fakeElectron.ts';

const WINDOW_ID = 7;

let dataDir: string;
let service: LabService;
let ipcMain: FakeIpcMain;
let contents: FakeWebContents;
let dispose: () => void;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'vglab-ipc-'));
  service = new LabService({ mode: 'desktop', dataDir, autosaveMs: 0 });
  ipcMain = new FakeIpcMain();
  contents = new FakeWebContents(WINDOW_ID);
  const policy = createRendererUrlPolicy({});
  // The same predicate main.ts builds: our window, showing our page.
  dispose = registerLabIpc(ipcMain, service, {
    isTrustedSender: (frame, senderId) => frame !== null && senderId === WINDOW_ID && policy.isTrustedRendererUrl(frame.url),
    eventSink: () => contents,
  });
});

afterEach(async () => {
  dispose();
  await service.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (frame: { url: string } | null, method: unknown, params: unknown, senderId = WINDOW_ID) =>
  ipcMain.invoke(frame, senderId, LAB_INVOKE_CHANNEL, method, params) as Promise<LabReply>;

describe('lab:invoke from our page', () => {
  it('answers app.info with the desktop service', async () => {
    const reply = await call(APP_FRAME, 'app.info', {});
    expect(reply).toMatchObject({ ok: true, result: { mode: 'desktop', dialogs: false } });
  });

  it('answers datasets.list and network.check', async () => {
    const list = await call(APP_FRAME, 'datasets.list', {});
    expect(list.ok && Array.isArray(list.result) && list.result.length).toBeGreaterThan(0);
    const check = await call(APP_FRAME, 'network.check', { network: { format: 'vglab-network/1', nodes: [], edges: [] } });
    expect(check).toMatchObject({ ok: true, result: { ok: false } });
  });
});

describe('lab:invoke from anyone else is refused before the service sees it', () => {
  const foreign: [string, { url: string } | null][] = [
    ['a web page', { url: 'https://evil.example/' }],
    ['a web page posing with our path', { url: 'https://evil.example/opt/vglab/resources/app.asar/out/renderer/index.html' }],
    ['another local file', { url: 'file:///tmp/downloaded.html' }],
    ['a file beside our page', { url: 'file:///opt/vglab/resources/app.asar/out/renderer/other.html' }],
    ['a path that climbs out of the app', { url: 'file:///opt/vglab/resources/app.asar/out/renderer/../../../../../tmp/x.html' }],
    ['a network share', { url: 'file://server/opt/vglab/resources/app.asar/out/renderer/index.html' }],
    ['a data: URL', { url: 'data:text/html,<script>1</script>' }],
    ['a frame that is gone', null],
  ];

  it.each(foreign)('%s', async (_name, frame) => {
    const dispatch = vi.spyOn(service, 'dispatch');
    const reply = await call(frame, 'app.info', {});
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.code).toBe('unsupported');
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('a frame Electron can no longer read (it navigated away mid-call)', async () => {
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    const reply = await call(disposed, 'app.info', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('our page in another webContents (a second window, a devtools host)', async () => {
    const reply = await call(APP_FRAME, 'app.info', {}, WINDOW_ID + 1);
    expect(reply).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('never echoes the query of a refused URL (it may carry a token)', async () => {
    const reply = await call({ url: 'https://evil.example/x?token=secret' }, 'app.info', {});
    expect(JSON.stringify(reply)).not.toContain('secret');
  });
});

describe('lab:invoke with a bad request returns a LabError envelope', () => {
  it('an unknown method, by name', async () => {
    const reply = await call(APP_FRAME, 'project.format', {});
    expect(reply).toEqual({ ok: false, error: { code: 'invalid-input', message: 'unknown method "project.format"' } });
  });

  it('a method name that is not a string', async () => {
    const reply = await call(APP_FRAME, { toString: 1 }, {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('inherited object keys are not methods', async () => {
    const reply = await call(APP_FRAME, 'constructor', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('invalid params, naming the method and the field', async () => {
    const reply = await call(APP_FRAME, 'datasets.preview', { dataset: { name: 'spiral', options: {} }, maxRows: 0 });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid-input');
    expect(reply.error.message).toMatch(/^datasets\.preview: .*maxRows/);
  });

  it('extra params are refused too (strict schemas)', async () => {
    const reply = await call(APP_FRAME, 'app.info', { admin: true });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('a failure inside the service keeps its code', async () => {
    const reply = await call(APP_FRAME, 'project.open', { path: join(dataDir, 'missing.vglab') });
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error.code).not.toBe('internal');
  });

  it('a desktop-only verb without dialogs says unsupported', async () => {
    const reply = await call(APP_FRAME, 'project.openDialog', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});

describe('lab:event', () => {
  it("forwards the service's events to the window", async () => {
    await call(APP_FRAME, 'project.new', { name: 'Depth test' });
    const changed = contents.sent.find(([channel, event]) => channel === LAB_EVENT_CHANNEL && event === 'project.changed');
    expect(changed?.[2]).toMatchObject({ project: { name: 'Depth test' } });

    service.emit('app.command', { command: 'save' });
    expect(contents.sent.at(-1)).toEqual([LAB_EVENT_CHANNEL, 'app.command', { command: 'save' }]);
  });

  it('drops names that are not LabEvents', () => {
    service.emit('shell.exec' as never, { cmd: 'rm' } as never);
    expect(contents.sent).toEqual([]);
  });

  it('skips a destroyed window', () => {
    contents.destroyed = true;
    service.emit('app.command', { command: 'save' });
    expect(contents.sent).toEqual([]);
  });

  it('stops, and the handler is gone, after dispose', async () => {
    dispose();
    service.emit('app.command', { command: 'save' });
    expect(contents.sent).toEqual([]);
    expect(ipcMain.handlers.has(LAB_INVOKE_CHANNEL)).toBe(false);
    await expect(call(APP_FRAME, 'app.info', {})).rejects.toThrow(/No handler/);
    // Registering again works (a reloaded main module, a second window).
    dispose = registerLabIpc(ipcMain, service, { isTrustedSender: () => true });
    expect((await call(APP_FRAME, 'app.info', {})).ok).toBe(true);
  });
});
