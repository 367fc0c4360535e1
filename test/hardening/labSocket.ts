// A LabApi client over the real `vglab serve` WebSocket, as the page talks to it: the
// page load with ?token= sets the token cookie, the socket sends that cookie and the
// page's Origin, and every message is in the wire codec (core/api/wire.ts).
import WebSocket from 'ws';

import type { LabEvent, LabEvents, LabMethod, LabParams, LabResults } from '../../core/api/labApi.ts';
import { decodeWire, encodeWire, wireMessageSchema } from '../../core/api/wire.ts';

export class LabSocket {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = wireMessageSchema.parse(decodeWire(data.toString()));
      if (m.type === 'event') {
        for (const l of this.listeners) l(m.event, m.payload);
        return;
      }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'result') p?.resolve(m.result);
      else p?.reject(new Error(`${m.error.code}: ${m.error.message}`));
    });
  }

  /** Loads the page at `url` (http://host:port/?token=...) for its cookie, then opens the socket. */
  static async open(url: string): Promise<LabSocket> {
    const page = await fetch(url);
    if (page.status !== 200) throw new Error(`the page answered ${page.status}`);
    const cookie = page.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('the page set no token cookie');
    const { host, origin } = new URL(url);
    const ws = new WebSocket(`ws://${host}/`, { headers: { Cookie: cookie }, origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new LabSocket(ws);
  }

  call<M extends LabMethod>(method: M, params: LabParams<M>): Promise<LabResults[M]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(encodeWire({ type: 'invoke', id, method, params }));
    });
  }

  /** The first `event` from now on whose payload passes `test` (rejects after `timeoutMs`). */
  next<E extends LabEvent>(event: E, test: (p: LabEvents[E]) => boolean, timeoutMs = 30_000): Promise<LabEvents[E]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${event} event matched within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (e: string, p: unknown) => {
        if (e !== event || !test(p as LabEvents[E])) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(p as LabEvents[E]);
      };
      this.listeners.add(listener);
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
