/**
 * How the lab starts an engine host process. Under Node that is a forked child
 * process (nodeLauncher.ts); inside Electron it is a utilityProcess (electron/main
 * builds that launcher). Either way messages are structured-cloned, so typed arrays
 * cross without copying through JSON.
 *
 * What any launcher must do: run electron/engineHost/host.ts (bundled to JS where
 * TypeScript cannot run) in a fresh process with a message channel to this one —
 * Node's fork with serialization 'advanced', or utilityProcess.fork, whose
 * process.parentPort the host detects — and report the process's end exactly once,
 * with the signal when one killed it (the run's failure message names it).
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
