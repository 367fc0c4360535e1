/**
 * Runs `fn` at most once every `ms`: the first call runs at once, calls within the
 * interval collapse into one trailing run at its end (so the last state is never
 * missed). The diagnosis panel uses it to re-diagnose a training run every 500 ms
 * however fast its traces arrive.
 */
export interface ThrottleOptions {
  now?: () => number;
  setTimer?: (cb: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface Throttled {
  (): void;
  /** Runs now if a trailing run is waiting (and resets the interval). */
  flush(): void;
  cancel(): void;
}

export function throttle(fn: () => void, ms: number, options: ThrottleOptions = {}): Throttled {
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((cb, delay) => setTimeout(cb, delay));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let last = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;

  function run(): void {
    if (timer !== null) clearTimer(timer);
    timer = null;
    last = now();
    fn();
  }

  const call = (() => {
    const wait = last + ms - now();
    if (wait <= 0) run();
    else if (timer === null) timer = setTimer(run, wait);
  }) as Throttled;
  call.flush = () => {
    if (timer !== null) run();
  };
  call.cancel = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
  return call;
}
