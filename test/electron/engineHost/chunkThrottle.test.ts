import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { TraceChunk } from '../../../core/traces/chunk.ts';
import { TRACE_METRICS } from '../../../core/traces/metrics.ts';
import { ChunkThrottle } from '../../../electron/engineHost/chunkThrottle.ts';

/** `steps` untraced steps from `stepFrom`, each step's loss its index. */
function chunk(stepFrom: number, steps: number): TraceChunk {
  const metrics = Object.fromEntries(
    TRACE_METRICS.map((m) => [m.id, m.scope === 'step' ? Float32Array.from({ length: steps }, (_, i) => stepFrom + i) : new Float32Array(0)]),
  ) as TraceChunk['metrics'];
  return { stepFrom, rowFrom: 0, steps: new Int32Array(0), metrics, histogram: new Uint32Array(0) };
}

describe('ChunkThrottle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first chunk at once, then at most one per interval, merging what arrives in between', () => {
    const sent: TraceChunk[] = [];
    const throttle = new ChunkThrottle((c) => sent.push(c), 100);
    throttle.push(chunk(0, 2));
    expect(sent).toHaveLength(1);
    throttle.push(chunk(2, 3));
    throttle.push(chunk(5, 1));
    vi.advanceTimersByTime(99);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(2);
    expect(sent[1].stepFrom).toBe(2);
    expect(Array.from(sent[1].metrics.loss)).toEqual([2, 3, 4, 5]);
  });

  it('never sends more than one chunk per interval however many arrive', () => {
    const sent: TraceChunk[] = [];
    const throttle = new ChunkThrottle((c) => sent.push(c), Math.ceil(1000 / 30));
    let step = 0;
    for (let ms = 0; ms < 1000; ms++) {
      throttle.push(chunk(step, 1));
      step += 1;
      vi.advanceTimersByTime(1);
    }
    throttle.flush();
    expect(sent.length).toBeLessThanOrEqual(30 + 1); // 30 in the second, then the flush
    expect(sent.reduce((n, c) => n + c.metrics.loss.length, 0)).toBe(1000);
  });

  it('flush sends what waits at once and cancels the timer', () => {
    const sent: TraceChunk[] = [];
    const throttle = new ChunkThrottle((c) => sent.push(c), 100);
    throttle.push(chunk(0, 1));
    throttle.push(chunk(1, 1));
    throttle.flush();
    expect(sent.map((c) => c.stepFrom)).toEqual([0, 1]);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(2);
    throttle.flush(); // nothing waits: nothing is sent
    expect(sent).toHaveLength(2);
  });
});
