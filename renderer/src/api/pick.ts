/**
 * Chooses the transport: the Electron preload's bridge when the page has one,
 * else the browser-mode server's WebSocket. Nothing else in the app knows which.
 */
import { createIpcClient, type VglabBridge } from './ipcClient.ts';
import { readToken } from './token.ts';
import type { LabTransport } from './transport.ts';
import { createWsClient, labSocketUrl } from './wsClient.ts';

declare global {
  interface Window {
    /** Set by the desktop preload (contextBridge); absent in a plain browser. */
    vglab?: VglabBridge;
  }
}

export function pickTransport(win: Window = window): LabTransport {
  if (win.vglab) return createIpcClient(win.vglab);
  const token = readToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  return createWsClient({ url: labSocketUrl(win.location, token) });
}
