// LabService end to end with the real addon in real engine host processes:
// create a project, train, save, reopen (traces as stored); pause, resume, step,
// stop; several runs at once; a host killed by SIGSEGV costs its run only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { LabError, type LabEvent, type LabEvents, type RunSummary } from '../../../core/api/labApi.ts';
import { storedTraces } from '../../../core/project/traceCodec.ts';
import { TRACE_METRICS, type TraceColumns } from '../../../core/traces/metrics.ts';
import type { HostChannel, HostLauncher } from '../../../electron/engineHost/launcher.ts';
import { NodeHostLauncher } from '../../../electron/engineHost/nodeLauncher.ts';
import { LabService } from '../../../electron/service/labService.ts';
import { stateOf, waitForEvent } from './serviceEvents.ts';

/** The real launcher, remembering the channels it opened (to find a host's pid). */
class RecordingLauncher implements HostLauncher {
  readonly channels: HostChannel[] = [];
  private readonly inner = new NodeHostLauncher();
  launch(): HostChannel {
    const c = this.inner.launch();
    this.channels.push(c);
    return c;
  }
}

let dir: string;
let service: LabService;
let launcher: RecordingLauncher;
let events: { event: LabEvent; payload: unknown; at: number }[];

const waitFor = <E extends LabEvent>(event: E, test: (p: LabEvents[E]) => boolean, timeoutMs?: number) =>
  waitForEvent(service, event, test, timeoutMs);

/** A small sigmoid MLP on the spiral, `steps` steps. */
async function smallRun(steps: number, label?: string): Promise<RunSummary> {
  const state = await service.dispatch('project.get', {});
  return service.dispatch('runs.create', {
    ...(label ? { label } : {}),
    settings: { ...state.project.settings, steps, batch_size: 32, trace_every: 1 },
  });
}

