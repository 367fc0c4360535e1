// The live traces of a run with a test part: chunks that carry only an evaluation
// (before the first step, and between segments) are applied, not taken for repeats.
import { describe, expect, it } from 'vitest';

import type { TraceChunk } from '../../../core/traces/chunk.ts';
import { LiveTraces } from '../../../renderer/src/stores/liveTraces.ts';
import { makeChunk, makeColumns } from '../helpers.ts';
import { summary } from '../stores/fakeLab.ts';

/** `c` with one evaluation (number `from`, at `step`) and, when `alone`, no training steps. */
function evaluated(step: number, from: number, alone: boolean): TraceChunk {
  const base = alone ? { ...makeChunk(step, 0) } : makeChunk(step - 5, 5);
  return {
    ...base,
    evaluation: { from, steps: Int32Array.of(step), metrics: { test_loss: Float32Array.of(1 / (1 + step)), test_accuracy: Float32Array.of(0.5) } },
  };
}

describe('LiveTraces with test evaluations', () => {
  it('applies chunks of evaluations alone as well as evaluations that come with steps', () => {
    const live = new LiveTraces(async () => makeColumns(5), () => {});
    const run = summary('r1', { state: 'running' });
    live.receive('r1', evaluated(0, 0, true));
    live.receive('r1', makeChunk(0, 5));
    live.receive('r1', evaluated(5, 1, true));
    live.receive('r1', evaluated(10, 2, false));
    live.apply([run]);
    const cols = live.columns('r1')!;
    expect(cols.metrics.loss).toHaveLength(10);
    expect(Array.from(cols.evaluation!.steps)).toEqual([0, 5, 10]);
    // The same evaluation again (a chunk delivered twice) is a repeat and changes nothing.
    live.receive('r1', evaluated(10, 2, true));
    live.apply([run]);
    expect(Array.from(live.columns('r1')!.evaluation!.steps)).toEqual([0, 5, 10]);
  });
});
