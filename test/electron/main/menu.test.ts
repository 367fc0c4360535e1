// The application menu: every command reachable, accelerators unambiguous.
import { describe, expect, it } from 'vitest';

import { APP_COMMANDS, type AppCommand } from '../../../core/api/labApi.ts';
import { buildMenuTemplate, canonicalAccelerator, type MenuActions, type MenuItemSpec } from '../../../electron/main/menu.ts';

const PLATFORMS: NodeJS.Platform[] = ['darwin', 'linux', 'win32'];

/** Records what clicking each item does. */
function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    command: (c) => calls.push(`command:${c}`),
    edit: (c) => calls.push(`edit:${c}`),
    openExample: (id) => calls.push(`example:${id}`),
    openRecent: (path) => calls.push(`recent:${path}`),
    exportReport: () => calls.push('exportReport'),
    about: () => calls.push('about'),
    quit: () => calls.push('quit'),
  };
  return { calls, actions };
}

function flatten(items: MenuItemSpec[]): MenuItemSpec[] {
  return items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);
}

function template(platform: NodeJS.Platform, dev = false, lists: Partial<{ examples: { id: string; name: string; description: string }[]; recent: { path: string; name: string; openedAt: string }[] }> = {}) {
  const r = recorder();
  const items = flatten(
    buildMenuTemplate({ platform, dev, examples: lists.examples ?? [], recent: lists.recent ?? [], actions: r.actions }),
  );
  return { items, ...r };
}

describe.each(PLATFORMS)('the menu on %s', (platform) => {
  it('reaches every app command', () => {
    const { items, calls } = template(platform);
    for (const item of items) item.click?.();
    const reached = new Set(calls.map((c) => c.replace(/^(command|edit):/, '')));
    const missing = APP_COMMANDS.filter((c: AppCommand) => !reached.has(c));
    expect(missing).toEqual([]);
  });

  it('has no accelerator twice', () => {
    const { items } = template(platform, true);
    const seen = new Map<string, string>();
    for (const item of items) {
      if (!item.accelerator) continue;
      const key = canonicalAccelerator(item.accelerator, platform);
      expect(seen.get(key), `${item.label ?? item.role} and ${seen.get(key)} share ${key}`).toBeUndefined();
      seen.set(key, item.label ?? item.role ?? '?');
    }
  });

  it('has the usual shortcuts', () => {
    const { items } = template(platform);
    const acc = (label: string) => items.find((i) => i.label?.replace(/&/g, '') === label && i.visible !== false)?.accelerator;
    expect(acc('New Project')).toBe('CmdOrCtrl+N');
    expect(acc('Open…')).toBe('CmdOrCtrl+O');
    expect(acc('Save')).toBe('CmdOrCtrl+S');
    expect(acc('Save As…')).toBe('CmdOrCtrl+Shift+S');
    expect(acc('Undo')).toBe('CmdOrCtrl+Z');
    expect(acc('Select All')).toBe('CmdOrCtrl+A');
    expect(acc('Start')).toBe('F5');
    const redo = items.filter((i) => i.label === '&Redo').map((i) => i.accelerator);
    expect(redo).toContain('CmdOrCtrl+Shift+Z');
    if (platform !== 'darwin') expect(redo).toContain('CmdOrCtrl+Y');
  });

  it('hides Reload and DevTools outside development', () => {
    expect(template(platform, false).items.some((i) => i.role === 'toggleDevTools' || i.role === 'reload')).toBe(false);
    expect(template(platform, true).items.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });

  it('quits from one place only', () => {
    const { items, calls } = template(platform);
    const quits = items.filter((i) => i.role === 'quit' || i.label === '&Quit');
    expect(quits).toHaveLength(1);
    quits[0]?.click?.();
    if (platform === 'darwin') expect(quits[0]?.role).toBe('quit');
    else expect(calls).toEqual(['quit']);
  });

  it('edit commands also run natively, so text fields keep working', () => {
    const { items, calls } = template(platform);
    items.find((i) => i.label === '&Copy')?.click?.();
    expect(calls).toEqual(['edit:copy']);
  });
});

describe('Open Example and Open Recent', () => {
  it('list what they are given and open it by id or path', () => {
    const { items, calls } = template('linux', false, {
      examples: [{ id: 'deep-sigmoid-mlp', name: 'Deep sigmoid MLP', description: '' }],
      recent: [{ path: '/home/s/r&d.vglab', name: 'R&D', openedAt: '2026-11-29T00:00:00.000Z' }],
    });
    items.find((i) => i.label === 'Deep sigmoid MLP')?.click?.();
    // "&" is a mnemonic marker in menu labels: a literal one is doubled.
    items.find((i) => i.label === 'R&&D')?.click?.();
    expect(calls).toEqual(['example:deep-sigmoid-mlp', 'recent:/home/s/r&d.vglab']);
  });

  it('say so, disabled, when empty', () => {
    const { items } = template('linux');
    expect(items.find((i) => i.label === 'No examples found')?.enabled).toBe(false);
    expect(items.find((i) => i.label === 'No recent projects')?.enabled).toBe(false);
  });
});

describe('canonicalAccelerator', () => {
  it('resolves CmdOrCtrl per platform and orders modifiers', () => {
    expect(canonicalAccelerator('CmdOrCtrl+Shift+Z', 'linux')).toBe('ctrl+shift+z');
    expect(canonicalAccelerator('Shift+CommandOrControl+Z', 'darwin')).toBe('cmd+shift+z');
    expect(canonicalAccelerator('Command+Alt+H', 'darwin')).toBe(canonicalAccelerator('Option+Cmd+H', 'darwin'));
  });
});
