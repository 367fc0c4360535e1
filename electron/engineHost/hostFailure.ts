/**
 * The words a student reads when an engine host process dies or hangs: what
 * happened, where the run was, and that it can be restarted. (The app is fine;
 * only this run's process is gone.)
 */

/** Where the run was: "during step 143", "after step 500", "while it was being prepared". */
export function runPosition(state: 'starting' | 'running' | 'paused', stepsDone: number): string {
  if (state === 'starting') return 'while the network was being prepared';
  if (state === 'running') return `during step ${stepsDone + 1}`;
  return stepsDone === 0 ? 'before the first step' : `after step ${stepsDone}`;
}

/** The process ended on its own: "… stopped unexpectedly (SIGSEGV) during step 143; …". */
export function crashMessage(code: number | null, signal: string | null, position: string): string {
  const how = signal ?? `exit code ${code ?? 'unknown'}`;
  return `the engine process stopped unexpectedly (${how}) ${position}; the run can be restarted`;
}

/** The process went silent while it should have been working, so the lab ended it. */
export function hangMessage(silentMs: number, position: string): string {
  const seconds = Math.round(silentMs / 100) / 10;
  return `the engine process stopped answering (no word from it for ${seconds} s) ${position}, so the lab ended it; the run can be restarted`;
}
