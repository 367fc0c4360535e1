/**
 * The options of the one lab window (STYLE 10), following Electron's security
 * checklist: the page gets no Node, runs sandboxed in an isolated world, and
 * talks to the main process only through the preload's window.vglab.
 */

/** The subset of BrowserWindowConstructorOptions we set (all of them exist on Electron's type). */
export interface LabWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  /** Shown once the first paint is ready, so the window never flashes white. */
  show: boolean;
  backgroundColor: string;
  icon?: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    experimentalFeatures: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    spellcheck: false;
    /** Lets the renderer's DevTools open only from the View menu in development. */
    devTools: boolean;
    safeDialogs: true;
  };
}

export const APP_NAME = 'Vanishing Gradient Lab';

export function labWindowOptions(options: { preloadPath: string; iconPath?: string; dev: boolean }): LabWindowOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: APP_NAME,
    show: false,
    backgroundColor: '#1e1f24',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Dropping a file on the window must not navigate away from the lab.
      navigateOnDragDrop: false,
      // Layer names and numbers, not prose: red squiggles only distract.
      spellcheck: false,
      devTools: options.dev,
      // A page that loops on alert() can be stopped by the user.
      safeDialogs: true,
    },
  };
}
