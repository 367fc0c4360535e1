/**
 * The preload of the lab window. It runs sandboxed, so it is bundled into one
 * CommonJS file (scripts/build-electron.mjs -> out/electron/preload.cjs) whose
 * only require is 'electron'. It exposes window.vglab (see labBridge.ts) and
 * nothing else: never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';

import { createLabBridge } from './labBridge.ts';

const bridge = createLabBridge(ipcRenderer);

// Plain functions only: contextBridge proxies them and freezes the object.
contextBridge.exposeInMainWorld('vglab', {
  invoke: (method: string, params: unknown) => bridge.invoke(method as never, params as never),
  on: (event: string, listener: (payload: unknown) => void) => bridge.on(event as never, listener as never),
});
