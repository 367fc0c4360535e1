// The lab window against Electron's security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security), item by item.
import { describe, expect, it } from 'vitest';

import { labWindowOptions } from '../../../electron/main/windowOptions.ts';

const prefs = (dev = false) => labWindowOptions({ preloadPath: '/app/out/electron/preload.cjs', dev }).webPreferences;

describe('webPreferences of the lab window', () => {
  it('#2 no Node.js in the page, in workers or in frames', () => {
    expect(prefs()).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });

  it('#3 context isolation: the preload runs in its own world', () => {
    expect(prefs().contextIsolation).toBe(true);
  });

  it('#4 the renderer process is sandboxed', () => {
    expect(prefs().sandbox).toBe(true);
  });

  it('#6 web security stays on', () => {
    expect(prefs().webSecurity).toBe(true);
  });

  it('#8 no insecure content on a secure page', () => {
    expect(prefs().allowRunningInsecureContent).toBe(false);
  });

  it('#9 no experimental Chromium features', () => {
    expect(prefs().experimentalFeatures).toBe(false);
  });

  it('#11 no <webview>', () => {
    expect(prefs().webviewTag).toBe(false);
  });

  it('a dropped file does not navigate the window away', () => {
    expect(prefs().navigateOnDragDrop).toBe(false);
  });

  it('the preload is the bundled CommonJS file a sandbox can load', () => {
    expect(prefs().preload).toMatch(/preload\.cjs$/);
  });

  it('spellcheck is off, DevTools only in development', () => {
    expect(prefs().spellcheck).toBe(false);
    expect(prefs(false).devTools).toBe(false);
    expect(prefs(true).devTools).toBe(true);
  });

  it('does not set blinkFeatures or enableBlinkFeatures (#10) or a partition with extra powers', () => {
    const keys = Object.keys(prefs());
    expect(keys).not.toContain('enableBlinkFeatures');
    expect(keys).not.toContain('enableRemoteModule');
    expect(keys).not.toContain('partition');
  });

  it('the window waits for its first paint before showing', () => {
    expect(labWindowOptions({ preloadPath: 'p', dev: false }).show).toBe(false);
  });
});
