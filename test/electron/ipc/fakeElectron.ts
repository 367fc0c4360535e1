// Stand-ins for Electron's ipcMain, ipcRenderer and webContents, wired to each
// other the way Electron wires them: every argument is structured-cloned on the
// way, so what the tests see is what would cross the process boundary. Only
// Electron's objects are stood in for; our code (LabService, the adapter, the
// preload bridge) is the real thing.
import type { EventSinkLike, InvokeEventLike, IpcMainLike, SenderFrameLike } from '../../../electron/ipc/ipcAdapter.ts';
import type { IpcRendererLike } from '../../../electron/preload/labBridge.ts';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What ipcRenderer.invoke from `frame` in webContents `senderId` would get back. */
  async invoke(frame: SenderFrameLike | null, senderId: number, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const reply = await handler({ senderFrame: frame, sender: { id: senderId } }, ...structuredClone(args));
    return structuredClone(reply);
  }
}

/** A webContents as the adapter sends events to it; ipcRenderer listeners of the page hear them. */
export class FakeWebContents implements EventSinkLike {
  readonly sent: unknown[][] = [];
  destroyed = false;
  private readonly rendererListeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();

  constructor(readonly id: number) {}

  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args);
    this.sent.push([channel, ...cloned]);
    for (const l of this.rendererListeners.get(channel) ?? []) l({ sender: 'ipcRenderer' }, ...cloned);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The page's ipcRenderer, invoking through `ipcMain` from `frame`. */
  ipcRenderer(ipcMain: FakeIpcMain, frame: SenderFrameLike): IpcRendererLike & { listenerCount(channel: string): number } {
    return {
      invoke: (channel, ...args) => ipcMain.invoke(frame, this.id, channel, ...args),
      on: (channel, listener) => {
        let set = this.rendererListeners.get(channel);
        if (!set) this.rendererListeners.set(channel, (set = new Set()));
        set.add(listener);
      },
      removeListener: (channel, listener) => {
        this.rendererListeners.get(channel)?.delete(listener);
      },
      listenerCount: (channel) => this.rendererListeners.get(channel)?.size ?? 0,
    };
  }
}

/** Our page's frame: the built renderer on the app's own scheme (electron/main/appProtocol.ts). */
export const APP_FRAME: SenderFrameLike = { url: 'vglab-app://app/index.html#/designer' };
