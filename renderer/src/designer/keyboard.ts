// The canvas's keyboard shortcuts as a pure map from a key event to a command, so
// the bindings are tested without a DOM and listed in one place (the toolbar's
// tooltips read SHORTCUT_HINTS).

export type DesignerCommand =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'deleteSelection'
  | 'selectAll'
  | 'zoomIn'
  | 'zoomOut'
  | 'fitView'
  | 'autoLayout';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The command a key press on the canvas means, or null. Ctrl and Cmd are the same. */
export function commandForKey(e: KeyLike): DesignerCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.altKey) return null;
  if (mod) {
    switch (key) {
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
      default:
        return null;
    }
  }
  if (e.shiftKey && key === 'l') return 'autoLayout';
  if (key === 'Delete' || key === 'Backspace') return 'deleteSelection';
  if (key === '+' || key === '=') return 'zoomIn';
  if (key === '-') return 'zoomOut';
  return null;
}

/** Shortcut text per command, for tooltips and the help line. */
export const SHORTCUT_HINTS: { readonly [C in DesignerCommand]: string } = {
  undo: 'Ctrl+Z',
  redo: 'Ctrl+Shift+Z / Ctrl+Y',
  cut: 'Ctrl+X',
  copy: 'Ctrl+C',
  paste: 'Ctrl+V',
  deleteSelection: 'Delete',
  selectAll: 'Ctrl+A',
  zoomIn: '+',
  zoomOut: '-',
  fitView: 'Ctrl+0',
  autoLayout: 'Shift+L',
};
