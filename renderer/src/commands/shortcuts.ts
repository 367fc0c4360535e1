/**
 * Keyboard shortcuts of the app, as AppCommands (the same names the desktop menu
 * sends with 'app.command'), so a key press and a menu click run one handler.
 */
import type { AppCommand } from '../../../core/api/labApi.ts';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Shortcut text per command, for the help list and the buttons' titles. */
export const SHORTCUT_TEXT: Partial<Record<AppCommand, string>> = {
  new: 'Ctrl+N',
  open: 'Ctrl+O',
  save: 'Ctrl+S',
  saveAs: 'Ctrl+Shift+S',
  undo: 'Ctrl+Z',
  redo: 'Ctrl+Shift+Z or Ctrl+Y',
  cut: 'Ctrl+X',
  copy: 'Ctrl+C',
  paste: 'Ctrl+V',
  delete: 'Delete',
  selectAll: 'Ctrl+A',
  zoomIn: 'Ctrl+=',
  zoomOut: 'Ctrl+-',
  fitView: 'Ctrl+0',
  autoLayout: 'Ctrl+Shift+L',
  runStart: 'F5',
  runPause: 'F6',
  runStep: 'F10',
  runStop: 'Shift+F5',
  showHelp: 'F1',
};

/** Commands that edit the canvas: only meaningful while the designer is shown. */
export const DESIGNER_COMMANDS: ReadonlySet<AppCommand> = new Set([
  'undo',
  'redo',
  'cut',
  'copy',
  'paste',
  'delete',
  'selectAll',
  'zoomIn',
  'zoomOut',
  'fitView',
  'autoLayout',
]);

/** The command a key press means, or null. Ctrl and Cmd are the same (macOS). */
export function commandForKey(e: KeyLike): AppCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  if (!mod) {
    switch (e.key) {
      case 'F5':
        return e.shiftKey ? 'runStop' : 'runStart';
      case 'F6':
        return 'runPause';
      case 'F10':
        return 'runStep';
      case 'F1':
        return 'showHelp';
      case 'Delete':
        return 'delete';
      default:
        return null;
    }
  }
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  switch (key) {
    case 'n':
      return 'new';
    case 'o':
      return 'open';
    case 's':
      return e.shiftKey ? 'saveAs' : 'save';
    case 'z':
      return e.shiftKey ? 'redo' : 'undo';
    case 'y':
      return 'redo';
    case 'x':
      return 'cut';
    case 'c':
      return 'copy';
    case 'v':
      return 'paste';
    case 'a':
      return 'selectAll';
    case '=':
    case '+':
      return 'zoomIn';
    case '-':
      return 'zoomOut';
    case '0':
      return 'fitView';
    case 'l':
      return e.shiftKey ? 'autoLayout' : null;
    default:
      return null;
  }
}
