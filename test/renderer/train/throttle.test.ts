// The diagnosis throttle: at most one run per interval, the last call never lost.
import { describe, expect, it } from 'vitest';

import { throttle } from '../../../renderer/src/views/train/throttle.ts';

function clock() {
  let t = 0;
  const timers: { at: number; cb: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => t,
    setTimer: (cb: () => void, ms: number) => {
      const id = next++;
      timers.push({ at: t + ms, cb, id });
      return id;
    },
    clearTimer: (h: unknown) => {
      const i = timers.findIndex((x) => x.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      t += ms;
      for (const due of timers.filter((x) => x.at <= t)) {
        timers.splice(timers.indexOf(due), 1);
        due.cb();
      }
    },
    pending: () => timers.length,
  };
}

describe('throttle', () => {
  it('runs the first call at once and folds a burst within the interval into one trailing run', () => {
    const c = clock();
    let runs = 0;
    const f = throttle(() => runs++, 500, c);
    f();
    expect(runs).toBe(1);
    for (let i = 0; i < 20; i++) {
      c.advance(10);
      f();
    }
    expect(runs).toBe(1);
    expect(c.pending()).toBe(1);
    c.advance(500);
    expect(runs).toBe(2);
  });

  it('runs at once again once the interval has passed', () => {
    const c = clock();
    let runs = 0;
    const f = throttle(() => runs++, 500, c);
    f();
    c.advance(600);
    f();
    expect(runs).toBe(2);
    expect(c.pending()).toBe(0);
  });

  it('flush runs a waiting trailing call now; cancel drops it', () => {
    const c = clock();
    let runs = 0;
    const f = throttle(() => runs++, 500, c);
    f();
    f();
    f.flush();
    expect(runs).toBe(2);
    f.flush(); // nothing waiting: nothing runs
    expect(runs).toBe(2);
    c.advance(100);
    f();
    f.cancel();
    c.advance(1000);
    expect(runs).toBe(2);
  });
});
