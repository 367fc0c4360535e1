/**
 * When the page's renderer process dies (out of memory, a GPU driver fault), the
 * project is safe in the main process's LabService, so reloading the page brings
 * the student back to their work. A page that keeps crashing is not reloaded
 * forever: after `max` crashes within `windowMs` the window stays as it is and the
 * user is told.
 */
export class ReloadBudget {
  private readonly crashes: number[] = [];

  constructor(
    private readonly max = 3,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a crash at `now` (ms); true when the page should be reloaded. */
  allow(now: number): boolean {
    while (this.crashes.length > 0 && now - this.crashes[0]! > this.windowMs) this.crashes.shift();
    this.crashes.push(now);
    return this.crashes.length <= this.max;
  }
}

/** Reasons (Electron's RenderProcessGoneDetails.reason) that are not a crash: nothing to recover. */
export function isCrash(reason: string): boolean {
  return reason !== 'clean-exit';
}
