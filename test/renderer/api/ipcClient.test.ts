// The desktop transport forwards to the preload's bridge and turns what ipcMain
// rejected with into LabErrors a student can read.
import { describe, expect, it } from 'vitest';

import { LabError } from '../../../core/api/labApi.ts';
import { createIpcClient, toLabError } from '../../../renderer/src/api/ipcClient.ts';

describe('ipcClient', () => {
  it('invokes the bridge with the method and params and resolves with its result', async () => {
    const calls: unknown[] = [];
    const client = createIpcClient({
      invoke: async (method, params) => (calls.push([method, params]), { mode: 'desktop' }),
      on: () => () => {},
    });
    expect(await client.invoke('app.info', {})).toEqual({ mode: 'desktop' });
    expect(calls).toEqual([['app.info', {}]]);
    expect(client.connection).toBe('open');
  });

  it('passes event subscriptions straight to the bridge and returns its unsubscribe', () => {
    let unsubscribed = false;
    const client = createIpcClient({ invoke: async () => null, on: () => () => (unsubscribed = true) });
    client.on('run.updated', () => {})();
    expect(unsubscribed).toBe(true);
  });
});

describe('toLabError', () => {
  it('keeps a {code, message} payload', () => {
    expect(toLabError('x', { code: 'conflict', message: 'not now' })).toMatchObject({ code: 'conflict', message: 'not now' });
  });

  it("strips Electron's \"Error invoking remote method\" prefix and reads a code prefix", () => {
    const e = toLabError('runs.start', new Error("Error invoking remote method 'lab': LabError: not-found: no run \"r9\""));
    expect(e).toBeInstanceOf(LabError);
    expect(e).toMatchObject({ code: 'not-found', message: 'no run "r9"' });
  });

  it('makes any other error an internal LabError with its message', () => {
    expect(toLabError('x', new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
  });
});
