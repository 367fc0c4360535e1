// The preload's window.vglab end to end: bridge -> ipcRenderer -> (structured
// clone) -> adapter -> the real LabService, and events back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { fromLabErrorPayload, LabError, type LabEvents } from '../../../core/api/labApi.ts';
import { LAB_EVENT_CHANNEL } from '../../../electron/ipc/channels.ts';
import { registerLabIpc } from '../../../electron/ipc/ipcAdapter.ts';
import { createLabBridge, type LabBridge } from '../../../electron/preload/labBridge.ts';
import { LabService } from '../../../electron/service/labService.ts';
import { APP_FRAME, FakeIpcMain, FakeWebContents } from './fakeElectron.ts';

let dataDir: string;
let service: LabService;
let contents: FakeWebContents;
let ipcRenderer: ReturnType<FakeWebContents['ipcRenderer']>;
let bridge: LabBridge;
let dispose: () => void;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'vglab-bridge-'));
  service = new LabService({ mode: 'desktop', dataDir, autosaveMs: 0 });
  const ipcMain = new FakeIpcMain();
  contents = new FakeWebContents(1);
  dispose = registerLabIpc(ipcMain, service, { isTrustedSender: (frame) => frame?.url === APP_FRAME.url, eventSink: () => contents });
  ipcRenderer = contents.ipcRenderer(ipcMain, APP_FRAME);
  bridge = createLabBridge(ipcRenderer);
});

afterEach(async () => {
  dispose();
  await service.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What a rejected call gives the page. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('window.vglab.invoke', () => {
  it('resolves with the result', async () => {
    const info = await bridge.invoke('app.info', {});
    expect(info.mode).toBe('desktop');
  });

  it('rejects with a LabError payload that names the field, and survives a structured copy', async () => {
    const e = await rejection(bridge.invoke('datasets.preview', { dataset: { name: 'spiral', options: {} }, maxRows: -1 }));
    // contextBridge copies values into the page; a plain object keeps every field...
    const copied = structuredClone(e) as { name: string; code: string; message: string };
    expect(copied).toMatchObject({ name: 'LabError', code: 'invalid-input' });
    expect(copied.message).toContain('maxRows');
    // ...and the renderer turns it back into its own LabError.
    const lab = fromLabErrorPayload(copied);
    expect(lab).toBeInstanceOf(LabError);
    expect(lab.code).toBe('invalid-input');
  });

  it('(why not throw a LabError: a copy of an Error keeps no code)', () => {
    const copied = structuredClone(new LabError('not-found', 'no such run')) as unknown as Record<string, unknown>;
    expect(copied.code).toBeUndefined();
  });

  it('refuses an unknown method without asking the main process', async () => {
    let asked = false;
    const quiet = createLabBridge({ ...ipcRenderer, invoke: async () => ((asked = true), undefined) });
    const e = await rejection(quiet.invoke('fs.readFile' as never, {} as never));
    expect(e).toMatchObject({ name: 'LabError', code: 'invalid-input' });
    expect(asked).toBe(false);
  });

  it('turns a malformed reply into an internal LabError', async () => {
    const odd = createLabBridge({ ...ipcRenderer, invoke: async () => 'surprise' });
    expect(await rejection(odd.invoke('app.info', {}))).toMatchObject({ name: 'LabError', code: 'internal' });
  });
});

describe('window.vglab.on', () => {
  it('delivers one stream to its listeners until they unsubscribe', async () => {
    const seen: LabEvents['project.changed'][] = [];
    const commands: string[] = [];
    const off = bridge.on('project.changed', (p) => seen.push(p));
    const offCommands = bridge.on('app.command', (p) => commands.push(p.command));

    await bridge.invoke('project.new', { name: 'Exploding RNN' });
    expect(seen.at(-1)?.project.name).toBe('Exploding RNN');
    expect(commands).toEqual([]);

    off();
    off(); // twice is harmless
    const count = seen.length;
    await bridge.invoke('project.new', { name: 'Again' });
    expect(seen.length).toBe(count);

    service.emit('app.command', { command: 'runStart' });
    expect(commands).toEqual(['runStart']);
    offCommands();
    // No listener left: the bridge lets go of the IPC channel.
    expect(ipcRenderer.listenerCount(LAB_EVENT_CHANNEL)).toBe(0);
  });

  it('keeps delivering when one listener throws', () => {
    const got: string[] = [];
    bridge.on('app.command', () => {
      throw new Error('broken listener');
    });
    bridge.on('app.command', (p) => got.push(p.command));
    const error = console.error;
    console.error = () => {};
    try {
      service.emit('app.command', { command: 'save' });
    } finally {
      console.error = error;
    }
    expect(got).toEqual(['save']);
  });

  it('refuses unknown event names and non-functions', () => {
    expect(() => bridge.on('ipc.raw' as never, () => {})).toThrow();
    expect(() => bridge.on('app.command', 'alert(1)' as never)).toThrow();
    expect(ipcRenderer.listenerCount(LAB_EVENT_CHANNEL)).toBe(0);
  });

  it('ignores messages on the channel that are not LabEvents', () => {
    const got: unknown[] = [];
    bridge.on('app.command', (p) => got.push(p));
    contents.send(LAB_EVENT_CHANNEL, 'toString', {});
    expect(got).toEqual([]);
  });
});

describe('the exposed object', () => {
  it('has the two verbs and nothing else', () => {
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });
});
