/**
 * The LabApi over Electron IPC, main-process side. One handler serves every
 * method: it checks who is asking (the sender frame must be our renderer), that
 * the method exists, then hands the untrusted params to the backend, which
 * validates them against the method's schema before anything runs. Events go
 * the other way on one channel.
 *
 * Nothing here imports 'electron': ipcMain and webContents are described by the
 * little structural interfaces below, so tests drive this with plain objects and
 * the real LabService.
 */
import { isLabEvent, isLabMethod, LabError, toLabErrorPayload, type LabEvent } from '../../core/api/labApi.ts';
import type { LabBackend } from '../service/labBackend.ts';
import { LAB_EVENT_CHANNEL, LAB_INVOKE_CHANNEL, type LabReply } from './channels.ts';

/** The frame that sent a message, as Electron's WebFrameMain shows it (null once it navigated away or died). */
export interface SenderFrameLike {
  readonly url: string;
}

/** The part of IpcMainInvokeEvent the guard reads. */
export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null;
  readonly sender: { readonly id: number };
}

/** The part of Electron's ipcMain this adapter uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Where events go: the window's webContents (send structured-clones its arguments). */
export interface EventSinkLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface LabIpcOptions {
  /**
   * Whether a message comes from our renderer: `frame` is the sender frame (null
   * when it is gone), `senderId` the sending webContents' id.
   */
  isTrustedSender(frame: SenderFrameLike | null, senderId: number): boolean;
  /** The webContents events go to, looked up per event (the window may not exist yet or be gone). */
  eventSink?: () => EventSinkLike | null;
}

/**
 * Registers the lab:invoke handler and forwards the backend's events; returns the
 * function that undoes both.
 */
export function registerLabIpc(ipcMain: IpcMainLike, backend: LabBackend, options: LabIpcOptions): () => void {
  ipcMain.handle(LAB_INVOKE_CHANNEL, async (event, method, params): Promise<LabReply> => {
    try {
      guardSender(event, options);
      if (!isLabMethod(method)) {
        throw new LabError('invalid-input', `unknown method ${describe(method)}`);
      }
      return { ok: true, result: await backend.dispatch(method, params) };
    } catch (e) {
      return { ok: false, error: toLabErrorPayload(e) };
    }
  });

  const unsubscribe = options.eventSink
    ? forwardEvents(backend, options.eventSink)
    : () => {};

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    unsubscribe();
    ipcMain.removeHandler(LAB_INVOKE_CHANNEL);
  };
}

/** The one guard every message passes (STYLE 8): a foreign or vanished frame gets nothing. */
function guardSender(event: InvokeEventLike, options: LabIpcOptions): void {
  let frame: SenderFrameLike | null = null;
  let url: string | null = null;
  let trusted = false;
  try {
    // Electron throws when a frame that navigated away or died is read: that is "not ours".
    frame = event.senderFrame ?? null;
    url = frame ? frame.url : null;
    trusted = options.isTrustedSender(frame, event.sender.id);
  } catch {
    trusted = false;
  }
  if (!trusted) {
    throw new LabError('unsupported', `the lab does not answer ${url !== null ? `pages at ${safeUrl(url)}` : 'a frame that is gone'}`);
  }
}

function forwardEvents(backend: LabBackend, sink: () => EventSinkLike | null): () => void {
  return backend.subscribe(<E extends LabEvent>(event: E, payload: unknown) => {
    // The service only emits LabEvents, but this is the process boundary: check anyway.
    if (!isLabEvent(event)) return;
    const target = sink();
    if (!target || target.isDestroyed()) return;
    target.send(LAB_EVENT_CHANNEL, event, payload);
  });
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : `of type ${value === null ? 'null' : typeof value}`;
}

/** The origin and path of a URL for a message, never its query (which may hold a token). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? `file://${u.pathname}` : `${u.origin}${u.pathname}`;
  } catch {
    return 'an unparseable address';
  }
}
