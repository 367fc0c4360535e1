// The canvas's keyboard shortcuts: the app's one table (commands/shortcuts.ts) read
// for the canvas, where single keys (Backspace, +, -, Shift+L) join the app's chords.
// The designer names its commands as its exposed methods: the app's 'delete' is
// 'deleteSelection' here.
import type { AppCommand } from '../../../core/api/labApi.ts';
import {
  ariaKeyShortcuts,
  commandForKey as appCommandForKey,
  shortcutText,
  type DesignerAppCommand,
  type KeyLike,
} from '../commands/shortcuts.ts';

export type { KeyLike };

/** The canvas commands by the names of the designer's methods. */
export type DesignerCommand = Exclude<DesignerAppCommand, 'delete'> | 'deleteSelection';

function appCommand(c: DesignerCommand): AppCommand {
  return c === 'deleteSelection' ? 'delete' : c;
}

/** The canvas command a key press on the canvas means, or null (app commands like Save are left to the window). */
export function commandForKey(e: KeyLike): DesignerCommand | null {
  const c = appCommandForKey(e, 'canvas');
  return c === 'delete' ? 'deleteSelection' : (c as Exclude<DesignerAppCommand, 'delete'> | null);
}

/** Shortcut text of a canvas command, for the toolbar's tooltips. */
export function shortcutHint(c: DesignerCommand): string {
  return shortcutText(appCommand(c));
}

/** The aria-keyshortcuts value of a canvas command's button. */
export function keyShortcuts(c: DesignerCommand): string {
  return ariaKeyShortcuts(appCommand(c));
}
