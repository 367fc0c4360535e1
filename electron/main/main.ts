/**
 * The desktop app's main process: the only module that imports 'electron'. It
 * wires Electron's objects to the pure modules beside it (window options,
 * security rules, menu, title, close guard, IPC adapter) and to LabService,
 * which does the actual work. Bundled by scripts/build-electron.mjs into
 * out/electron/main.cjs; nothing here is imported by tests.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  utilityProcess,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';

import type { AppCommand, ExampleProject, ProjectState, ReportFormat } from '../../core/api/labApi.ts';
import { PROJECT_EXTENSION } from '../../core/project/schema.ts';
import { registerLabIpc } from '../ipc/ipcAdapter.ts';
import { LabService, type ExportFileKind } from '../service/labService.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppRequest } from './appProtocol.ts';
import { choiceFromResponse, CloseGate, guardUnsaved, unsavedDialogOptions, type GuardDeps, type UnsavedProject } from './closeGuard.ts';
import {
  CSV_FILTERS,
  defaultSavePath,
  EXPORT_FILTERS,
  exportExtension,
  PROJECT_FILTERS,
  reportFilters,
  withExtension,
  type FileFilter,
} from './dialogs.ts';
import { projectPathFromArgv } from './launchArgs.ts';
import { buildMenuTemplate, type EditCommand, type MenuActions } from './menu.ts';
import { pagePrinter } from './reportPdf.ts';
import { isCrash, ReloadBudget } from './rendererRecovery.ts';
import { createRendererUrlPolicy } from './rendererUrl.ts';
import { contentSecurityPolicy, denyPermissionCheck, denyPermissionRequest, hardenContents, withCsp } from './security.ts';
import { windowTitle } from './title.ts';
import { createUtilityLauncher } from './utilityLauncher.ts';
import { APP_NAME, labWindowOptions } from './windowOptions.ts';

// out/electron/ in the bundle: the preload and the engine host sit beside this file,
// the renderer in out/renderer/, the addon in out/native/ (unpacked from the asar).
const here = dirname(fileURLToPath(import.meta.url));
const appRoot = join(here, '..', '..');
const dev = !app.isPackaged;
const devServerUrl = dev ? (process.env.VGLAB_DEV_SERVER_URL ?? null) : null;

const rendererDir = join(here, '..', 'renderer');
const policy = createRendererUrlPolicy({ devServerUrl });
// The renderer is served on vglab-app://app/, not file:// (appProtocol.ts); a scheme's privileges must be set before 'ready'.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (app.isPackaged && !process.env.VGLAB_ADDON) {
  // The addon is outside the asar (asarUnpack); hosts inherit this environment.
  process.env.VGLAB_ADDON = join(process.resourcesPath, 'app.asar.unpacked', 'out', 'native', 'Release', 'vglab.node');
}

let mainWindow: BrowserWindow | null = null;
let service: LabService | null = null;
let project: ProjectState | null = null;
let pendingOpen: string | null = projectPathFromArgv(process.argv, process.cwd());
// The example list is fixed for a session; the recent list changes when a file is opened or saved.
let examples: ExampleProject[] = [];
let menuPath: string | null | undefined;

if (!app.requestSingleInstanceLock()) {
  // One lab at a time: a second launch hands its file to the running one and leaves.
  app.quit();
} else {
  app.on('second-instance', (_event, argv, cwd) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    const path = projectPathFromArgv(argv, cwd);
    if (path) void openProjectPath(path);
  });
  // macOS: a double-clicked .vglab file (possibly before 'ready').
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (service) void openProjectPath(path);
    else pendingOpen = path;
  });
  app.on('web-contents-created', (_event, contents) => {
    // electronegativity-ignore: OPEN_EXTERNAL_JS_CHECK — hardenContents passes only URLs that externalLinkTarget accepted (http/https, no credentials, at most 2,048 characters; test/electron/main/security.test.ts)
    hardenContents(contents, policy, (url) => void shell.openExternal(url));
  });
  // One window holds the one open project: closing it ends the app on every platform.
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void service?.dispose();
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => fail(e));
}

async function start(): Promise<void> {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(denyPermissionRequest);
  ses.setPermissionCheckHandler(denyPermissionCheck);
  const csp = contentSecurityPolicy({ devOrigin: policy.devOrigin });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, csp) });
  });
  protocol.handle(APP_SCHEME, (request) => serveAppFile(request, csp));

  const launcher = createUtilityLauncher({ entry: join(here, 'engineHost.cjs'), fork: utilityProcess.fork });
  const lab = new LabService({
    mode: 'desktop',
    dataDir: app.getPath('userData'),
    version: app.getVersion(),
    examplesDir: join(appRoot, 'examples'),
    launcher,
    dialogs: { openProject: showOpenProjectDialog, saveProject: showSaveProjectDialog, saveReport: showSaveReportDialog, openCsv: showOpenCsvDialog, saveExport: showSaveExportDialog },
    printPdf: pagePrinter(openPrintPage),
  });
  service = lab;

  const icon = join(appRoot, 'build', 'icon.png');
  // electronegativity-ignore: CONTEXT_ISOLATION_JS_CHECK, SANDBOX_JS_CHECK, AUXCLICK_JS_CHECK — the options come from labWindowOptions (contextIsolation and sandbox true; test/electron/main/windowOptions.test.ts), which the linter cannot follow; a middle click opens nothing because the window-open handler denies every new window (security.ts)
  const win = new BrowserWindow(
    labWindowOptions({ preloadPath: join(here, 'preload.cjs'), dev, ...(existsSync(icon) ? { iconPath: icon } : {}) }),
  );
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });
  const reloads = new ReloadBudget();
  win.webContents.on('render-process-gone', (_event, details) => {
    if (!isCrash(details.reason) || win.isDestroyed()) return;
    if (reloads.allow(Date.now())) win.reload();
    else showError('The lab window keeps crashing', `Its page stopped (${details.reason}). Your project is kept; restart the app.`);
  });

  registerLabIpc(ipcMain, lab, {
    isTrustedSender: (frame, senderId) =>
      frame !== null && !win.isDestroyed() && senderId === win.webContents.id && policy.isTrustedRendererUrl(frame.url),
    eventSink: () => (win.isDestroyed() ? null : win.webContents),
  });

  lab.subscribe((event, payload) => {
    if (event !== 'project.changed') return;
    project = payload as ProjectState;
    showTitle();
    // Edits arrive here too, many a second while dragging: rebuild the menu only when the file changed.
    if (project.path !== menuPath) void refreshMenu();
  });
  examples = await lab.dispatch('project.examples', {}).catch(() => []);
  project = await lab.dispatch('project.get', {});
  showTitle();
  await refreshMenu();

  const gate = new CloseGate();
  win.on('close', (event) => {
    if (gate.mayClose()) return;
    event.preventDefault();
    void gate.request(() => guardCurrent('close')).then((ok) => {
      if (ok && !win.isDestroyed()) win.close();
    });
  });

  await win.loadURL(policy.entryUrl);
  if (pendingOpen) {
    const path = pendingOpen;
    pendingOpen = null;
    await openProjectPath(path);
  }
}

/** One request on vglab-app://: resolveAppRequest decides, this only reads the file. */
async function serveAppFile(request: Request, csp: string): Promise<Response> {
  const r = await resolveAppRequest(request, rendererDir, csp);
  if (!('filePath' in r)) return new Response(r.body, { status: r.status, headers: r.headers });
  return new Response(request.method === 'HEAD' ? null : await readFile(r.filePath), { status: r.status, headers: r.headers });
}

