/** A trailing debounce with flush (send now) and cancel, for edits sent to the lab. */
export interface Debounced<T> {
  (value: T): void;
  /** Runs the pending call now, if there is one. */
  flush(): void;
  cancel(): void;
  readonly pending: boolean;
}

export function debounce<T>(fn: (value: T) => void, ms: number): Debounced<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last: { value: T } | null = null;
  const run = () => {
    timer = null;
    const call = last;
    last = null;
    if (call) fn(call.value);
  };
  const d = ((value: T) => {
    last = { value };
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
  }) as Debounced<T>;
  d.flush = () => {
    if (timer) clearTimeout(timer);
    run();
  };
  d.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    last = null;
  };
  Object.defineProperty(d, 'pending', { get: () => last !== null });
  return d;
}
