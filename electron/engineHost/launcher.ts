/**
 * How the lab starts an engine host process. Under Node that is a forked child
 * process; inside Electron it is a utilityProcess (electron/main builds that
 * launcher). Either way messages are structured-cloned, so typed arrays cross
 * without copying through JSON.
 */

/** One running host process as the parent sees it. */
export interface HostChannel {
  /** Sends a message to the host (structured clone). */
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone: its exit code, or the signal that killed it. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Ends the process (SIGKILL where there is such a thing). */
  kill(): void;
  readonly pid: number | undefined;
}

export interface HostLauncher {
  launch(): HostChannel;
}
