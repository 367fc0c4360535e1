// The time cap through the real LabService and real engine host processes: a run
// that trains for the whole cap is stopped between two steps, keeps its traces and
// weights, and says why (the cap and the last step), in the summary and in the saved
// project; time standing paused does not count; 0 means no cap.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { LabEvent, LabEvents, RunSummary } from '../../../core/api/labApi.ts';
import { parseProject } from '../../../core/project/migrate.ts';
import { LabService } from '../../../electron/service/labService.ts';
import { stateOf, waitForEvent } from './serviceEvents.ts';

let dir: string;
let service: LabService;

function open(timeCapMs: number): LabService {
  dir = mkdtempSync(join(tmpdir(), 'vglab-timecap-'));
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0, timeCapMs });
  return service;
}

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const waitFor = <E extends LabEvent>(event: E, test: (p: LabEvents[E]) => boolean) => waitForEvent(service, event, test);

/** A small MLP on the spiral that would train far longer than any cap here. */
async function longRun(steps = 1_000_000): Promise<RunSummary> {
  const state = await service.dispatch('project.get', {});
  return service.dispatch('runs.create', { settings: { ...state.project.settings, steps, batch_size: 32, trace_every: 1 } });
}

describe('the time cap', () => {
  it('stops a run between two steps at the cap, with the reason, its traces and its weights; a saved project keeps the reason', async () => {
    open(500);
    const run = await longRun();
    const stopped = waitFor('run.updated', stateOf(run.id, ['cancelled', 'failed', 'completed']));
    const started = performance.now();
    await service.dispatch('runs.start', { runId: run.id });
    const final = await stopped;
    const tookMs = performance.now() - started;

    expect(final.state).toBe('cancelled');
    expect(tookMs).toBeGreaterThanOrEqual(500);
    expect(final.stepsDone).toBeGreaterThan(0);
    expect(final.stepsDone).toBeLessThan(1_000_000);
    const step = final.stepsDone.toLocaleString('en-US');
    expect(final.stopReason).toBe(
      `Stopped at the time cap of 0.5 s after step ${step} of 1,000,000; its traces and weights are kept. ` +
        'To train further, set fewer steps or ask for a longer cap (--time-cap).',
    );
    // Stopped between steps: the traces hold every step it reports, and its network answers.
    const traces = (await service.dispatch('runs.traces', { runId: run.id })).traces!;
    expect(traces.metrics.loss.length).toBe(final.stepsDone);
    const prediction = await service.dispatch('runs.predict', { runId: run.id, x: [0.1, -0.2], rows: 1 });
    expect(prediction.output).toHaveLength(prediction.outputs);
    expect(Array.from(prediction.output).every(Number.isFinite)).toBe(true);

    const path = join(dir, 'capped.vglab');
    await service.dispatch('project.saveAs', { path });
    const parsed = parseProject(readFileSync(path, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.project.runs[0]).toMatchObject({ status: 'cancelled', stopReason: final.stopReason });
    await service.dispatch('project.new', {});
    const reopened = await service.dispatch('project.open', { path });
    expect(reopened.runs[0]).toMatchObject({ state: 'cancelled', stopReason: final.stopReason, stepsDone: final.stepsDone });

    // A restart is a fresh budget, and no longer carries the old reason.
    const restarted = await service.dispatch('runs.restart', { runId: run.id });
    expect(restarted.state).toBe('running');
    expect(restarted.stopReason).toBeUndefined();
    const again = await waitFor('run.updated', stateOf(run.id, ['cancelled', 'failed', 'completed']));
    expect(again.stopReason).toMatch(/^Stopped at the time cap of 0\.5 s after step [\d,]+ of 1,000,000;/);
  });

  it('does not count time standing paused', async () => {
    open(1500);
    const run = await longRun();
    await service.dispatch('runs.start', { runId: run.id });
    await waitFor('run.updated', (r) => r.id === run.id && r.stepsDone > 10);
    const paused = await service.dispatch('runs.pause', { runId: run.id });
    expect(paused.state).toBe('paused');
    // Paused longer than the whole cap: still paused, and it trains on when resumed.
    await new Promise((r) => setTimeout(r, 1800));
    expect((await service.dispatch('runs.list', {}))[0].state).toBe('paused');
    const resumedAt = performance.now();
    const stopped = waitFor('run.updated', stateOf(run.id, ['cancelled', 'failed', 'completed']));
    await service.dispatch('runs.resume', { runId: run.id });
    const final = await stopped;
    expect(final.state).toBe('cancelled');
    expect(final.stopReason).toMatch(/time cap of 1\.5 s/);
    // Some of the budget was spent before the pause, but not all of it.
    expect(performance.now() - resumedAt).toBeGreaterThan(100);
    expect(final.stepsDone).toBeGreaterThan(paused.stepsDone);
  });

  it('stops nothing with a cap of 0, and a run the student stops carries no reason', async () => {
    open(0);
    const done = await longRun(300);
    const completed = waitFor('run.updated', stateOf(done.id, ['completed', 'cancelled', 'failed']));
    await service.dispatch('runs.start', { runId: done.id });
    expect((await completed).state).toBe('completed');

    const run = await longRun();
    await service.dispatch('runs.start', { runId: run.id });
    await waitFor('run.updated', (r) => r.id === run.id && r.stepsDone > 10);
    const stopped = await service.dispatch('runs.stop', { runId: run.id });
    expect(stopped.state).toBe('cancelled');
    expect(stopped.stopReason).toBeUndefined();
  });
});