function expectSameTraces(a: TraceColumns, b: TraceColumns): void {
  expect(Array.from(b.steps)).toEqual(Array.from(a.steps));
  for (const m of TRACE_METRICS) {
    expect(Buffer.from(b.metrics[m.id].buffer, b.metrics[m.id].byteOffset, b.metrics[m.id].byteLength)).toEqual(
      Buffer.from(a.metrics[m.id].buffer, a.metrics[m.id].byteOffset, a.metrics[m.id].byteLength),
    );
  }
  expect(Array.from(b.histogram)).toEqual(Array.from(a.histogram));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-runs-'));
  launcher = new RecordingLauncher();
  events = [];
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0, launcher });
  service.subscribe((event, payload) => events.push({ event, payload, at: Date.now() }));
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('LabService runs', () => {
  it('trains, streams traces, saves and reopens with the traces as stored', async () => {
    const run = await smallRun(300);
    const done = waitFor('run.updated', stateOf(run.id, ['completed']));
    await service.dispatch('runs.start', { runId: run.id });
    const final = await done;
    expect(final.stepsDone).toBe(300);
    expect(final.layout?.nodeIds).toContain('dense1');
    expect(Number.isFinite(final.lastLoss)).toBe(true);

    // The streamed chunks add up to every step, in order.
    const chunks = events.filter((e) => e.event === 'run.traces').map((e) => (e.payload as LabEvents['run.traces']).chunk);
    expect(chunks.reduce((n, c) => n + c.metrics.loss.length, 0)).toBe(300);
    chunks.forEach((c, i) => i > 0 && expect(c.stepFrom).toBe(chunks[i - 1].stepFrom + chunks[i - 1].metrics.loss.length));

    const live = (await service.dispatch('runs.traces', { runId: run.id })).traces!;
    expect(live.steps.length).toBe(300);
    const path = join(dir, 'trained.vglab');
    await service.dispatch('project.saveAs', { path });
    await service.dispatch('project.new', {});
    expect(await service.dispatch('runs.list', {})).toEqual([]);
    const reopened = await service.dispatch('project.open', { path });
    expect(reopened.runs).toHaveLength(1);
    expect(reopened.runs[0].state).toBe('completed');
    expect(reopened.runs[0].stepsDone).toBe(300);
    const back = (await service.dispatch('runs.traces', { runId: run.id })).traces!;
    expectSameTraces(storedTraces(live), back);
  });

  it('pauses, steps, resumes and stops between steps', async () => {
    const run = await smallRun(100_000);
    await service.dispatch('runs.start', { runId: run.id });
    await waitFor('run.updated', (r) => r.id === run.id && r.stepsDone > 50);
    const paused = await service.dispatch('runs.pause', { runId: run.id });
    expect(paused.state).toBe('paused');
    const at = paused.stepsDone;
    const traced = (await service.dispatch('runs.traces', { runId: run.id })).traces!;
    expect(traced.metrics.loss.length).toBe(at);

    await service.dispatch('runs.step', { runId: run.id, steps: 3 });
    const stepped = await waitFor('run.updated', stateOf(run.id, ['paused']));
    expect(stepped.stepsDone).toBe(at + 3);

    const e = await service.dispatch('runs.resume', { runId: run.id }).then(() => null);
    expect(e).toBeNull();
    await waitFor('run.updated', (r) => r.id === run.id && r.stepsDone > at + 50);
    const stopped = await service.dispatch('runs.stop', { runId: run.id });
    expect(stopped.state).toBe('cancelled');
    const count = events.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(events.slice(count).filter((x) => x.event === 'run.traces')).toEqual([]);
    await expect(service.dispatch('runs.resume', { runId: run.id })).rejects.toBeInstanceOf(LabError);
  });

  it('sends at most ~30 trace messages a second per run however fast it trains', async () => {
    const run = await smallRun(40_000);
    const t0 = Date.now();
    const done = waitFor('run.updated', stateOf(run.id, ['completed']), 60_000);
    await service.dispatch('runs.start', { runId: run.id });
    await done;
    const seconds = (Date.now() - t0) / 1000;
    const traces = events.filter((e) => e.event === 'run.traces').length;
    const updates = events.filter((e) => e.event === 'run.updated').length;
    console.log(`40,000 steps in ${seconds.toFixed(2)} s: ${traces} trace messages, ${updates} updates`);
    expect(traces / seconds).toBeLessThanOrEqual(35);
    expect(updates / seconds).toBeLessThanOrEqual(40);
  });

  it('runs several at once; a host killed by SIGSEGV fails its run only, which then restarts', async () => {
    const a = await smallRun(100_000, 'doomed');
    const b = await smallRun(2_000, 'bystander');
    await service.dispatch('runs.start', { runId: a.id });
    // Listened for from the start: under load the bystander may finish before the doomed run fails.
    const bystanderDone = waitFor('run.updated', stateOf(b.id, ['completed']), 60_000);
    await service.dispatch('runs.start', { runId: b.id });
    await waitFor('run.updated', (r) => r.id === a.id && r.stepsDone > 20);
    const failed = waitFor('run.updated', stateOf(a.id, ['failed']));
    process.kill(launcher.channels[0].pid!, 'SIGSEGV');
    const f = await failed;
    expect(f.error).toMatch(/SIGSEGV/);
    await bystanderDone;
    expect((await service.dispatch('project.get', {})).runs.map((r) => r.state).sort()).toEqual(['completed', 'failed']);

    const restarted = await service.dispatch('runs.restart', { runId: a.id });
    expect(restarted.state).toBe('running');
    await waitFor('run.updated', (r) => r.id === a.id && r.stepsDone > 20);
    expect((await service.dispatch('runs.stop', { runId: a.id })).state).toBe('cancelled');
  });

  it('refuses a network the engine cannot train, naming the node, and marks the run failed', async () => {
    const state = await service.dispatch('project.get', {});
    const network = structuredClone(state.project.network);
    network.nodes = network.nodes.map((n) => (n.id === 'logits' ? { ...n, params: { ...n.params, units: 1 } } : n)) as typeof network.nodes;
    const run = await service.dispatch('runs.create', { network });
    const e = await service.dispatch('runs.start', { runId: run.id }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LabError);
    expect((e as LabError).message).toMatch(/the output "logits" has 1/);
    expect((await service.dispatch('runs.list', {}))[0].state).toBe('failed');
  });
});
