/**
 * Fetches something now and, while `live`, again at a modest rate: the Train
 * view's histograms, which the live store does not keep (runs.traces sends the
 * whole run, so each fetch costs in proportion to its length). One fetch is in
 * flight at most; a request during one is kept and served when it ends. The
 * pause after a fetch grows with how long the fetch took, so a long run is
 * asked less often instead of keeping the socket busy.
 */
export interface RefresherOptions {
  /** Fetches at most this often while live (ms). */
  minIntervalMs?: number;
  /** A fetch that took t ms is followed by at least t * this many ms of rest. */
  restFactor?: number;
  now?: () => number;
  setTimer?: (cb: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface Refresher {
  /** Fetches as soon as no fetch is in flight. */
  refresh(): void;
  /** Keeps fetching at the modest rate (true) or only on refresh() (false). */
  setLive(live: boolean): void;
  dispose(): void;
}

export const HISTOGRAM_REFRESH_MS = 3000;

export function createRefresher(load: () => Promise<void>, options: RefresherOptions = {}): Refresher {
  const minInterval = options.minIntervalMs ?? HISTOGRAM_REFRESH_MS;
  const restFactor = options.restFactor ?? 5;
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((cb, ms) => setTimeout(cb, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let live = false;
  let inFlight = false;
  let pending = false;
  let timer: unknown = null;
  let disposed = false;

  function schedule(delay: number): void {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(() => {
      timer = null;
      if (live) run();
    }, delay);
  }

  function run(): void {
    if (disposed) return;
    if (inFlight) {
      pending = true;
      return;
    }
    inFlight = true;
    pending = false;
    const start = now();
    load()
      .catch(() => {
        // The caller's load reports its own errors; the refresher only keeps the rhythm.
      })
      .finally(() => {
        inFlight = false;
        if (disposed) return;
        const took = now() - start;
        if (pending) run();
        else if (live) schedule(Math.max(minInterval, took * restFactor));
      });
  }

  return {
    refresh: run,
    setLive(next: boolean) {
      if (next === live) return;
      live = next;
      if (!live && timer !== null) {
        clearTimer(timer);
        timer = null;
      }
      if (live && !inFlight && timer === null) schedule(minInterval);
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
