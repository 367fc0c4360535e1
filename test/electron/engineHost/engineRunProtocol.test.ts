// EngineRun against a scripted host (no process): how it treats what a host may
// say or fail to say — unreadable messages, gaps in the traces, exits at odd
// moments, silence — and what callers may do in each state.
import { afterEach, describe, expect, it, vi } from 'vitest';

import { LabError } from '../../../core/api/labApi.ts';
import type { TraceChunk } from '../../../core/traces/chunk.ts';
import { TRACE_METRICS } from '../../../core/traces/metrics.ts';
import { EngineRun } from '../../../electron/engineHost/engineRun.ts';
import type { HostChannel, HostLauncher } from '../../../electron/engineHost/launcher.ts';
import { Recorder, smallJob } from './fixtures.ts';

/** A host the test speaks for: it records what the run posts and says what the test tells it to. */
class ScriptedHost implements HostChannel, HostLauncher {
  posted: unknown[] = [];
  killed = 0;
  readonly pid = 4242;
  private messageListener: (message: unknown) => void = () => {};
  private exitListener: (code: number | null, signal: string | null) => void = () => {};

  launch(): HostChannel {
    return this;
  }
  post(message: unknown): void {
    this.posted.push(message);
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListener = listener;
  }
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListener = listener;
  }
  kill(): void {
    this.killed++;
    this.exitListener(null, 'SIGKILL');
  }
  say(message: unknown): void {
    this.messageListener(message);
  }
  exit(code: number | null, signal: string | null = null): void {
    this.exitListener(code, signal);
  }
  postedTypes(): unknown[] {
    return this.posted.map((m) => (m as { type: string }).type);
  }
}

const layout = { nodeIds: ['d1'], paramNames: ['d1.weight'], recurrent: [], parameterCount: 2 };

function chunk(stepFrom: number, steps: number): TraceChunk {
  const metrics = Object.fromEntries(
    TRACE_METRICS.map((m) => [m.id, m.scope === 'step' ? Float32Array.from({ length: steps }, () => 0.5) : new Float32Array(0)]),
  ) as TraceChunk['metrics'];
  return { stepFrom, rowFrom: 0, steps: new Int32Array(0), metrics, histogram: new Uint32Array(0) };
}

