/**
 * The object the preload exposes as window.vglab: the LabClient verbs over
 * ipcRenderer, and nothing else (STYLE 9). Kept free of the 'electron' import
 * so it can be tested in plain Node with a stand-in for ipcRenderer.
 *
 * Errors: contextBridge copies an Error into the page as a bare Error with its
 * message only (custom fields such as `code` are dropped, and it is no longer a
 * LabError). So invoke rejects with a plain, frozen LabErrorPayload-shaped object
 * ({ name: 'LabError', code, message }), which the bridge copies whole; the
 * renderer's transport turns it back into its own LabError with
 * fromLabErrorPayload (core/api/labApi.ts).
 */
// Types only from labApi.ts: its values would bundle zod into the preload.
import type { LabEvent, LabEvents, LabMethod, LabParams, LabResults } from '../../core/api/labApi.ts';
import { fromLabErrorPayload, LabError } from '../../core/api/labError.ts';
import { isLabEvent, isLabMethod } from '../../core/api/labMethods.ts';
import { LAB_EVENT_CHANNEL, LAB_INVOKE_CHANNEL, type LabReply } from '../ipc/channels.ts';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** How a failed call reaches the page: survives contextBridge's copy with every field. */
export interface BridgedLabError {
  readonly name: 'LabError';
  readonly code: LabError['code'];
  readonly message: string;
}

export interface LabBridge {
  invoke<M extends LabMethod>(method: M, params: LabParams<M>): Promise<LabResults[M]>;
  on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void;
}

export function createLabBridge(ipc: IpcRendererLike): LabBridge {
  // One ipcRenderer listener for all streams, attached while anyone listens.
  const listeners = new Map<LabEvent, Set<(payload: never) => void>>();
  const onIpcEvent = (_event: unknown, name: unknown, payload: unknown): void => {
    if (!isLabEvent(name)) return;
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (e) {
        // One broken listener must not starve the others of the stream.
        console.error(`vglab: a ${name} listener threw`, e);
      }
    }
  };
  let attached = false;
  const listenerCount = (): number => [...listeners.values()].reduce((n, s) => n + s.size, 0);

  return {
    async invoke<M extends LabMethod>(method: M, params: LabParams<M>): Promise<LabResults[M]> {
      if (!isLabMethod(method)) {
        throw bridged(new LabError('invalid-input', `unknown method ${JSON.stringify(String(method).slice(0, 100))}`));
      }
      const reply = (await ipc.invoke(LAB_INVOKE_CHANNEL, method, params)) as LabReply<LabResults[M]> | undefined;
      if (reply && reply.ok === true) return reply.result;
      throw bridged(fromLabErrorPayload(reply && reply.ok === false ? reply.error : undefined));
    },

    on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
      if (!isLabEvent(event)) throw bridged(new LabError('invalid-input', `unknown event ${JSON.stringify(String(event).slice(0, 100))}`));
      if (typeof listener !== 'function') throw bridged(new LabError('invalid-input', `${event}: the listener must be a function`));
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      // Wrap so the same function subscribed twice gets two independent subscriptions.
      const entry = (payload: never): void => listener(payload);
      set.add(entry);
      if (!attached) {
        ipc.on(LAB_EVENT_CHANNEL, onIpcEvent as (event: unknown, ...args: unknown[]) => void);
        attached = true;
      }
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        set.delete(entry);
        if (attached && listenerCount() === 0) {
          ipc.removeListener(LAB_EVENT_CHANNEL, onIpcEvent as (event: unknown, ...args: unknown[]) => void);
          attached = false;
        }
      };
    },
  };
}

function bridged(e: LabError): BridgedLabError {
  return Object.freeze({ name: 'LabError', code: e.code, message: e.message });
}
