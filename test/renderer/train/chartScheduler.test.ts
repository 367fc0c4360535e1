// The page's charts draw one at a time: one job a frame, round robin, the newest
// job of a chart only, and a slow job earns the page some rest.
import { describe, expect, it } from 'vitest';

import { createChartScheduler } from '../../../renderer/src/charts/chartScheduler.ts';

function harness(cost: Record<string, number> = {}, restFactor = 1) {
  let time = 0;
  let frames: (() => void)[] = [];
  const ran: string[] = [];
  const s = createChartScheduler({ frame: (cb) => frames.push(cb), now: () => time, restFactor });
  const job = (name: string) => () => {
    ran.push(name);
    time += cost[name.split(':')[0]] ?? 0;
  };
  const frame = () => {
    time += 16;
    const due = frames;
    frames = [];
    for (const f of due) f();
  };
  return { s, job, frame, ran, frames: () => frames.length };
}

describe('chart scheduler', () => {
  it('runs one chart a frame, in the order they asked', () => {
    const h = harness();
    const [a, b, c] = [{}, {}, {}];
    h.s.schedule(a, h.job('a'));
    h.s.schedule(b, h.job('b'));
    h.s.schedule(c, h.job('c'));
    expect(h.frames()).toBe(1);
    h.frame();
    expect(h.ran).toEqual(['a']);
    h.frame();
    h.frame();
    expect(h.ran).toEqual(['a', 'b', 'c']);
    h.frame();
    expect(h.frames()).toBe(0);
  });

  it('a chart asked again while waiting keeps its place and runs only its newest job', () => {
    const h = harness();
    const [a, b] = [{}, {}];
    h.s.schedule(a, h.job('a:1'));
    h.s.schedule(b, h.job('b:1'));
    h.s.schedule(a, h.job('a:2'));
    h.frame();
    h.frame();
    expect(h.ran).toEqual(['a:2', 'b:1']);
  });

  it('goes round: a chart that asks every frame cannot starve the others', () => {
    const h = harness();
    const [a, b] = [{}, {}];
    h.s.schedule(a, h.job('a'));
    h.s.schedule(b, h.job('b'));
    for (let i = 0; i < 4; i++) {
      h.frame();
      h.s.schedule(a, h.job('a'));
    }
    expect(h.ran).toEqual(['a', 'b', 'a', 'a']);
  });

  it('rests after a slow job: 40 ms of drawing, about 40 ms without', () => {
    const h = harness({ a: 40, b: 1 });
    const [a, b] = [{}, {}];
    h.s.schedule(a, h.job('a'));
    h.s.schedule(b, h.job('b'));
    h.frame(); // a: 40 ms
    h.frame(); // 16 ms later: resting
    h.frame(); // 32 ms later: resting
    expect(h.ran).toEqual(['a']);
    h.frame(); // 48 ms later
    expect(h.ran).toEqual(['a', 'b']);
  });

  it('a slow chart draws less often than the quick ones (its job time x chartRestFactor apart)', () => {
    let time = 0;
    let frames: (() => void)[] = [];
    const ran: string[] = [];
    const s = createChartScheduler({ frame: (cb) => frames.push(cb), now: () => time, restFactor: 0, chartRestFactor: 5 });
    const [slow, quick] = [{}, {}];
    const job = (name: string, cost: number) => () => {
      ran.push(name);
      time += cost;
    };
    for (let f = 0; f < 10; f++) {
      // Both have something new every frame.
      s.schedule(slow, job('slow', 20));
      s.schedule(quick, job('quick', 0));
      time += 16;
      const due = frames;
      frames = [];
      for (const cb of due) cb();
    }
    // The slow one (20 ms) waits 100 ms between drawings: about every fifth frame; the quick one fills the rest.
    expect(ran.filter((r) => r === 'slow').length).toBeLessThanOrEqual(3);
    expect(ran.filter((r) => r === 'quick').length).toBeGreaterThanOrEqual(6);
  });

  it('forgets a cancelled chart, and flushAll runs everything now', () => {
    const h = harness();
    const [a, b, c] = [{}, {}, {}];
    h.s.schedule(a, h.job('a'));
    h.s.schedule(b, h.job('b'));
    h.s.schedule(c, h.job('c'));
    h.s.cancel(b);
    expect(h.s.pending).toBe(2);
    h.s.flushAll();
    expect(h.ran).toEqual(['a', 'c']);
    expect(h.s.pending).toBe(0);
  });

  it('a failing job does not stop the others', () => {
    const h = harness();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      h.s.schedule({}, () => {
        throw new Error('boom');
      });
      h.s.schedule({}, h.job('b'));
      h.frame();
      h.frame();
    } finally {
      console.error = original;
    }
    expect(h.ran).toEqual(['b']);
    expect(errors).toHaveLength(1);
  });
});
