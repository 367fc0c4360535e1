/**
 * Engine hosts as Electron utility processes: a Chromium-managed Node process per
 * run, so a crash in the native engine costs that run and never the window. The
 * host (electron/engineHost/host.ts, bundled to out/electron/engineHost.cjs)
 * talks over process.parentPort; both directions structured-clone, so trace
 * chunks' typed arrays arrive as typed arrays.
 *
 * utilityProcess.fork is passed in (main.ts owns the 'electron' import), which
 * keeps this adapter testable with a stand-in process.
 */
import type { HostChannel, HostLauncher } from '../engineHost/launcher.ts';

/** The part of Electron's UtilityProcess this adapter uses. */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
  readonly pid: number | undefined;
}

export interface UtilityForkOptions {
  env: NodeJS.ProcessEnv;
  serviceName: string;
  stdio: 'inherit' | 'ignore';
}

/** utilityProcess.fork */
export type ForkUtility = (modulePath: string, args: string[], options: UtilityForkOptions) => UtilityProcessLike;

export interface UtilityLauncherOptions {
  /** The bundled host entry (out/electron/engineHost.cjs). */
  entry: string;
  fork: ForkUtility;
  env?: NodeJS.ProcessEnv;
}

export function createUtilityLauncher(options: UtilityLauncherOptions): HostLauncher {
  return {
    launch(): HostChannel {
      const child = options.fork(options.entry, [], {
        env: options.env ?? process.env,
        // The name Electron shows in app.getAppMetrics and child-process-gone.
        serviceName: 'Vanishing Gradient Lab engine',
        stdio: 'inherit',
      });
      return channelOf(child);
    },
  };
}

function channelOf(child: UtilityProcessLike): HostChannel {
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  let gone = false;
  child.on('exit', (code) => {
    if (gone) return;
    gone = true;
    // A utility process reports only an exit code; a crash shows as a non-zero one.
    for (const listener of exitListeners) listener(code, null);
  });
  return {
    post: (message) => {
      if (!gone) child.postMessage(message);
    },
    onMessage: (listener) => {
      child.on('message', listener);
    },
    onExit: (listener) => {
      exitListeners.push(listener);
    },
    kill: () => {
      if (!gone) child.kill();
    },
    get pid() {
      return child.pid;
    },
  };
}
