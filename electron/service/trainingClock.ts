/**
 * One run's budget of training time under the time cap (core/training/timeCap.ts):
 * it counts wall-clock time while the run trains, not while it stands paused, and
 * calls `onCap` once when the budget is spent (the run manager then stops the run
 * between two steps). A cap of 0 counts nothing and never fires.
 */
export class TrainingClock {
  private usedMs = 0;
  /** performance.now() when the current stretch of training began; null while not training. */
  private since: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private fired = false;

  constructor(
    private readonly capMs: number,
    private readonly onCap: () => void,
  ) {}

  /** The cap reached: the run is being (or was) stopped for it. */
  get reached(): boolean {
    return this.fired;
  }

  /** The run trains (again): time counts from now. */
  resume(): void {
    if (this.capMs <= 0 || this.since !== null || this.fired) return;
    this.since = performance.now();
    this.timer = setTimeout(() => {
      this.pause();
      this.fired = true;
      this.onCap();
    }, Math.max(0, this.capMs - this.usedMs));
  }

  /** The run stopped training (paused, or ended): time stops counting. */
  pause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.since !== null) this.usedMs += performance.now() - this.since;
    this.since = null;
  }

  /** The run starts over (restart): a fresh budget. */
  reset(): void {
    this.pause();
    this.usedMs = 0;
    this.fired = false;
  }
}
