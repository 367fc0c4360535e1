// The histogram refresher: one fetch in flight at most, a modest rate while the run
// trains, slower when fetches are slow, nothing once stopped or disposed.
import { describe, expect, it } from 'vitest';

import { createRefresher } from '../../../renderer/src/views/train/refresher.ts';

function harness(fetchMs = 0) {
  let t = 0;
  const timers: { at: number; cb: () => void; id: number }[] = [];
  let next = 1;
  const loads: (() => void)[] = [];
  let started = 0;
  const refresher = createRefresher(
    () =>
      new Promise<void>((resolve) => {
        started++;
        loads.push(() => {
          t += fetchMs;
          resolve();
        });
      }),
    {
      minIntervalMs: 1000,
      restFactor: 5,
      now: () => t,
      setTimer: (cb, ms) => {
        const id = next++;
        timers.push({ at: t + ms, cb, id });
        return id;
      },
      clearTimer: (h) => {
        const i = timers.findIndex((x) => x.id === h);
        if (i >= 0) timers.splice(i, 1);
      },
    },
  );
  return {
    refresher,
    started: () => started,
    async finishLoad() {
      loads.shift()?.();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
    advance(ms: number) {
      t += ms;
      for (const due of timers.filter((x) => x.at <= t)) {
        timers.splice(timers.indexOf(due), 1);
        due.cb();
      }
    },
    timers: () => timers.map((x) => x.at - t),
  };
}

describe('createRefresher', () => {
  it('fetches once per refresh, and a refresh during a fetch waits for it instead of overlapping', async () => {
    const h = harness();
    h.refresher.refresh();
    h.refresher.refresh();
    h.refresher.refresh();
    expect(h.started()).toBe(1);
    await h.finishLoad();
    expect(h.started()).toBe(2); // the waiting request, served once
    await h.finishLoad();
    expect(h.started()).toBe(2);
  });

  it('keeps fetching at the modest rate while live, and stops when not', async () => {
    const h = harness();
    h.refresher.setLive(true);
    expect(h.started()).toBe(0);
    h.advance(1000);
    expect(h.started()).toBe(1);
    await h.finishLoad();
    h.advance(999);
    expect(h.started()).toBe(1);
    h.advance(1);
    expect(h.started()).toBe(2);
    await h.finishLoad();
    h.refresher.setLive(false);
    h.advance(10_000);
    expect(h.started()).toBe(2);
  });

  it('waits longer after a slow fetch (a long run) so the lab is not kept busy', async () => {
    const h = harness(800);
    h.refresher.setLive(true);
    h.advance(1000);
    await h.finishLoad();
    expect(h.timers()).toEqual([4000]); // 800 ms x 5
  });

  it('does nothing after dispose', async () => {
    const h = harness();
    h.refresher.setLive(true);
    h.refresher.dispose();
    h.advance(5000);
    h.refresher.refresh();
    expect(h.started()).toBe(0);
  });
});
