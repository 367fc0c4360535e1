/**
 * The application menu as a pure template: what items exist, their accelerators
 * and what each does, decided without Electron (main.ts hands the result to
 * Menu.buildFromTemplate). Designer and run commands are not performed here:
 * they are forwarded to the renderer as 'app.command' events, because the
 * renderer owns the selection, the undo history and the run controls.
 */
import type { AppCommand, ExampleProject, RecentProject } from '../../core/api/labApi.ts';
import { APP_NAME } from './windowOptions.ts';

/** The subset of Electron's MenuItemConstructorOptions this template uses (assignable to it). */
export interface MenuItemSpec {
  label?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'submenu';
  accelerator?: string;
  enabled?: boolean;
  visible?: boolean;
  /** Lets a hidden alias (e.g. Ctrl+Shift+Z for Redo on Windows) still fire. */
  acceleratorWorksWhenHidden?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'reload'
  | 'toggleDevTools'
  | 'togglefullscreen'
  | 'windowMenu';

/** The edit commands: each also runs natively so text fields keep working (see MenuActions.edit). */
export const EDIT_COMMANDS = ['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll'] as const satisfies readonly AppCommand[];
export type EditCommand = (typeof EDIT_COMMANDS)[number];

export interface MenuActions {
  /** Forward a command to the renderer ('app.command'). */
  command(command: Exclude<AppCommand, EditCommand>): void;
  /**
   * An edit command: run natively on the focused page (webContents.undo(), .copy(), ...)
   * so a focused text field behaves as usual, and forward it to the renderer, which
   * applies it to the designer when no text field has the focus.
   */
  edit(command: EditCommand): void;
  openExample(id: string): void;
  openRecent(path: string): void;
  exportReport(): void;
  about(): void;
  quit(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  /** Development build: Reload and DevTools appear in View. */
  dev: boolean;
  examples: readonly ExampleProject[];
  recent: readonly RecentProject[];
  actions: MenuActions;
}

const separator: MenuItemSpec = { type: 'separator' };

export function buildMenuTemplate(ctx: MenuContext): MenuItemSpec[] {
  const mac = ctx.platform === 'darwin';
  const a = ctx.actions;
  const cmd = (label: string, command: Exclude<AppCommand, EditCommand>, accelerator?: string): MenuItemSpec => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => a.command(command),
  });
  const edit = (label: string, command: EditCommand, accelerator: string): MenuItemSpec => ({
    label,
    accelerator,
    click: () => a.edit(command),
  });
  const alias = (item: MenuItemSpec, accelerator: string): MenuItemSpec => ({
    ...item,
    accelerator,
    visible: false,
    acceleratorWorksWhenHidden: true,
  });

  const template: MenuItemSpec[] = [];

  if (mac) {
    template.push({
      label: APP_NAME,
      submenu: [
        { label: `About ${APP_NAME}`, click: () => a.about() },
        separator,
        { role: 'services' },
        separator,
        { role: 'hide', accelerator: 'Command+H' },
        { role: 'hideOthers', accelerator: 'Command+Alt+H' },
        { role: 'unhide' },
        separator,
        { role: 'quit', accelerator: 'Command+Q' },
      ],
    });
  }

  template.push({
    label: '&File',
    submenu: [
      cmd('&New Project', 'new', 'CmdOrCtrl+N'),
      cmd('&Open…', 'open', 'CmdOrCtrl+O'),
      { label: 'Open &Example', submenu: exampleItems(ctx) },
      { label: 'Open &Recent', submenu: recentItems(ctx) },
      separator,
      cmd('&Save', 'save', 'CmdOrCtrl+S'),
      cmd('Save &As…', 'saveAs', 'CmdOrCtrl+Shift+S'),
      separator,
      { label: 'Export &Report…', accelerator: 'CmdOrCtrl+E', click: () => a.exportReport() },
      ...(mac ? [] : [separator, { label: '&Quit', accelerator: 'CmdOrCtrl+Q', click: () => a.quit() }]),
    ],
  });

