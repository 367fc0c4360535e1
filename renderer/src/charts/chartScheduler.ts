/**
 * Draws the page's charts one at a time: at most one chart's work (mounting it,
 * or giving it its newest option) per animation frame, round robin. An ECharts
 * update is JavaScript and then, at the frame's commit, the raster of the chart's
 * canvas on the main thread (software canvas); three charts updated in the same
 * frame are three times both, in one task. One chart a frame keeps each task to
 * a single chart's cost.
 *
 * A chart asked to draw again while it waits keeps its place and draws only its
 * newest work; once drawn, it goes to the back of the line, so a chart that
 * changes every frame cannot starve the others. A job that took t ms is followed
 * by at least t * restFactor ms before the next one, and the same chart draws
 * again no sooner than t * chartRestFactor ms later, so a page whose charts are
 * slow to draw (a long run, a busy machine) redraws them, the slow ones most,
 * less often instead of spending every frame on them.
 */
import { afterFrame } from '../frames/afterFrame.ts';

export interface ChartScheduler {
  /** Runs `job` for chart `key` on a coming frame (replacing the job `key` has waiting, keeping its place). */
  schedule(key: object, job: () => void): void;
  /** Forgets the job `key` has waiting (the chart is gone). */
  cancel(key: object): void;
  /** Jobs waiting. */
  readonly pending: number;
  /** Runs every waiting job now (tests, an export that needs the drawn chart). */
  flushAll(): void;
}

export interface ChartSchedulerOptions {
  /**
   * Schedules a callback for the next frame: requestAnimationFrame, then a task
   * of its own (a MessageChannel message) by default, so a chart never draws in
   * the same task as the frame's other callbacks (the trace chunks applied, the
   * charts' options rebuilt) and its canvas is rasterised at the next frame.
   */
  frame?: (cb: () => void) => unknown;
  now?: () => number;
  /** A job that took t ms is followed by at least t * this many ms without one. */
  restFactor?: number;
  /** Jobs that took less than this (ms) in all may be followed by another in the same frame. */
  frameBudgetMs?: number;
  /** A chart whose job took t ms runs its next job no sooner than t * this many ms later. */
  chartRestFactor?: number;
}


export function createChartScheduler(options: ChartSchedulerOptions = {}): ChartScheduler {
  const frame = options.frame ?? afterFrame;
  const now = options.now ?? (() => performance.now());
  const restFactor = options.restFactor ?? 1;
  const frameBudget = options.frameBudgetMs ?? 0;
  const chartRestFactor = options.chartRestFactor ?? 6;
  const jobs = new Map<object, () => void>();
  /** When each chart may run again (its last job's time times chartRestFactor). */
  const due = new WeakMap<object, number>();
  let scheduled = false;
  let notBefore = 0;

  function request(): void {
    if (scheduled || jobs.size === 0) return;
    scheduled = true;
    frame(onFrame);
  }

  /** The first chart in line that may run now, if any. */
  function next(t: number): object | undefined {
    for (const key of jobs.keys()) if ((due.get(key) ?? 0) <= t) return key;
    return undefined;
  }

  function run(key: object): number {
    const job = jobs.get(key)!;
    jobs.delete(key);
    const start = now();
    try {
      job();
    } catch (e) {
      console.error('a chart failed to draw', e);
    }
    const took = now() - start;
    due.set(key, start + took * chartRestFactor);
    return took;
  }

  function onFrame(): void {
    scheduled = false;
    if (jobs.size === 0) return;
    const start = now();
    let key = start >= notBefore ? next(start) : undefined;
    if (key) {
      let spent = run(key);
      // Cheap jobs (a chart that did not change much) may share a frame, up to the budget.
      while (spent < frameBudget && (key = next(now()))) spent += run(key);
      notBefore = now() + spent * restFactor;
    }
    request();
  }

  return {
    schedule(key, job) {
      jobs.set(key, job);
      request();
    },
    cancel(key) {
      jobs.delete(key);
    },
    get pending() {
      return jobs.size;
    },
    flushAll() {
      while (jobs.size > 0) run(jobs.keys().next().value as object);
    },
  };
}

/** The page's one scheduler: every EChart on the page takes its turn in it. */
export const chartScheduler = createChartScheduler();
