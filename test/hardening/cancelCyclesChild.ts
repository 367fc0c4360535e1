// Child process of cancelCycles.test.ts (run with `node --expose-gc --import tsx`):
// the real LabService in a process of its own, so its RSS is the service's alone and
// global.gc is there. Runs CYCLES start/stop cycles of a training run, each in a fresh
// engine host, and prints one JSON line of measurements.
//   node --expose-gc --import tsx cancelCyclesChild.ts <cycles> <warmup> [<sampleEvery>]
//
// Memory is sampled every <sampleEvery> cycles (and after the last), each time after
// full garbage collections and a settle, so the test can fit the trend of RSS over the
// cycles instead of trusting two single readings (see cancelCycles.test.ts).
//
// Each cycle: runs.create, runs.start, wait for the first run.traces chunk (the host
// is training), runs.stop, runs.delete. Two times per stop: until the run is reported
// cancelled (run.updated: the host acknowledged between two steps) and until
// runs.stop resolves (which also waits for the host process to exit). Any run.traces
// of a run after its stop resolved is recorded as a late event.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { LabEvents } from '../../core/api/labApi.ts';
import { NodeHostLauncher } from '../../electron/engineHost/nodeLauncher.ts';
import { LabService } from '../../electron/service/labService.ts';

const [cycles = 200, warmup = 20, sampleEvery = 10] = process.argv.slice(2).map(Number);
const gc = (globalThis as { gc?: () => void }).gc;

const dataDir = mkdtempSync(join(tmpdir(), 'vglab-cancel-'));
// VGLAB_HOST_ENTRY: the bundled host (out/electron/engineHost.cjs), as the app starts it;
// without it, host.ts through tsx, which costs about a second of compiling per host.
const entry = process.env.VGLAB_HOST_ENTRY;
const service = new LabService({ mode: 'headless', dataDir, autosaveMs: 0, ...(entry ? { launcher: new NodeHostLauncher({ entry }) } : {}) });

const stoppedAt = new Map<string, number>();
const late: { runId: string; afterMs: number }[] = [];
let firstChunk: ((runId: string) => void) | null = null;
/** When the run being stopped was first reported cancelled (the host's acknowledgement). */
let acknowledged: ((runId: string) => void) | null = null;
service.subscribe((event, payload) => {
  if (event === 'run.updated' && (payload as LabEvents['run.updated']).state === 'cancelled') acknowledged?.((payload as LabEvents['run.updated']).id);
  if (event !== 'run.traces') return;
  const { runId } = payload as LabEvents['run.traces'];
  const stopped = stoppedAt.get(runId);
  if (stopped !== undefined) late.push({ runId, afterMs: performance.now() - stopped });
  firstChunk?.(runId);
});

function rss(): number {
  if (gc) {
    // Several passes: weak callbacks and finalizers (closed pipes, child handles) run between them.
    for (let i = 0; i < 4; i++) gc();
  }
  return process.memoryUsage().rss;
}

async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 200));
}

interface MemorySample {
  /** Measured cycles done when it was taken. */
  cycle: number;
  rss: number;
  heapUsed: number;
}

/** RSS and heap after a settle (the last host's pipes and handles closed) and full collections. */
async function sample(cycle: number): Promise<MemorySample> {
  await settle();
  const rssNow = rss();
  return { cycle, rss: rssNow, heapUsed: process.memoryUsage().heapUsed };
}

async function cycle(settings: LabEvents['run.updated']['settings']): Promise<{ stopMs: number; ackMs: number; spawnMs: number }> {
  const run = await service.dispatch('runs.create', { settings });
  const started = performance.now();
  const trained = new Promise<void>((resolve) => {
    firstChunk = (id) => {
      if (id === run.id) resolve();
    };
  });
  await service.dispatch('runs.start', { runId: run.id });
  await trained;
  firstChunk = null;
  const spawnMs = performance.now() - started;
  let ackMs = NaN;
  const t0 = performance.now();
  acknowledged = (id) => {
    if (id === run.id && Number.isNaN(ackMs)) ackMs = performance.now() - t0;
  };
  const stopped = await service.dispatch('runs.stop', { runId: run.id });
  const stopMs = performance.now() - t0;
  acknowledged = null;
  stoppedAt.set(run.id, performance.now());
  if (stopped.state !== 'cancelled') throw new Error(`run ${run.id} is ${stopped.state} after stop`);
  await service.dispatch('runs.delete', { runId: run.id });
  return { stopMs, ackMs, spawnMs };
}

try {
  const project = await service.dispatch('project.get', {});
  // Long enough never to finish by itself; traced every step so chunks flow at once.
  const settings = { ...project.project.settings, steps: 1_000_000, trace_every: 1, batch_size: 32 };
  for (let i = 0; i < warmup; i++) await cycle(settings);
  const samples: MemorySample[] = [await sample(0)];
  const stopMs: number[] = [];
  const ackMs: number[] = [];
  const spawnMs: number[] = [];
  let cyclesMs = 0;
  for (let i = 0; i < cycles; i++) {
    const startedAt = performance.now();
    const c = await cycle(settings);
    cyclesMs += performance.now() - startedAt;
    stopMs.push(c.stopMs);
    ackMs.push(c.ackMs);
    spawnMs.push(c.spawnMs);
    if ((i + 1) % sampleEvery === 0 || i + 1 === cycles) samples.push(await sample(i + 1));
  }
  const [first, last] = [samples[0]!, samples[samples.length - 1]!];
  process.stdout.write(
    `${JSON.stringify({ gc: gc !== undefined, cycles, warmup, stopMs, ackMs, spawnMs, cyclesMs, rssBefore: first.rss, rssAfter: last.rss, heapBefore: first.heapUsed, heapAfter: last.heapUsed, samples, late, runsLeft: (await service.dispatch('runs.list', {})).length })}\n`,
  );
} finally {
  await service.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}