  const redo = edit('&Redo', 'redo', mac ? 'CmdOrCtrl+Shift+Z' : 'CmdOrCtrl+Y');
  template.push({
    label: '&Edit',
    submenu: [
      edit('&Undo', 'undo', 'CmdOrCtrl+Z'),
      redo,
      // Windows and Linux users reach Redo both ways.
      ...(mac ? [] : [alias(redo, 'CmdOrCtrl+Shift+Z')]),
      separator,
      edit('Cu&t', 'cut', 'CmdOrCtrl+X'),
      edit('&Copy', 'copy', 'CmdOrCtrl+C'),
      edit('&Paste', 'paste', 'CmdOrCtrl+V'),
      edit('&Delete', 'delete', 'Delete'),
      separator,
      edit('Select &All', 'selectAll', 'CmdOrCtrl+A'),
    ],
  });

  const zoomIn = cmd('Zoom &In', 'zoomIn', 'CmdOrCtrl+=');
  const zoomOut = cmd('Zoom &Out', 'zoomOut', 'CmdOrCtrl+-');
  template.push({
    label: '&View',
    submenu: [
      zoomIn,
      alias(zoomIn, 'CmdOrCtrl+numadd'),
      zoomOut,
      alias(zoomOut, 'CmdOrCtrl+numsub'),
      cmd('&Fit to Window', 'fitView', 'CmdOrCtrl+0'),
      cmd('Auto &Layout', 'autoLayout', 'CmdOrCtrl+Shift+L'),
      separator,
      { role: 'togglefullscreen', accelerator: mac ? 'Ctrl+Command+F' : 'F11' },
      ...(ctx.dev
        ? [
            separator,
            { role: 'reload', accelerator: 'CmdOrCtrl+R' } satisfies MenuItemSpec,
            { role: 'toggleDevTools', accelerator: mac ? 'Alt+Command+I' : 'Ctrl+Shift+I' } satisfies MenuItemSpec,
          ]
        : []),
    ],
  });

  // Debugger conventions: F5 go, F10 step over, Shift+F5 stop.
  template.push({
    label: '&Run',
    submenu: [
      cmd('&Start', 'runStart', 'F5'),
      cmd('&Pause', 'runPause', 'F6'),
      cmd('S&tep', 'runStep', 'F10'),
      cmd('St&op', 'runStop', 'Shift+F5'),
    ],
  });

  if (mac) template.push({ role: 'windowMenu' });

  template.push({
    label: '&Help',
    submenu: [
      cmd('Lab &Guide', 'showHelp', 'F1'),
      ...(mac ? [] : [separator, { label: `&About ${APP_NAME}`, click: () => a.about() }]),
    ],
  });

  return template;
}

function exampleItems(ctx: MenuContext): MenuItemSpec[] {
  if (ctx.examples.length === 0) return [{ label: 'No examples found', enabled: false }];
  return ctx.examples.map((e) => ({ label: menuText(e.name), click: () => ctx.actions.openExample(e.id) }));
}

function recentItems(ctx: MenuContext): MenuItemSpec[] {
  if (ctx.recent.length === 0) return [{ label: 'No recent projects', enabled: false }];
  return ctx.recent.slice(0, 10).map((r) => ({ label: menuText(r.name || r.path), click: () => ctx.actions.openRecent(r.path) }));
}

// "&" marks a mnemonic in menu labels: a project named "A & B" must show its ampersand.
function menuText(text: string): string {
  return text.replaceAll('&', '&&');
}

/**
 * An accelerator in one canonical spelling for one platform, to compare them:
 * CmdOrCtrl resolved, modifiers sorted, case folded ("CmdOrCtrl+Shift+Z" on
 * Linux -> "ctrl+shift+z").
 */
export function canonicalAccelerator(accelerator: string, platform: NodeJS.Platform): string {
  const parts = accelerator.split('+').map((p) => p.toLowerCase());
  // "CmdOrCtrl++" would split into empty parts; our template writes "Plus" instead.
  const key = parts.pop() ?? '';
  const mods = parts.map((m) => {
    if (m === 'cmdorctrl' || m === 'commandorcontrol') return platform === 'darwin' ? 'cmd' : 'ctrl';
    if (m === 'command' || m === 'cmd' || m === 'super' || m === 'meta') return 'cmd';
    if (m === 'control') return 'ctrl';
    if (m === 'option' || m === 'altgr') return 'alt';
    return m;
  });
  return [...new Set(mods)].sort().concat(key).join('+');
}
