// A question to a trained network: its answer is kept with the run and step it was
// asked at (stale once the run trains on), an error is kept as words, and a late
// answer to an older question never overwrites a newer one.
import { describe, expect, it } from 'vitest';

import { createRunQuery, isAtRest } from '../../../renderer/src/views/train/runQuery.ts';

describe('run queries', () => {
  it('asks only runs at rest', () => {
    expect(isAtRest({ state: 'paused' })).toBe(true);
    expect(isAtRest({ state: 'completed' })).toBe(true);
    expect(isAtRest({ state: 'running' })).toBe(false);
    expect(isAtRest(null)).toBe(false);
  });

  it('keeps the answer with its run and step, and knows when it has gone stale', async () => {
    const q = createRunQuery(async (runId) => `answer for ${runId}`);
    expect(q.stale({ id: 'r1', stepsDone: 10 })).toBe(true);
    await q.ask({ id: 'r1', stepsDone: 10 });
    expect(q.state.value).toMatchObject({ runId: 'r1', step: 10, result: 'answer for r1', error: null, loading: false });
    expect(q.stale({ id: 'r1', stepsDone: 10 })).toBe(false);
    expect(q.stale({ id: 'r1', stepsDone: 20 })).toBe(true);
    expect(q.stale({ id: 'r2', stepsDone: 10 })).toBe(true);
  });

  it("keeps the lab's refusal as the message", async () => {
    const q = createRunQuery<string>(async () => {
      throw new Error('run "Run 1" is training: pause it');
    });
    await q.ask({ id: 'r1', stepsDone: 3 });
    expect(q.state.value).toMatchObject({ result: null, error: 'run "Run 1" is training: pause it', loading: false });
  });

  it('lets the newest question win when answers come back out of order', async () => {
    const pending: ((v: string) => void)[] = [];
    const q = createRunQuery((runId) => new Promise<string>((resolve) => pending.push((v) => resolve(`${runId}:${v}`))));
    const first = q.ask({ id: 'r1', stepsDone: 1 });
    const second = q.ask({ id: 'r1', stepsDone: 2 });
    pending[1]('new');
    await second;
    pending[0]('old');
    await first;
    expect(q.state.value).toMatchObject({ step: 2, result: 'r1:new' });
  });
});
