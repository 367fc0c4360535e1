// Key presses map to the same AppCommands the desktop menu sends.
import { describe, expect, it } from 'vitest';

import { commandForKey, type KeyLike } from '../../../renderer/src/commands/shortcuts.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('commandForKey', () => {
  it.each([
    [key('s', { ctrlKey: true }), 'save'],
    [key('S', { ctrlKey: true, shiftKey: true }), 'saveAs'],
    [key('o', { metaKey: true }), 'open'],
    [key('n', { ctrlKey: true }), 'new'],
    [key('z', { ctrlKey: true }), 'undo'],
    [key('Z', { ctrlKey: true, shiftKey: true }), 'redo'],
    [key('y', { ctrlKey: true }), 'redo'],
    [key('F5'), 'runStart'],
    [key('F5', { shiftKey: true }), 'runStop'],
    [key('F6'), 'runPause'],
    [key('F10'), 'runStep'],
    [key('F1'), 'showHelp'],
    [key('Delete'), 'delete'],
  ] as const)('%o means %s', (e, command) => {
    expect(commandForKey(e)).toBe(command);
  });

  it('ignores plain letters and Alt combinations (menus, typing)', () => {
    expect(commandForKey(key('s'))).toBeNull();
    expect(commandForKey(key('s', { ctrlKey: true, altKey: true }))).toBeNull();
  });
});
