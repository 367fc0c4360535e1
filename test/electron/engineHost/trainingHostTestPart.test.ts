// The host with a test part (test_fraction): the evaluations go out as chunks like
// the traces, a slice or a pause that ends between evaluations loses none of them
// and repeats none, and the numbers are those of the same job trained in one go.
import { describe, expect, it } from 'vitest';

import { makeDataset } from '../../../core/datasets/catalog.ts';
import { TraceAccumulator } from '../../../core/traces/accumulator.ts';
import { prepareRun, trainPrepared } from '../../../electron/engine/trainer.ts';
import type { HostMessage } from '../../../electron/engineHost/protocol.ts';
import { TrainingHost } from '../../../electron/engineHost/trainingHost.ts';
import { smallJob } from './fixtures.ts';

function host() {
  const sent: HostMessage[] = [];
  const h = new TrainingHost({ send: (m) => sent.push(m), exit: () => {} }, 0);
  const state = async (from: number) => {
    for (;;) {
      const found = sent.slice(from).find((m) => m.type === 'state');
      if (found) return found as Extract<HostMessage, { type: 'state' }>;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  return { h, sent, state };
}

describe('TrainingHost with a test part', () => {
  it('streams the evaluations through slices and a pause, each once, as one uninterrupted run would', async () => {
    const job = smallJob({ steps: 120, trace_every: 5, test_fraction: 0.2 });
    const { h, sent, state } = host();
    h.handle({ type: 'start', job });
    h.handle({ type: 'train', steps: 7 });
    expect(await state(0)).toMatchObject({ state: 'paused', stepsDone: 7 });
    let from = sent.length;
    h.handle({ type: 'train' });
    h.handle({ type: 'pause' });
    const paused = await state(from);
    expect(paused.state).toBe('paused');
    from = sent.length;
    h.handle({ type: 'train' });
    expect(await state(from)).toMatchObject({ state: 'completed', stepsDone: 120 });

    const layout = sent[0] as Extract<HostMessage, { type: 'ready' }>;
    const acc = new TraceAccumulator(layout.layout.nodeIds, layout.layout.paramNames);
    for (const m of sent) if (m.type === 'chunk') acc.append(m.chunk); // throws on a gap or a repeat
    const live = acc.columnsSoFar().evaluation!;
    if ('csv' in job.dataset) throw new Error('a built-in data set');
    const whole = await trainPrepared(prepareRun(job.network, job.settings, makeDataset(job.dataset.name, job.dataset.options)));
    expect(Array.from(live.steps)).toEqual(Array.from(whole.traces.evaluation!.steps));
    expect(Array.from(live.metrics.test_loss)).toEqual(Array.from(whole.traces.evaluation!.metrics.test_loss));
    expect(acc.columnsSoFar().metrics.loss).toEqual(whole.traces.metrics.loss);
  });
});
