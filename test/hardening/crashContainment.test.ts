// Crash containment, end to end: a segmentation fault inside an engine host while it
// trains (a real null-pointer write in the addon, armed by VGLAB_FAULT_INJECTION,
// electron/engineHost/faultInjection.ts) costs that run only. Against the real
// `vglab serve` through its WebSocket: the faulted run ends 'failed' naming SIGSEGV
// and the step; the run beside it completes; the server still serves the page and
// answers; the project saves and reopens intact; the failed run restarts and completes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunState, RunSummary } from '../../core/api/labApi.ts';
import { parseProject } from '../../core/project/migrate.ts';
import { decodeTraces } from '../../core/project/traceCodec.ts';
import { loadAddon } from '../../electron/engine/addon.ts';
import { startLabServer, type LabServer } from '../ui/labServer.ts';
import { LabSocket } from './labSocket.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FAULT_STEP = 6_000;
const DOOMED_STEPS = 10_000;

describe("the addon's fault hook", () => {
  it('does nothing unless VGLAB_FAULT_INJECTION is set in the process', () => {
    expect(process.env.VGLAB_FAULT_INJECTION).toBeUndefined();
    expect(loadAddon().injectFault('segv')).toBe(false);
  });

  it('ends a process that armed it with SIGSEGV', () => {
    const script = "import { loadAddon } from './electron/engine/addon.ts'; loadAddon().injectFault('segv'); console.log('survived');";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, VGLAB_FAULT_INJECTION: 'segv-at-step:0' },
    });
    expect(r.signal).toBe('SIGSEGV');
    expect(r.stdout).not.toContain('survived');
  });
});

describe('a segmentation fault in an engine host, through vglab serve', () => {
  let work: string;
  let server: LabServer;
  let lab: LabSocket;
  const claimed = () => join(work, 'fault-claimed');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vglab-crash-'));
    const staticDir = join(work, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>lab</title><p>the lab</p>');
    server = await startLabServer(30_000, staticDir, {
      // The first host to report step FAULT_STEP faults, once: the run restarted after it trains on.
      env: { VGLAB_FAULT_INJECTION: `segv-at-step:${FAULT_STEP}`, VGLAB_FAULT_INJECTION_ONCE: claimed() },
    });
    lab = await LabSocket.open(server.url);
  });

  afterAll(async () => {
    lab?.close();
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const ended = (runId: string, states: RunState[] = ['completed', 'cancelled', 'diverged', 'failed']) =>
    lab.next('run.updated', (r: RunSummary) => r.id === runId && states.includes(r.state));

  it('costs the faulted run only; the project saves and reopens intact; the run restarts and completes', async () => {
    const { project } = await lab.call('project.get', {});
    const settings = (steps: number, batch_size: number) => ({ ...project.settings, steps, batch_size, trace_every: 1 });
    // One step short of the fault, so it never reaches it; slow steps (about 0.6 ms of 1,024
    // rows against 0.05 ms of 32), so it is still training when the doomed run crashes.
    const bystander = await lab.call('runs.create', {
      label: 'bystander',
      settings: settings(FAULT_STEP - 1, 1024),
      dataset: { name: 'spiral', options: { n: 2000 } },
    });
    const doomed = await lab.call('runs.create', { label: 'doomed', settings: settings(DOOMED_STEPS, 32) });

    const bystanderEnd = ended(bystander.id);
    const bystanderTrains = lab.next('run.updated', (r) => r.id === bystander.id && r.stepsDone > 0);
    await lab.call('runs.start', { runId: bystander.id });
    await bystanderTrains;
    const doomedEnd = ended(doomed.id);
    await lab.call('runs.start', { runId: doomed.id });

    const failed = await doomedEnd;
    const atTheCrash = (await lab.call('runs.list', {})).find((r) => r.id === bystander.id)!;
    expect(failed.state).toBe('failed');
    expect(existsSync(claimed())).toBe(true);
    // The chunk that reached the fault step went out before the fault: the lab knows how far it got.
    expect(failed.stepsDone).toBeGreaterThanOrEqual(FAULT_STEP);
    expect(failed.error).toBe(
      `the engine process stopped unexpectedly (SIGSEGV) during step ${failed.stepsDone + 1}; the run can be restarted`,
    );
    // The bystander trained on through the crash (it was neither done nor stopped by it).
    expect(atTheCrash.state).toBe('running');
    expect(atTheCrash.stepsDone).toBeLessThan(FAULT_STEP - 1);
    const done = await bystanderEnd;
    expect(done).toMatchObject({ state: 'completed', stepsDone: FAULT_STEP - 1 });

    // The server: the page, the open socket, and a new one.
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('the lab');
    expect((await lab.call('app.info', {})).mode).toBe('browser');
    const second = await LabSocket.open(server.url);
    expect((await second.call('runs.list', {})).map((r) => [r.label, r.state])).toEqual([
      ['bystander', 'completed'],
      ['doomed', 'failed'],
    ]);
    second.close();

    // The project: saved, parsed, reopened as it was.
    const path = join(work, 'after-the-crash.vglab');
    await lab.call('project.saveAs', { path });
    const parsed = parseProject(readFileSync(path, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const [savedBystander, savedDoomed] = parsed.project.runs;
    expect(savedDoomed).toMatchObject({ label: 'doomed', status: 'failed', error: failed.error });
    expect(savedBystander).toMatchObject({ label: 'bystander', status: 'completed' });
    expect(decodeTraces(savedBystander.traces!).metrics.loss).toHaveLength(FAULT_STEP - 1);
    // The doomed run keeps the traces it streamed before the fault.
    expect(decodeTraces(savedDoomed.traces!).metrics.loss).toHaveLength(failed.stepsDone);
    await lab.call('project.new', {});
    const reopened = await lab.call('project.open', { path });
    expect(reopened.runs.map((r) => [r.label, r.state, r.stepsDone])).toEqual([
      ['bystander', 'completed', FAULT_STEP - 1],
      ['doomed', 'failed', failed.stepsDone],
    ]);
    expect(reopened.project.network).toEqual(project.network);
    // The finished bystander's network still answers (its weights were saved).
    const prediction = await lab.call('runs.predict', { runId: bystander.id, x: [0.25, -0.5], rows: 1 });
    expect(Array.from(prediction.output).every(Number.isFinite)).toBe(true);

    // The failed run starts over and, the fault spent, trains to the end.
    const again = ended(doomed.id);
    expect((await lab.call('runs.restart', { runId: doomed.id })).state).toBe('running');
    expect(await again).toMatchObject({ state: 'completed', stepsDone: DOOMED_STEPS });
  });
});
