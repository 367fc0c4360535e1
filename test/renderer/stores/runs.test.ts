// The runs store: summaries follow the lab's events, trace chunks are applied once
// per frame (never per chunk), a run joined midway is fetched whole and then
// continued from the chunks that arrived meanwhile, and a restart starts over.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import { installLab } from '../../../renderer/src/api/api.ts';
import { setRunsFrameScheduling, useRunsStore } from '../../../renderer/src/stores/runs.ts';
import { useUiStore } from '../../../renderer/src/stores/ui.ts';
import { makeChunk, makeColumns } from '../helpers.ts';
import { FakeLab, summary } from './fakeLab.ts';

let lab: FakeLab;
/** Frames the store asked for and has not had yet. */
let frames: (() => void)[];

function nextFrame(): void {
  const due = frames;
  frames = [];
  for (const f of due) f();
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

beforeEach(() => {
  lab = new FakeLab();
  installLab(lab);
  frames = [];
  setRunsFrameScheduling({ schedule: (cb) => frames.push(cb), now: () => 0 });
  setActivePinia(createPinia());
});

describe('runs store', () => {
  it('loads the run list and selects the newest run', async () => {
    lab.runs = [summary('r1'), summary('r2')];
    const runs = useRunsStore();
    await runs.load();
    expect(runs.runs.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(runs.selectedId).toBe('r2');
  });

  it('Start creates a run from the project and starts it, then shows it', async () => {
    const runs = useRunsStore();
    runs.listen();
    await runs.createAndStart();
    expect(lab.calls.map((c) => c.method)).toEqual(['runs.create', 'runs.start']);
    expect(runs.selected?.state).toBe('running');
  });

  it('applies many chunks in one frame: traces change once, not once per chunk', async () => {
    lab.runs = [summary('r1', { state: 'running' })];
    const runs = useRunsStore();
    runs.listen();
    await runs.load();
    const before = runs.traceVersion;
    for (let i = 0; i < 10; i++) lab.emit('run.traces', { runId: 'r1', stepsDone: (i + 1) * 5, chunk: makeChunk(i * 5, 5) });
    expect(runs.traceVersion).toBe(before);
    expect(frames).toHaveLength(1);
    nextFrame();
    expect(runs.traceVersion).toBe(before + 1);
    const cols = runs.selectedColumns!;
    expect(cols.metrics.loss).toHaveLength(50);
    expect(cols.metrics.loss[49]).toBeCloseTo(1 / 50);
    expect(cols.nodeIds).toEqual(['x', 'd1', 's1', 'd2']);
    expect(runs.cursorRow).toBe(49);
  });

  it('fetches a run joined midway and continues it with the chunks that came during the fetch', async () => {
    lab.runs = [summary('r1', { state: 'running', stepsDone: 20 })];
    lab.traces.set('r1', makeColumns(20));
    let release!: () => void;
    lab.holdTraces = new Promise((r) => (release = r));
    const runs = useRunsStore();
    runs.listen();
    const loading = runs.load();
    await settle();
    // Steps 10..19 are already in the fetched traces; 20..29 are new.
    lab.emit('run.traces', { runId: 'r1', stepsDone: 20, chunk: makeChunk(10, 10) });
    lab.emit('run.traces', { runId: 'r1', stepsDone: 30, chunk: makeChunk(20, 10) });
    nextFrame();
    release();
    await loading;
    const loss = runs.selectedColumns!.metrics.loss;
    expect(loss).toHaveLength(30);
    expect(Array.from(loss, (v, i) => Math.abs(v - 1 / (i + 1)) < 1e-6)).not.toContain(false);
  });

  it('fetches the whole run again when a chunk leaves a gap', async () => {
    lab.runs = [summary('r1', { state: 'running' })];
    const runs = useRunsStore();
    runs.listen();
    await runs.load();
    lab.emit('run.traces', { runId: 'r1', stepsDone: 5, chunk: makeChunk(0, 5) });
    nextFrame();
    lab.traces.set('r1', makeColumns(20));
    lab.emit('run.traces', { runId: 'r1', stepsDone: 20, chunk: makeChunk(15, 5) });
    nextFrame();
    await settle();
    expect(lab.calls.filter((c) => c.method === 'runs.traces').length).toBeGreaterThanOrEqual(2);
    expect(runs.selectedColumns!.metrics.loss).toHaveLength(20);
  });

  it('drops the old traces when a run is restarted', async () => {
    lab.runs = [summary('r1', { state: 'running' })];
    const runs = useRunsStore();
    runs.listen();
    await runs.load();
    lab.emit('run.traces', { runId: 'r1', stepsDone: 10, chunk: makeChunk(0, 10) });
    nextFrame();
    expect(runs.selectedColumns!.metrics.loss).toHaveLength(10);
    lab.emit('run.updated', summary('r1', { state: 'running', stepsDone: 0 }));
    lab.emit('run.traces', { runId: 'r1', stepsDone: 3, chunk: makeChunk(0, 3) });
    nextFrame();
    expect(runs.selectedColumns!.metrics.loss).toHaveLength(3);
  });

  it('keeps no gradient histograms live: a long run would copy them every frame', async () => {
    lab.runs = [summary('r1', { state: 'running' })];
    const runs = useRunsStore();
    runs.listen();
    await runs.load();
    const chunk = makeChunk(0, 4);
    lab.emit('run.traces', { runId: 'r1', stepsDone: 4, chunk: { ...chunk, histogram: new Uint32Array(4 * 4 * 33) } });
    nextFrame();
    expect(runs.selectedColumns!.histogram).toHaveLength(0);
    expect(runs.selectedColumns!.metrics.loss).toHaveLength(4);
  });

  it('the step cursor points at a traced row and follows the newest when null', async () => {
    lab.runs = [summary('r1', { state: 'running' })];
    const runs = useRunsStore();
    runs.listen();
    await runs.load();
    lab.emit('run.traces', { runId: 'r1', stepsDone: 10, chunk: makeChunk(0, 10) });
    nextFrame();
    runs.setCursor(3);
    expect(runs.cursorRow).toBe(3);
    runs.setCursor(99);
    expect(runs.cursorRow).toBe(9);
    runs.setCursor(null);
    lab.emit('run.traces', { runId: 'r1', stepsDone: 12, chunk: makeChunk(10, 2) });
    nextFrame();
    expect(runs.cursorRow).toBe(11);
  });

  it('the F5 command resumes a paused run instead of starting another', async () => {
    lab.runs = [summary('r1', { state: 'paused', stepsDone: 5 })];
    const runs = useRunsStore();
    await runs.load();
    await runs.startOrResume();
    expect(lab.calls.map((c) => c.method)).toContain('runs.resume');
    expect(lab.calls.map((c) => c.method)).not.toContain('runs.create');
  });

  it('shows a refused control as an error notice and keeps the run as it was', async () => {
    lab.runs = [summary('r1', { state: 'completed', stepsDone: 100 })];
    lab.failWith['runs.resume'] = new Error('runs.resume: the run has completed');
    const runs = useRunsStore();
    await runs.load();
    expect(await runs.resume()).toBeNull();
    expect(useUiStore().errors.map((n) => n.text)).toEqual(['runs.resume: the run has completed']);
    expect(runs.selected?.state).toBe('completed');
  });

  it('follows runs.changed: a deleted run disappears and the selection moves', async () => {
    lab.runs = [summary('r1'), summary('r2')];
    const runs = useRunsStore();
    runs.listen();
    await runs.load();
    lab.emit('runs.changed', [summary('r1')]);
    expect(runs.runs.map((r) => r.id)).toEqual(['r1']);
    expect(runs.selectedId).toBe('r1');
  });
});
