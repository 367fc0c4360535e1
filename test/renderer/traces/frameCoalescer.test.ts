// Bursts of trace chunks become one flush per frame, and a slow flush earns the
// page some rest before the next one.
import { describe, expect, it } from 'vitest';

import { createFrameCoalescer } from '../../../renderer/src/traces/frameCoalescer.ts';

function harness(flushCost = 0, restFactor = 3) {
  let time = 0;
  let frames: (() => void)[] = [];
  let flushes = 0;
  const c = createFrameCoalescer(
    () => {
      flushes++;
      time += flushCost;
    },
    { schedule: (cb) => frames.push(cb), now: () => time, restFactor },
  );
  const frame = () => {
    time += 16;
    const due = frames;
    frames = [];
    for (const f of due) f();
  };
  return { c, frame, flushes: () => flushes, pending: () => frames.length };
}

describe('frame coalescer', () => {
  it('flushes once per frame however many requests came in', () => {
    const h = harness();
    for (let i = 0; i < 100; i++) h.c.request();
    expect(h.pending()).toBe(1);
    expect(h.flushes()).toBe(0);
    h.frame();
    expect(h.flushes()).toBe(1);
    h.frame();
    expect(h.flushes()).toBe(1);
  });

  it('after a flush that took 40 ms, waits about 120 ms before the next', () => {
    const h = harness(40, 3);
    h.c.request();
    h.frame();
    h.c.request();
    let frames = 0;
    while (h.flushes() === 1 && frames < 100) {
      h.frame();
      frames++;
    }
    expect(frames).toBeGreaterThanOrEqual(7);
    expect(frames).toBeLessThanOrEqual(9);
  });

  it('flushNow runs a waiting flush at once, and nothing when none waits', () => {
    const h = harness();
    h.c.flushNow();
    expect(h.flushes()).toBe(0);
    h.c.request();
    h.c.flushNow();
    expect(h.flushes()).toBe(1);
    h.frame();
    expect(h.flushes()).toBe(1);
  });
});
