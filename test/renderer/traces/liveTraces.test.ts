// A new run streams from its first chunk: its traces are not fetched whole while
// those chunks wait for the next frame, or for the summary that brings the run's
// layout (the runs.start reply can come after the first chunks).
import { describe, expect, it, vi } from 'vitest';

import { LiveTraces } from '../../../renderer/src/stores/liveTraces.ts';
import { makeChunk, makeColumns } from '../helpers.ts';
import { summary } from '../stores/fakeLab.ts';

function harness() {
  const fetched: string[] = [];
  let changes = 0;
  const live = new LiveTraces(
    async (runId) => {
      fetched.push(runId);
      return makeColumns(5);
    },
    () => changes++,
  );
  return { live, fetched, changes: () => changes };
}

describe('LiveTraces', () => {
  it('holds a new run whose first chunk is queued: nothing to fetch', () => {
    const h = harness();
    expect(h.live.has('r1')).toBe(false);
    h.live.receive('r1', makeChunk(0, 5));
    expect(h.live.has('r1')).toBe(true);
    // A later chunk alone (joined midway) is not the start of the run.
    h.live.receive('r2', makeChunk(5, 5));
    expect(h.live.has('r2')).toBe(false);
  });

  it('first chunks wait for the summary with the layout instead of fetching the run', () => {
    const h = harness();
    const { layout, ...noLayout } = summary('r1', { state: 'running' });
    h.live.receive('r1', makeChunk(0, 5));
    h.live.apply([noLayout]);
    expect(h.fetched).toEqual([]);
    expect(h.live.columns('r1')).toBeNull();
    h.live.receive('r1', makeChunk(5, 5));
    h.live.apply([{ ...noLayout, layout }]);
    expect(h.fetched).toEqual([]);
    expect(h.live.columns('r1')!.metrics.loss).toHaveLength(10);
    expect(h.changes()).toBe(1);
  });

  it('still fetches a run it knows nothing of', () => {
    const h = harness();
    h.live.receive('r9', makeChunk(0, 5));
    h.live.apply([]);
    expect(h.fetched).toEqual(['r9']);
  });

  it('announces a slow batch (storage doubling) in a task of its own, a quick one at once', async () => {
    const h = harness();
    const run = summary('r1', { state: 'running' });
    h.live.receive('r1', makeChunk(0, 5));
    h.live.apply([run]);
    expect(h.changes()).toBe(1);
    let t = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (t += 50));
    try {
      h.live.receive('r1', makeChunk(5, 5));
      h.live.apply([run]);
    } finally {
      clock.mockRestore();
    }
    expect(h.changes()).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(h.changes()).toBe(2);
    expect(h.live.columns('r1')!.metrics.loss).toHaveLength(10);
  });
});
