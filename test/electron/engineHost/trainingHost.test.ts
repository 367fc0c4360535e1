// The host's command handling in this process, through a recording port: what it
// answers to each command, bad commands, and bad jobs.
import { describe, expect, it } from 'vitest';

import type { HostMessage } from '../../../electron/engineHost/protocol.ts';
import { TrainingHost } from '../../../electron/engineHost/trainingHost.ts';
import { smallJob } from './fixtures.ts';

function host() {
  const sent: HostMessage[] = [];
  const exits: number[] = [];
  const h = new TrainingHost({ send: (m) => sent.push(m), exit: (code) => exits.push(code) }, 0);
  /** Resolves with the next message of `type` sent after now. */
  const next = async <T extends HostMessage['type']>(type: T): Promise<Extract<HostMessage, { type: T }>> => {
    const from = sent.length;
    for (;;) {
      const found = sent.slice(from).find((m) => m.type === type);
      if (found) return found as Extract<HostMessage, { type: T }>;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  return { h, sent, exits, next };
}

describe('TrainingHost', () => {
  it('answers start with ready, then trains the slice it is asked for and reports paused', async () => {
    const { h, sent, next } = host();
    h.handle({ type: 'start', job: smallJob({ steps: 50, trace_every: 5 }) });
    expect(sent[0]).toMatchObject({ type: 'ready', layout: { nodeIds: ['d1', 't1', 'out'] } });
    h.handle({ type: 'train', steps: 20 });
    const paused = await next('state');
    expect(paused).toMatchObject({ state: 'paused', stepsDone: 20 });
    expect(paused.lastLoss).toEqual(expect.any(Number));
    const chunks = sent.filter((m) => m.type === 'chunk');
    expect(chunks.reduce((n, m) => n + m.chunk.metrics.loss.length, 0)).toBe(20);
    expect(chunks[chunks.length - 1]).toMatchObject({ stepsDone: 20 });
  });

  it('trains no further than settings.steps and reports completed; later commands repeat the final state', async () => {
    const { h, sent, next } = host();
    h.handle({ type: 'start', job: smallJob({ steps: 30 }) });
    h.handle({ type: 'train', steps: 1000 });
    expect(await next('state')).toMatchObject({ state: 'completed', stepsDone: 30 });
    const count = sent.length;
    h.handle({ type: 'train' });
    h.handle({ type: 'pause' });
    expect(sent.slice(count)).toEqual([sent[count - 1], sent[count - 1]]);
  });

  it('says nothing to a pause while idle: the slice it meant to stop has reported paused already', async () => {
    const { h, sent, next } = host();
    h.handle({ type: 'start', job: smallJob() });
    h.handle({ type: 'train', steps: 2 });
    await next('state');
    const count = sent.length;
    h.handle({ type: 'pause' });
    expect(sent).toHaveLength(count);
  });

  it('reports cancelled for a stop while idle, and exits when told to', () => {
    const { h, sent, exits } = host();
    h.handle({ type: 'start', job: smallJob() });
    h.handle({ type: 'stop' });
    expect(sent[1]).toEqual({ type: 'state', state: 'cancelled', stepsDone: 0, weights: expect.any(Object) });
    h.handle({ type: 'exit' });
    expect(exits).toEqual([0]);
  });

  it('answers a job that cannot start with the trainer\'s message as invalid input', () => {
    const { h, sent } = host();
    h.handle({ type: 'start', job: { ...smallJob(), dataset: { name: 'spiral', options: { turns: 9 } } } });
    expect(sent).toEqual([{ type: 'error', code: 'invalid-input', message: 'spiral: turns must be a number from 0.25 to 4 (got 9)' }]);
  });

  it('names the field of a malformed job, and calls a CSV data set without a path a bug of the lab', () => {
    const a = host();
    a.h.handle({ type: 'start', job: { ...smallJob(), memoryCapBytes: -1 } });
    expect(a.sent).toEqual([{ type: 'error', code: 'invalid-input', message: expect.stringMatching(/^memoryCapBytes: /) }]);
    const b = host();
    b.h.handle({ type: 'start', job: { ...smallJob(), dataset: { csv: { fileName: 'points.csv' } } } });
    expect(b.sent).toEqual([{ type: 'error', code: 'internal', message: expect.stringContaining('"points.csv"') }]);
  });

  it('answers a command it does not know, or one out of order, with an internal error', () => {
    const { h, sent } = host();
    h.handle({ type: 'fly' });
    h.handle('train');
    h.handle({ type: 'train', steps: 0 });
    h.handle({ type: 'train' });
    expect(sent.map((m) => m.type === 'error' && m.code)).toEqual(['internal', 'internal', 'internal', 'internal']);
    expect(sent[3]).toMatchObject({ message: expect.stringContaining('before it started') });
  });
});
