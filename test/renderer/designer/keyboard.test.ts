import { describe, expect, it } from 'vitest';

import { commandForKey, keyShortcuts, shortcutHint, type KeyLike } from '../../../renderer/src/designer/keyboard.ts';

function key(k: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe('designer shortcuts', () => {
  it('maps the editing shortcuts with Ctrl or Cmd', () => {
    expect(commandForKey(key('z', { ctrlKey: true }))).toBe('undo');
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(commandForKey(key('y', { ctrlKey: true }))).toBe('redo');
    expect(commandForKey(key('c', { metaKey: true }))).toBe('copy');
    expect(commandForKey(key('x', { ctrlKey: true }))).toBe('cut');
    expect(commandForKey(key('v', { ctrlKey: true }))).toBe('paste');
    expect(commandForKey(key('a', { ctrlKey: true }))).toBe('selectAll');
    expect(commandForKey(key('0', { ctrlKey: true }))).toBe('fitView');
  });

  it('maps Delete, Backspace, zoom keys and Shift+L', () => {
    expect(commandForKey(key('Delete'))).toBe('deleteSelection');
    expect(commandForKey(key('Backspace'))).toBe('deleteSelection');
    expect(commandForKey(key('+'))).toBe('zoomIn');
    expect(commandForKey(key('='))).toBe('zoomIn');
    expect(commandForKey(key('-'))).toBe('zoomOut');
    expect(commandForKey(key('L', { shiftKey: true }))).toBe('autoLayout');
    expect(commandForKey(key('+', { shiftKey: true }))).toBe('zoomIn'); // + needs Shift on many layouts
    expect(commandForKey(key('L', { ctrlKey: true, shiftKey: true }))).toBe('autoLayout');
  });

  it('leaves the app commands (Save, F5) to the window', () => {
    expect(commandForKey(key('s', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('F5'))).toBeNull();
  });

  it('names every key of a command in its tooltip and its buttons aria-keyshortcuts', () => {
    expect(shortcutHint('deleteSelection')).toBe('Delete, or Backspace on the canvas');
    expect(shortcutHint('zoomIn')).toBe('Ctrl+=, or + on the canvas');
    expect(shortcutHint('redo')).toBe('Ctrl+Shift+Z or Ctrl+Y');
    expect(keyShortcuts('redo')).toBe('Control+Shift+Z Control+Y');
    expect(keyShortcuts('autoLayout')).toBe('Control+Shift+L');
  });

  it('ignores plain letters, arrows (Vue Flow moves nodes with them) and Alt chords', () => {
    expect(commandForKey(key('a'))).toBeNull();
    expect(commandForKey(key('ArrowLeft'))).toBeNull();
    expect(commandForKey(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });
});
