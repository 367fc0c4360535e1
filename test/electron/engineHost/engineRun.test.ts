// EngineRun with real host processes (forked, running the real addon): the run's
// life (start, train, pause, resume, stop), bit-for-bit agreement with training in
// this process, the message rate, bad input, and what a crash or a hang costs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { LabError, MAX_RUN_MESSAGES_PER_SECOND } from '../../../core/api/labApi.ts';
import { EngineRun } from '../../../electron/engineHost/engineRun.ts';
import type { HostChannel, HostLauncher } from '../../../electron/engineHost/launcher.ts';
import { NodeHostLauncher } from '../../../electron/engineHost/nodeLauncher.ts';
import { Recorder, lossInProcess, smallJob, smallNetwork } from './fixtures.ts';

/** Launches real hosts and keeps each channel, to reach the process (its pid) and see it exit. */
class WatchedLauncher implements HostLauncher {
  readonly launched: { channel: HostChannel; exit: Promise<{ code: number | null; signal: string | null }> }[] = [];
  private readonly inner = new NodeHostLauncher();

  launch(): HostChannel {
    const channel = this.inner.launch();
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      channel.onExit((code, signal) => resolve({ code, signal })),
    );
    this.launched.push({ channel, exit });
    return channel;
  }

  get last() {
    const l = this.launched[this.launched.length - 1];
    if (!l) throw new Error('no host launched');
    return l;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EngineRun with a host process', () => {
  it('starts the host, which compiles the network and answers with the trace layout', async () => {
    const run = new EngineRun(new NodeHostLauncher(), smallJob(), new Recorder());
    const layout = await run.start();
    expect(layout).toEqual({
      nodeIds: ['d1', 't1', 'out'],
      paramNames: ['d1.weight', 'd1.bias', 'out.weight', 'out.bias'],
      recurrent: [],
      parameterCount: 2 * 16 + 16 + 16 * 3 + 3,
    });
    expect(run.state).toBe('paused');
    expect(run.stepsDone).toBe(0);
    await run.stop();
  });

  it('trains to completion with contiguous chunks whose loss matches an in-process run bit for bit, then the host exits', async () => {
    const launcher = new WatchedLauncher();
    const job = smallJob({ steps: 300 });
    const rec = new Recorder();
    const run = new EngineRun(launcher, job, rec);
    await run.start();
    run.train();
    const detail = await rec.next('completed');
    expect(detail.stepsDone).toBe(300);
    expect(run.stepsDone).toBe(300);
    expect(rec.stateNames()).toEqual(['running', 'completed']);
    rec.expectContiguous();
    expect(rec.chunks.reduce((n, c) => n + c.chunk.metrics.loss.length, 0)).toBe(300);
    expect(rec.chunks.reduce((n, c) => n + c.chunk.steps.length, 0)).toBe(30);
    const expected = await lossInProcess(job);
    expect(Buffer.from(rec.loss().buffer)).toEqual(Buffer.from(expected.buffer));
    expect(detail.lastLoss).toBe(expected[expected.length - 1]);
    expect(await launcher.last.exit).toEqual({ code: 0, signal: null });
  });

  it('pauses between steps with every chunk delivered, and resumes without a gap or a change in the numbers', async () => {
    const job = smallJob({ steps: 100_000, trace_every: 50, histogram: false });
    const rec = new Recorder();
    const run = new EngineRun(new NodeHostLauncher(), job, rec);
    await run.start();
    run.train();
    while (rec.chunks.length === 0) await sleep(5);
    await run.pause();
    expect(run.state).toBe('paused');
    const pausedAt = run.stepsDone;
    expect(pausedAt).toBeGreaterThan(0);
    expect(pausedAt).toBeLessThan(100_000);
    rec.expectContiguous();
    expect(rec.chunks.reduce((n, c) => n + c.chunk.metrics.loss.length, 0)).toBe(pausedAt);
    await sleep(100);
    expect(run.stepsDone).toBe(pausedAt); // a paused host trains no further

    run.train();
    await rec.next('completed');
    expect(rec.stateNames()).toEqual(['running', 'paused', 'running', 'completed']);
    rec.expectContiguous();
    expect(Buffer.from(rec.loss().buffer)).toEqual(Buffer.from((await lossInProcess(job)).buffer));
  });

  it('trains a single step with train(1), then pauses', async () => {
    const rec = new Recorder();
    const run = new EngineRun(new NodeHostLauncher(), smallJob({ trace_every: 1 }), rec);
    await run.start();
    run.train(1);
    expect(run.state).toBe('running');
    const detail = await rec.next('paused');
    expect(detail.stepsDone).toBe(1);
    expect(rec.chunks).toHaveLength(1);
    expect(rec.chunks[0].chunk.metrics.loss).toHaveLength(1);
    expect(Array.from(rec.chunks[0].chunk.steps)).toEqual([0]);
    run.train(1);
    await rec.next('paused');
    expect(run.stepsDone).toBe(2);
    await run.stop();
    expect(run.state).toBe('cancelled');
  });

  it('stops: state cancelled, the host exits, and no callback fires after stop() resolved', async () => {
    const launcher = new WatchedLauncher();
    const rec = new Recorder();
    const run = new EngineRun(launcher, smallJob({ steps: 1_000_000, histogram: false }), rec);
    await run.start();
    run.train();
    while (rec.chunks.length === 0) await sleep(5);
    await run.stop();
    expect(run.state).toBe('cancelled');
    expect(rec.stateNames()).toEqual(['running', 'cancelled']);
    expect(run.stepsDone).toBeLessThan(1_000_000);
    rec.expectContiguous();
    expect(await launcher.last.exit).toEqual({ code: 0, signal: null });
    const events = rec.chunks.length + rec.states.length;
    await sleep(150);
    expect(rec.chunks.length + rec.states.length).toBe(events);
    expect(() => run.train()).toThrow(LabError);
  });

  it('rejects a bad network with the node\'s own message, as invalid input, and the host ends', async () => {
    const launcher = new WatchedLauncher();
    const network = structuredClone(smallNetwork);
    network.nodes[1].params = { units: 0 };
    const run = new EngineRun(launcher, { ...smallJob(), network }, new Recorder());
    const error = await run.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error).toMatchObject({ code: 'invalid-input', message: 'node "d1": units must be a positive integer' });
    expect(run.state).toBe('failed');
    expect(await launcher.last.exit).toEqual({ code: 0, signal: null });
  });

  it('rejects bad settings and a data set option with messages that name the field', async () => {
    const settings = new EngineRun(new NodeHostLauncher(), smallJob({ batch_size: 0 }), new Recorder());
    await expect(settings.start()).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('batch_size') });
    const job = { ...smallJob(), dataset: { name: 'spiral' as const, options: { classes: 99 } } };
    const dataset = new EngineRun(new NodeHostLauncher(), job, new Recorder());
    await expect(dataset.start()).rejects.toMatchObject({ code: 'invalid-input', message: 'spiral: classes must be an integer from 2 to 8 (got 99)' });
  });

  it('reads a CSV data set from csvPath, and a malformed file is invalid input naming its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-host-'));
    const good = join(dir, 'points.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${['a', 'b', 'c'][i % 3]}`);
    writeFileSync(good, `x1,x2,label\n${rows.join('\n')}\n`);
    const job = { ...smallJob({ steps: 20 }), dataset: { csv: { fileName: 'points.csv', target: 'label', standardize: false } } };
    const rec = new Recorder();
    const run = new EngineRun(new NodeHostLauncher(), { ...job, csvPath: good }, rec);
    await run.start();
    run.train();
    expect((await rec.next('completed')).stepsDone).toBe(20);

    const bad = join(dir, 'ragged.csv');
    writeFileSync(bad, 'x1,x2,label\n1,2,a\n3\n');
    const broken = new EngineRun(new NodeHostLauncher(), { ...job, csvPath: bad }, new Recorder());
    await expect(broken.start()).rejects.toMatchObject({ code: 'invalid-input', message: 'line 3 has 1 cell; the header has 3' });
  });

  it(`delivers at most ${MAX_RUN_MESSAGES_PER_SECOND} chunks a second however fast training goes`, async () => {
    const rec = new Recorder();
    const job = smallJob({ steps: 1_000_000, batch_size: 4, trace_every: 1000, histogram: false, activation_stats: false });
    const run = new EngineRun(new NodeHostLauncher(), job, rec);
    await run.start();
    const began = performance.now();
    run.train();
    await rec.next('completed');
    const seconds = (performance.now() - began) / 1000;
    rec.expectContiguous();
    expect(run.stepsDone).toBe(1_000_000);
    // One more than the rate allows: the final flush when training stops.
    expect(rec.chunks.length).toBeLessThanOrEqual(Math.ceil(35 * seconds) + 1);
    // Within any one second of the run, no more than the cap (plus slack for timer jitter).
    for (let i = 0; i < rec.chunks.length; i++) {
      const within = rec.chunks.filter((c) => c.at >= rec.chunks[i].at && c.at < rec.chunks[i].at + 1000).length;
      expect(within).toBeLessThanOrEqual(35);
    }
  });

  it('fails with a message naming SIGSEGV and the step when the host crashes, and a new run of the same job completes', async () => {
    const launcher = new WatchedLauncher();
    const job = smallJob({ steps: 1_000_000, histogram: false });
    const rec = new Recorder();
    const run = new EngineRun(launcher, job, rec);
    await run.start();
    run.train();
    while (rec.chunks.length === 0) await sleep(5);
    process.kill(launcher.last.channel.pid!, 'SIGSEGV');
    const detail = await rec.next('failed');
    expect(run.state).toBe('failed');
    expect(detail.error).toMatch(/^the engine process stopped unexpectedly \(SIGSEGV\) during step \d+; the run can be restarted$/);
    expect(detail.error).toContain(`step ${detail.stepsDone + 1}`);
    expect(await launcher.last.exit).toEqual({ code: null, signal: 'SIGSEGV' });
    await run.stop(); // resolves at once: the process is gone

    const again = new Recorder();
    const retry = new EngineRun(launcher, { ...job, settings: { ...job.settings, steps: 200 } }, again);
    await retry.start();
    retry.train();
    await again.next('completed');
    expect(retry.stepsDone).toBe(200);
  });

  it('fails and kills a host that stops answering while it trains (the watchdog)', async () => {
    const launcher = new WatchedLauncher();
    const rec = new Recorder();
    const run = new EngineRun(launcher, smallJob({ steps: 1_000_000, histogram: false }), rec, { watchdogMs: 2500 });
    await run.start();
    run.train();
    while (rec.chunks.length === 0) await sleep(5);
    process.kill(launcher.last.channel.pid!, 'SIGSTOP'); // frozen: alive, but silent
    const detail = await rec.next('failed');
    expect(detail.error).toMatch(/stopped answering \(no word from it for 2\.5 s\) during step \d+, so the lab ended it/);
    expect(await launcher.last.exit).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
