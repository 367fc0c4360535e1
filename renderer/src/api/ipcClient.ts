/**
 * The LabClient of the desktop app: the preload's window.vglab bridge, which
 * exposes exactly invoke(method, params) and on(event, listener). IPC cannot drop,
 * so the connection is always 'open'.
 */
import {
  fromLabErrorPayload,
  LabError,
  type LabEvent,
  type LabEvents,
  type LabMethod,
  type LabParams,
  type LabResults,
} from '../../../core/api/labApi.ts';
import type { LabTransport } from './transport.ts';

/** What the preload puts on window.vglab (contextBridge). */
export interface VglabBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Turns whatever the bridge rejected with into a LabError: a {code, message}
 * payload as is, an Error by its message (Electron prefixes "Error invoking remote
 * method 'x': " to errors thrown in ipcMain.handle; that prefix is noise to a student).
 */
export function toLabError(method: string, e: unknown): LabError {
  if (e instanceof LabError) return e;
  if (e !== null && typeof e === 'object' && 'code' in e && 'message' in e) {
    const err = fromLabErrorPayload(e);
    if (err.code !== 'internal' || (e as { code: unknown }).code === 'internal') return err;
  }
  const message = e instanceof Error ? e.message : String(e);
  const stripped = message.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '');
  const coded = /^(invalid-input|not-found|conflict|unsupported|io|internal): ([\s\S]*)$/.exec(stripped);
  if (coded) return new LabError(coded[1] as LabError['code'], coded[2]);
  return new LabError('internal', stripped || `${method} failed`);
}

export function createIpcClient(bridge: VglabBridge): LabTransport {
  return {
    connection: 'open',
    onConnection() {
      return () => {};
    },
    async invoke<M extends LabMethod>(method: M, params: LabParams<M>): Promise<LabResults[M]> {
      try {
        return (await bridge.invoke(method, params)) as LabResults[M];
      } catch (e) {
        throw toLabError(method, e);
      }
    },
    on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
      return bridge.on(event, listener as (payload: unknown) => void);
    },
    close() {},
  };
}
