import { describe, expect, it } from 'vitest';

import { projectDisplayName, windowTitle } from '../../../electron/main/title.ts';

describe('the window title', () => {
  it('names the project and the app', () => {
    expect(windowTitle({ name: 'Deep sigmoid', path: '/p/a.vglab', dirty: false }, 'linux')).toEqual({
      title: 'Deep sigmoid — Vanishing Gradient Lab',
      documentEdited: false,
      representedFilename: '/p/a.vglab',
    });
  });

  it('marks unsaved changes with a bullet on Windows and Linux', () => {
    expect(windowTitle({ name: 'Deep sigmoid', path: null, dirty: true }, 'win32').title).toBe('• Deep sigmoid — Vanishing Gradient Lab');
    expect(windowTitle({ name: 'Deep sigmoid', path: null, dirty: true }, 'linux').documentEdited).toBe(true);
  });

  it('and with documentEdited (the dot in the close button) on macOS, not in the title', () => {
    const t = windowTitle({ name: 'Deep sigmoid', path: null, dirty: true }, 'darwin');
    expect(t.title).toBe('Deep sigmoid — Vanishing Gradient Lab');
    expect(t.documentEdited).toBe(true);
  });

  it('falls back to the file name, then Untitled', () => {
    expect(projectDisplayName({ name: '  ', path: '/home/s/rnn-adding.vglab' })).toBe('rnn-adding');
    expect(projectDisplayName({ name: '', path: null })).toBe('Untitled');
  });
});