/** A run whose host has answered ready and is training. */
async function trainingRun(options = {}) {
  const host = new ScriptedHost();
  const rec = new Recorder();
  const run = new EngineRun(host, smallJob(), rec, options);
  const started = run.start();
  host.say({ type: 'ready', layout });
  await started;
  run.train();
  return { host, rec, run };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('EngineRun against a scripted host', () => {
  it('sends start with the job, resolves with the layout, and trains on request', async () => {
    const { host, run, rec } = await trainingRun();
    expect(host.posted[0]).toEqual({ type: 'start', job: smallJob() });
    expect(host.posted[1]).toEqual({ type: 'train' });
    expect(run.state).toBe('running');
    expect(rec.stateNames()).toEqual(['running']);
  });

  it('passes chunks on with their step count, and the last loss with the next state', async () => {
    const { host, run, rec } = await trainingRun();
    host.say({ type: 'chunk', chunk: chunk(0, 4), stepsDone: 4 });
    host.say({ type: 'state', state: 'paused', stepsDone: 4, lastLoss: 0.5 });
    expect(rec.chunks.map((c) => c.stepsDone)).toEqual([4]);
    expect(rec.states[1]).toEqual({ state: 'paused', detail: { stepsDone: 4, lastLoss: 0.5 } });
    expect(run.stepsDone).toBe(4);
  });

  it('fails the run and kills the host when it sends a message the lab cannot read', async () => {
    const { host, run, rec } = await trainingRun();
    host.say({ type: 'chunk', chunk: { stepFrom: 0 }, stepsDone: 1 });
    expect(run.state).toBe('failed');
    expect(rec.states[1].detail.error).toMatch(/^the engine process sent a message the lab cannot read \(chunk\./);
    expect(host.killed).toBe(1);
  });

  it('fails the run when the traces skip steps', async () => {
    const { host, run, rec } = await trainingRun();
    host.say({ type: 'chunk', chunk: chunk(0, 4), stepsDone: 4 });
    host.say({ type: 'chunk', chunk: chunk(6, 4), stepsDone: 10 });
    expect(run.state).toBe('failed');
    expect(rec.states[1].detail.error).toContain('from step 6; the run had 4 steps');
  });

  it('names the exit code and the step when a paused host exits on its own', async () => {
    const { host, rec } = await trainingRun();
    host.say({ type: 'chunk', chunk: chunk(0, 7), stepsDone: 7 });
    host.say({ type: 'state', state: 'paused', stepsDone: 7 });
    host.exit(3);
    expect(rec.states[2]).toEqual({
      state: 'failed',
      detail: { stepsDone: 7, lastLoss: 0.5, error: 'the engine process stopped unexpectedly (exit code 3) after step 7; the run can be restarted' },
    });
  });

  it('rejects start with an internal LabError when the host dies before it is ready, without an onState', async () => {
    const host = new ScriptedHost();
    const rec = new Recorder();
    const run = new EngineRun(host, smallJob(), rec);
    const started = run.start();
    host.exit(null, 'SIGABRT');
    await expect(started).rejects.toEqual(
      new LabError('internal', 'the engine process stopped unexpectedly (SIGABRT) while the network was being prepared; the run can be restarted'),
    );
    expect(run.state).toBe('failed');
    expect(rec.states).toEqual([]);
  });

  it('tells a host that reached a final state to exit, and kills it when it does not', async () => {
    vi.useFakeTimers();
    const { host, run, rec } = await trainingRun({ watchdogMs: 1000 });
    host.say({ type: 'chunk', chunk: chunk(0, 3), stepsDone: 3 });
    host.say({ type: 'state', state: 'diverged', stepsDone: 3, lastLoss: Number.NaN, divergence: 'loss is NaN at step 3' });
    expect(run.state).toBe('diverged');
    expect(rec.states[1]).toEqual({ state: 'diverged', detail: { stepsDone: 3, lastLoss: Number.NaN, divergence: 'loss is NaN at step 3' } });
    expect(host.postedTypes()).toEqual(['start', 'train', 'exit']);
    vi.advanceTimersByTime(1000);
    expect(host.killed).toBe(1);
    expect(run.state).toBe('diverged'); // a slow exit after the end is no failure
  });

  it('fails a host that goes silent while pausing (the watchdog)', async () => {
    vi.useFakeTimers();
    const { run, rec } = await trainingRun({ watchdogMs: 1000 });
    const paused = run.pause();
    vi.advanceTimersByTime(999);
    expect(run.state).toBe('running');
    vi.advanceTimersByTime(1);
    await paused; // pause() settles: the run is stopped, if not the way it was asked
    expect(run.state).toBe('failed');
    expect(rec.states[1].detail.error).toBe(
      'the engine process stopped answering (no word from it for 1 s) during step 1, so the lab ended it; the run can be restarted',
    );
  });

  it('leaves an idle paused host alone however long it is silent', async () => {
    vi.useFakeTimers();
    const { host, run } = await trainingRun({ watchdogMs: 1000 });
    host.say({ type: 'state', state: 'paused', stepsDone: 0 });
    vi.advanceTimersByTime(60_000);
    expect(run.state).toBe('paused');
    expect(host.killed).toBe(0);
  });

  it('refuses train() unless paused, and steps that are not a whole number from 1', async () => {
    const { run } = await trainingRun();
    expect(() => run.train()).toThrow(new LabError('conflict', 'the run is training already'));
    const fresh = new EngineRun(new ScriptedHost(), smallJob(), new Recorder());
    expect(() => fresh.train()).toThrow(/still starting/);
    await expect(fresh.pause()).rejects.toMatchObject({ code: 'conflict' });
    expect(() => fresh.train(0)).toThrow(LabError);
    expect(() => fresh.train(1.5)).toThrow(/whole number/);
  });

  it('dispose kills the host, rejects a pending start, and silences every callback', async () => {
    const host = new ScriptedHost();
    const rec = new Recorder();
    const run = new EngineRun(host, smallJob(), rec);
    const started = run.start();
    run.dispose();
    await expect(started).rejects.toMatchObject({ code: 'conflict' });
    expect(host.killed).toBe(1);
    host.say({ type: 'ready', layout });
    expect(rec.states).toEqual([]);
    expect(run.state).toBe('cancelled');
  });

  it('reports only cancelled when a slice ends (paused) just as stop() is called', async () => {
    const { host, run, rec } = await trainingRun();
    const stopped = run.stop();
    host.say({ type: 'state', state: 'paused', stepsDone: 0 });
    host.say({ type: 'state', state: 'cancelled', stepsDone: 0 });
    host.exit(0);
    await stopped;
    expect(rec.stateNames()).toEqual(['running', 'cancelled']);
    expect(run.state).toBe('cancelled');
  });

  it('stop before start is a cancelled run with no process', async () => {
    const host = new ScriptedHost();
    const run = new EngineRun(host, smallJob(), new Recorder());
    await run.stop();
    expect(run.state).toBe('cancelled');
    await expect(run.start()).rejects.toMatchObject({ code: 'conflict' });
    expect(host.posted).toEqual([]);
  });

  it('stop resolves when the host has exited, and nothing fires after', async () => {
    const { host, run, rec } = await trainingRun();
    const stopped = run.stop();
    expect(host.postedTypes()).toEqual(['start', 'train', 'stop']);
    host.say({ type: 'chunk', chunk: chunk(0, 2), stepsDone: 2 });
    host.say({ type: 'state', state: 'cancelled', stepsDone: 2 });
    expect(host.postedTypes()).toEqual(['start', 'train', 'stop', 'exit']);
    host.exit(0);
    await stopped;
    expect(rec.stateNames()).toEqual(['running', 'cancelled']);
    host.say({ type: 'chunk', chunk: chunk(2, 2), stepsDone: 4 });
    expect(rec.chunks).toHaveLength(1);
  });
});

/** A run whose host has answered ready: paused at step 0, where it answers queries. */
async function pausedRun(options = {}) {
  const host = new ScriptedHost();
  const rec = new Recorder();
  const run = new EngineRun(host, smallJob(), rec, options);
  const started = run.start();
  host.say({ type: 'ready', layout });
  await started;
  return { host, rec, run };
}

describe('EngineRun queries against a scripted host', () => {
  it('posts each query with its own id and resolves with the answer carrying that id', async () => {
    const { host, run } = await pausedRun();
    const x = new Float32Array([1, 2, 3, 4]);
    const predicted = run.predict(x, 2);
    const weights = run.weights();
    expect(host.posted.slice(1)).toEqual([
      { type: 'predict', id: 0, x, rows: 2 },
      { type: 'weights', id: 1 },
    ]);
    // Answers may come in any order; the id pairs them.
    const params = { 'd1.weight': new Float32Array([0.5, -0.5]) };
    host.say({ type: 'weights', id: 1, params });
    host.say({ type: 'prediction', id: 0, output: new Float32Array([9, 8, 7]) });
    expect(await weights).toEqual(params);
    expect(Array.from(await predicted)).toEqual([9, 8, 7]);
    const spectra = run.jacobian(x.subarray(0, 2), 1);
    const answer = { samples: 1, network: new Float64Array([2, 1]), nodes: { d1: new Float64Array([3]) } };
    host.say({ type: 'spectra', id: 2, spectra: answer });
    expect(await spectra).toEqual(answer);
    expect(run.state).toBe('paused');
  });

  it("rejects with the host's code and message when it refuses; the run goes on", async () => {
    const { host, run, rec } = await pausedRun();
    const asked = run.jacobian(new Float32Array(2), 1);
    host.say({ type: 'refused', id: 0, code: 'invalid-input', message: 'node "cell" works on sequences' });
    await expect(asked).rejects.toEqual(new LabError('invalid-input', 'node "cell" works on sequences'));
    expect(run.state).toBe('paused');
    expect(rec.states).toEqual([]);
  });

  it('refuses queries while starting or training, without asking the host', async () => {
    const host = new ScriptedHost();
    const run = new EngineRun(host, smallJob(), new Recorder());
    const started = run.start();
    await expect(run.weights()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('still starting') });
    host.say({ type: 'ready', layout });
    await started;
    run.train();
    await expect(run.predict(new Float32Array(2), 1)).rejects.toMatchObject({
      code: 'conflict',
      message: 'the run is training; pause it to ask its network',
    });
    expect(host.postedTypes()).toEqual(['start', 'train']);
  });

  it('passes the weights of a final state on to onState', async () => {
    const { host, rec } = await trainingRun();
    const weights = { 'd1.weight': new Float32Array([1, 2]) };
    host.say({ type: 'state', state: 'completed', stepsDone: 0, weights });
    expect(rec.states[1]).toEqual({ state: 'completed', detail: { stepsDone: 0, weights } });
  });

  it('rejects pending queries when the host dies, and fails the run on an answer to a question never asked', async () => {
    const a = await pausedRun();
    const pending = a.run.weights();
    a.host.exit(null, 'SIGSEGV');
    await expect(pending).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('SIGSEGV') });
    expect(a.run.state).toBe('failed');

    const b = await pausedRun();
    b.host.say({ type: 'prediction', id: 41, output: new Float32Array(1) });
    expect(b.run.state).toBe('failed');
    expect(b.rec.states[0].detail.error).toBe('the engine process answered question 41, which the lab never asked');

    const c = await pausedRun();
    const asked = c.run.predict(new Float32Array(2), 1);
    c.host.say({ type: 'weights', id: 0, params: {} });
    await expect(asked).rejects.toMatchObject({ code: 'internal' });
    expect(c.rec.states[0].detail.error).toBe('the engine process answered question 0 with weights; the lab asked for prediction');
  });

  it('rejects pending queries on dispose, and kills a host that stays silent on a question (the watchdog)', async () => {
    const a = await pausedRun();
    const pending = a.run.weights();
    a.run.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'conflict' });

    vi.useFakeTimers();
    const b = await pausedRun({ watchdogMs: 1000 });
    const silent = b.run.predict(new Float32Array(2), 1);
    const outcome = silent.catch((e: unknown) => e);
    vi.advanceTimersByTime(1001);
    expect(b.host.killed).toBe(1);
    expect(await outcome).toMatchObject({ code: 'internal', message: expect.stringContaining('stopped answering') });
  });
});
