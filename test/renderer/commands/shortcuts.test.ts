// Key presses map to the same AppCommands the desktop menu sends.
import { describe, expect, it } from 'vitest';

import { APP_COMMANDS, type AppCommand } from '../../../core/api/labApi.ts';
import {
  DESIGNER_COMMANDS,
  SHORTCUTS,
  SHORTCUT_TEXT,
  commandForKey,
  type Chord,
  type KeyLike,
} from '../../../renderer/src/commands/shortcuts.ts';

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

  it('keeps the canvas-only keys (Backspace, +, Shift+L) off the rest of the app', () => {
    expect(commandForKey(key('Backspace'))).toBeNull();
    expect(commandForKey(key('+'))).toBeNull();
    expect(commandForKey(key('L', { shiftKey: true }))).toBeNull();
    expect(commandForKey(key('Backspace'), 'canvas')).toBe('delete');
  });
});

/** Key presses of a chord: each of its keys, with and without Shift where Shift is free. */
function pressesOf(chord: Chord): KeyLike[] {
  const shifts = chord.shift === 'any' ? [false, true] : [!!chord.shift];
  return chord.keys.flatMap((k) => shifts.map((shiftKey) => key(shiftKey && k.length === 1 ? k.toUpperCase() : k, { ctrlKey: !!chord.ctrl, shiftKey })));
}

describe('the shortcut table', () => {
  const commands = Object.keys(SHORTCUTS) as AppCommand[];

  it('covers every AppCommand', () => {
    expect([...commands].sort()).toEqual([...APP_COMMANDS].sort());
  });

  it('runs each command from every chord it lists, and each chord means one command only', () => {
    for (const c of commands) {
      const s = SHORTCUTS[c] as { chords: readonly Chord[]; canvas?: readonly Chord[] };
      for (const chord of s.chords) for (const e of pressesOf(chord)) expect(commandForKey(e), `${c} ${e.key}`).toBe(c);
      for (const chord of s.canvas ?? []) for (const e of pressesOf(chord)) expect(commandForKey(e, 'canvas'), `${c} ${e.key}`).toBe(c);
    }
  });

  it('writes the keys as the help list shows them', () => {
    expect(SHORTCUT_TEXT).toMatchObject({
      save: 'Ctrl+S',
      saveAs: 'Ctrl+Shift+S',
      redo: 'Ctrl+Shift+Z or Ctrl+Y',
      delete: 'Delete, or Backspace on the canvas',
      autoLayout: 'Ctrl+Shift+L, or Shift+L on the canvas',
      runStop: 'Shift+F5',
      showHelp: 'F1',
    });
  });

  it('marks the canvas commands', () => {
    expect([...DESIGNER_COMMANDS].sort()).toEqual(
      ['autoLayout', 'copy', 'cut', 'delete', 'fitView', 'paste', 'redo', 'selectAll', 'undo', 'zoomIn', 'zoomOut'],
    );
  });
});
