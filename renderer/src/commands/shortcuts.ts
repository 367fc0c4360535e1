/**
 * The keyboard shortcuts of the app, in one table: which key chords run which
 * AppCommand (the same names the desktop menu sends with 'app.command', so a key
 * press and a menu click run one handler). The window's key handler, the designer
 * canvas, the toolbar's tooltips and the help dialog all read this table.
 */
import type { AppCommand } from '../../../core/api/labApi.ts';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** One key chord. Ctrl means Ctrl or Cmd (macOS); Alt chords are left to menus and typing. */
export interface Chord {
  /** KeyboardEvent.key values (letters lower-case); the first is the one shown. */
  keys: readonly string[];
  ctrl?: boolean;
  /** Whether Shift must be held; 'any' for symbols that need Shift on some layouts (+). */
  shift?: boolean | 'any';
}

export interface Shortcut {
  /** Chords that run the command anywhere in the app (outside text fields for canvas commands). */
  chords: readonly Chord[];
  /** Single keys that run it only on the designer canvas (elsewhere they type or navigate). */
  canvas?: readonly Chord[];
  /** A canvas command: meaningful only while the designer is shown. */
  designer?: boolean;
}

const ctrl = (key: string, shift = false): Chord => ({ keys: [key], ctrl: true, shift });
const plain = (key: string, shift = false): Chord => ({ keys: [key], shift });

export const SHORTCUTS = {
  new: { chords: [ctrl('n')] },
  open: { chords: [ctrl('o')] },
  save: { chords: [ctrl('s')] },
  saveAs: { chords: [ctrl('s', true)] },
  undo: { chords: [ctrl('z')], designer: true },
  redo: { chords: [ctrl('z', true), ctrl('y')], designer: true },
  cut: { chords: [ctrl('x')], designer: true },
  copy: { chords: [ctrl('c')], designer: true },
  paste: { chords: [ctrl('v')], designer: true },
  delete: { chords: [plain('Delete')], canvas: [plain('Backspace')], designer: true },
  selectAll: { chords: [ctrl('a')], designer: true },
  zoomIn: {
    chords: [{ keys: ['=', '+'], ctrl: true, shift: 'any' }],
    canvas: [{ keys: ['+', '='], shift: 'any' }],
    designer: true,
  },
  zoomOut: { chords: [{ keys: ['-'], ctrl: true, shift: 'any' }], canvas: [{ keys: ['-'], shift: 'any' }], designer: true },
  fitView: { chords: [ctrl('0')], designer: true },
  autoLayout: { chords: [ctrl('l', true)], canvas: [plain('l', true)], designer: true },
  runStart: { chords: [plain('F5')] },
  runPause: { chords: [plain('F6')] },
  runStep: { chords: [plain('F10')] },
  runStop: { chords: [plain('F5', true)] },
  showHelp: { chords: [plain('F1')] },
} as const satisfies { readonly [C in AppCommand]: Shortcut };

/** The canvas commands, as a type (those marked `designer` above). */
export type DesignerAppCommand = {
  [C in AppCommand]: (typeof SHORTCUTS)[C] extends { designer: true } ? C : never;
}[AppCommand];

const COMMANDS = Object.keys(SHORTCUTS) as AppCommand[];

function shortcut(c: AppCommand): Shortcut {
  return SHORTCUTS[c];
}

/** Commands that edit the canvas: only meaningful while the designer is shown. */
export const DESIGNER_COMMANDS: ReadonlySet<AppCommand> = new Set(COMMANDS.filter((c) => shortcut(c).designer));

function matches(chord: Chord, e: KeyLike, key: string): boolean {
  return (
    chord.keys.includes(key) &&
    !!chord.ctrl === (e.ctrlKey || e.metaKey) &&
    (chord.shift === 'any' || !!chord.shift === e.shiftKey)
  );
}

/**
 * The command a key press means, or null. `where` 'canvas' adds the canvas's single
 * keys (Backspace, +, -, Shift+L) and gives only canvas commands.
 */
export function commandForKey(e: KeyLike, where: 'app' | 'canvas' = 'app'): AppCommand | null {
  if (e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  for (const c of COMMANDS) {
    const s = shortcut(c);
    if (where === 'canvas' && !s.designer) continue;
    const chords = where === 'canvas' ? [...s.chords, ...(s.canvas ?? [])] : s.chords;
    if (chords.some((chord) => matches(chord, e, key))) return c;
  }
  return null;
}

/** A chord as people write it: "Ctrl+Shift+S", "Delete", "+". */
export function chordText(chord: Chord): string {
  return `${chord.ctrl ? 'Ctrl+' : ''}${chord.shift === true ? 'Shift+' : ''}${shownKey(chord)}`;
}

function shownKey(chord: Chord): string {
  const key = chord.keys[0];
  return key.length === 1 ? key.toUpperCase() : key;
}

/** Shortcut text of a command, for tooltips and the help list: "Ctrl+Shift+Z or Ctrl+Y", "Delete, or Backspace on the canvas". */
export function shortcutText(command: AppCommand): string {
  const s = shortcut(command);
  const anywhere = s.chords.map(chordText).join(' or ');
  return s.canvas ? `${anywhere}, or ${s.canvas.map(chordText).join(' or ')} on the canvas` : anywhere;
}

/** Shortcut text per command (see shortcutText). */
export const SHORTCUT_TEXT: { readonly [C in AppCommand]: string } = Object.fromEntries(
  COMMANDS.map((c) => [c, shortcutText(c)]),
) as { [C in AppCommand]: string };

/** The aria-keyshortcuts value of a command: its app-wide chords, "Control+Shift+Z Control+Y". */
export function ariaKeyShortcuts(command: AppCommand): string {
  return SHORTCUTS[command].chords
    .map((c) => [c.ctrl ? 'Control' : '', c.shift === true ? 'Shift' : '', shownKey(c)].filter(Boolean).join('+'))
    .join(' ');
}