// ---- the project: title, unsaved changes, opening ----------------------------------------

function showTitle(): void {
  const win = mainWindow;
  if (!win || win.isDestroyed() || !project) return;
  const t = windowTitle({ name: project.project.name, path: project.path, dirty: project.dirty });
  win.setTitle(t.title);
  if (process.platform === 'darwin') {
    win.setDocumentEdited(t.documentEdited);
    win.setRepresentedFilename(t.representedFilename);
  }
}

function currentProject(): UnsavedProject {
  return { name: project?.project.name ?? '', path: project?.path ?? null, dirty: project?.dirty ?? false };
}

const guardDeps = (action: 'close' | 'replace'): GuardDeps => ({
  ask: async (p) => {
    const options = unsavedDialogOptions(p, action);
    const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
    return choiceFromResponse(response);
  },
  save: async (p) => {
    if (!service) return false;
    if (p.path) {
      await service.dispatch('project.save', {});
      return true;
    }
    return (await service.dispatch('project.saveDialog', {})) !== null;
  },
  reportSaveError: (e) => showError('The project was not saved', e),
  discard: () => service?.discardUnsavedChanges(),
});

function guardCurrent(action: 'close' | 'replace') {
  return guardUnsaved(currentProject(), guardDeps(action));
}

/** Opens a project file (recent list, file association), asking about unsaved changes first. */
async function openProjectPath(path: string): Promise<void> {
  if (!service || (await guardCurrent('replace')) === 'stay') return;
  try {
    await service.dispatch('project.open', { path });
  } catch (e) {
    showError('The project could not be opened', e);
  }
}

