/**
 * Coalesces bursts of work into at most one flush per animation frame. Trace
 * chunks arrive up to ~30 a second per run, several runs at once; the charts
 * rebuild once per frame whatever arrived, never once per chunk. When a flush
 * itself gets slow (a long run's snapshot), the next one waits proportionally
 * longer, so the page stays responsive instead of spending every frame on it.
 */
import { afterFrame } from '../frames/afterFrame.ts';

export interface FrameCoalescer {
  /** Asks for a flush on the next frame (many requests, one flush). */
  request(): void;
  /** Flushes now if one is waiting (tests, before a fetch replaces the data). */
  flushNow(): void;
  dispose(): void;
}

export interface CoalescerOptions {
  /** Schedules a callback for the next frame; after requestAnimationFrame, in a task of its own, by default. */
  schedule?: (cb: () => void) => unknown;
  now?: () => number;
  /** A flush that took t ms is followed by at least t * this many ms of rest. */
  restFactor?: number;
  /** Flushes are at least this far apart (ms); 0: every frame. */
  minIntervalMs?: number;
}


export function createFrameCoalescer(flush: () => void, options: CoalescerOptions = {}): FrameCoalescer {
  const schedule = options.schedule ?? afterFrame;
  const now = options.now ?? (() => performance.now());
  const restFactor = options.restFactor ?? 3;
  const minInterval = options.minIntervalMs ?? 0;
  let waiting = false;
  let scheduled = false;
  let notBefore = 0;
  let disposed = false;

  function run(): void {
    waiting = false;
    const start = now();
    flush();
    const end = now();
    // A mark in a recorded Chrome trace (the long-task test's VGLAB_UI_TRACE).
    if (typeof console !== 'undefined') console.timeStamp?.(`trace chunks applied, ${Math.round(end - start)} ms`);
    const rest = (until: number) => (notBefore = Math.max(until + (until - start) * restFactor, start + minInterval));
    rest(end);
    // What the flush set off in microtasks (Vue re-rendering the charts' cards) counts too.
    if (typeof queueMicrotask === 'function') queueMicrotask(() => rest(now()));
  }

  function onFrame(): void {
    scheduled = false;
    if (disposed || !waiting) return;
    if (now() < notBefore) {
      scheduled = true;
      schedule(onFrame);
      return;
    }
    run();
  }

  return {
    request() {
      if (disposed) return;
      waiting = true;
      if (!scheduled) {
        scheduled = true;
        schedule(onFrame);
      }
    },
    flushNow() {
      if (waiting) run();
    },
    dispose() {
      disposed = true;
    },
  };
}