async function openExample(id: string): Promise<void> {
  if (!service || (await guardCurrent('replace')) === 'stay') return;
  try {
    await service.dispatch('project.openExample', { id });
  } catch (e) {
    showError('The example could not be opened', e);
  }
}

// ---- dialogs ------------------------------------------------------------------------------

/** The native open dialog for one file; null when the user cancels. */
async function showOpenFileDialog(title: string, filters: FileFilter[]): Promise<string | null> {
  const options = { title, properties: ['openFile' as const], filters };
  const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

function showOpenProjectDialog(): Promise<string | null> {
  return showOpenFileDialog('Open Project', PROJECT_FILTERS);
}

function showOpenCsvDialog(): Promise<string | null> {
  return showOpenFileDialog('Import CSV Data', CSV_FILTERS);
}

async function showSaveProjectDialog(defaultName: string): Promise<string | null> {
  const options = {
    title: 'Save Project',
    defaultPath: defaultSavePath(app.getPath('documents'), defaultName, PROJECT_EXTENSION),
    filters: PROJECT_FILTERS,
  };
  const r = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : withExtension(r.filePath, PROJECT_EXTENSION);
}

async function showSaveReportDialog(defaultName: string, format: ReportFormat): Promise<string | null> {
  const options = {
    title: 'Export Report',
    defaultPath: defaultSavePath(app.getPath('documents'), defaultName, `.${format}`),
    filters: reportFilters(format),
  };
  const r = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : withExtension(r.filePath, `.${format}`);
}

async function showSaveExportDialog(defaultName: string, kind: ExportFileKind): Promise<string | null> {
  const extension = exportExtension(kind);
  const options = {
    title: kind === 'zip' ? 'Export Traces' : 'Export PyTorch Module',
    defaultPath: defaultSavePath(app.getPath('documents'), defaultName, extension),
    filters: EXPORT_FILTERS[kind],
  };
  const r = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : withExtension(r.filePath, extension);
}

/** The menu's Export Report: the dialog offers HTML first and PDF; LabService writes the format the path names. */
async function exportReport(): Promise<void> {
  if (!service || !mainWindow) return;
  try {
    const written = await service.dispatch('export.reportDialog', { format: 'html' });
    if (written) shell.showItemInFolder(written.files[0]);
  } catch (e) {
    showError('The report was not exported', e);
  }
}

/** A hidden window that shows a local report without running any script, for printToPDF. */
async function openPrintPage(htmlPath: string) {
  // electronegativity-ignore: AUXCLICK_JS_CHECK — a hidden window with JavaScript off, never shown or clicked; its webContents is hardened like every other (no new windows)
  const page = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
  });
  await page.loadFile(htmlPath);
  return {
    printToPDF: (options: { pageSize: 'A4'; printBackground: boolean; landscape: boolean }) => page.webContents.printToPDF(options),
    close: () => page.destroy(),
  };
}

function showError(title: string, e: unknown): void {
  const message = e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
  dialog.showErrorBox(title, message);
}

function fail(e: unknown): void {
  showError(`${APP_NAME} could not start`, e);
  app.exit(1);
}

// ---- the menu -------------------------------------------------------------------------------

function sendCommand(command: AppCommand): void {
  service?.emit('app.command', { command });
}

const NATIVE_EDIT: Record<EditCommand, (contents: WebContents) => void> = {
  undo: (c) => c.undo(),
  redo: (c) => c.redo(),
  cut: (c) => c.cut(),
  copy: (c) => c.copy(),
  paste: (c) => c.paste(),
  delete: (c) => c.delete(),
  selectAll: (c) => c.selectAll(),
};

const menuActions: MenuActions = {
  command: sendCommand,
  edit: (command) => {
    const contents = mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;
    if (contents) NATIVE_EDIT[command](contents);
    sendCommand(command);
  },
  openExample: (id) => void openExample(id),
  openRecent: (path) => void openProjectPath(path),
  exportReport: () => void exportReport(),
  about: () => void showAbout(),
  quit: () => app.quit(),
};

async function refreshMenu(): Promise<void> {
  if (!service) return;
  menuPath = project?.path ?? null;
  const recent = await service.dispatch('project.recent', {}).catch(() => []);
  const template = buildMenuTemplate({ platform: process.platform, dev, examples, recent, actions: menuActions });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));
}

async function showAbout(): Promise<void> {
  if (!service) return;
  const info = await service.dispatch('app.info', {});
  const options = {
    type: 'info' as const,
    title: `About ${APP_NAME}`,
    message: APP_NAME,
    detail: `Version ${info.version}\nEngine: ${info.isa} kernels\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}`,
  };
  if (mainWindow) await dialog.showMessageBox(mainWindow, options);
  else await dialog.showMessageBox(options);
}
