/**
 * The project's runs: their summaries (state, steps, last loss), the run the Train
 * view shows, the traced step the charts point at, and the run controls. Traces
 * live outside Vue's reactivity in LiveTraces; `traceVersion` changes at most once
 * per animation frame, and that is what charts recompute on.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

import type { LabMethod, LabParams, LabResults, RunSummary } from '../../../core/api/labApi.ts';
import type { TraceColumns } from '../../../core/traces/metrics.ts';
import { lab } from '../api/api.ts';
import { createFrameCoalescer, type CoalescerOptions } from '../traces/frameCoalescer.ts';
import { LiveTraces } from './liveTraces.ts';
import { useProjectStore } from './project.ts';
import { useUiStore } from './ui.ts';

/** States a run can be started, resumed or stepped from. */
const STARTABLE = new Set(['created']);
const RESUMABLE = new Set(['paused']);
const ACTIVE = new Set(['running', 'paused']);

type RunControl = 'runs.start' | 'runs.pause' | 'runs.resume' | 'runs.stop' | 'runs.restart';

/**
 * Live charts redraw at most this often while a run trains (ms). Ten times a second
 * reads as live; redrawing 20+ series of a long run every frame costs the page its
 * responsiveness for nothing a student could see.
 */
export const LIVE_REDRAW_MS = 100;

/** How the frame coalescer is scheduled; tests pass a manual scheduler. */
let coalescerOptions: CoalescerOptions = { minIntervalMs: LIVE_REDRAW_MS };
export function setRunsFrameScheduling(options: CoalescerOptions): void {
  coalescerOptions = options;
}

export const useRunsStore = defineStore('runs', () => {
  const ui = useUiStore();
  const project = useProjectStore();
  const runs = shallowRef<RunSummary[]>([]);
  const selectedId = ref<string | null>(null);
  /** The traced row the charts point at; null follows the newest row. */
  const cursor = ref<number | null>(null);
  /** Changes once per applied batch of trace data (at most once per frame). */
  const traceVersion = ref(0);

  const live = new LiveTraces(
    async (runId) => (await lab().invoke('runs.traces', { runId })).traces,
    () => traceVersion.value++,
  );
  const frames = createFrameCoalescer(() => live.apply(runs.value), coalescerOptions);

  const selected = computed(() => runs.value.find((r) => r.id === selectedId.value) ?? null);
  /** The selected run's traces so far (recomputed when traceVersion changes). */
  const selectedColumns = computed<TraceColumns | null>(() => {
    void traceVersion.value;
    return selectedId.value ? live.columns(selectedId.value) : null;
  });
  /** The traced row the charts show: the cursor, clamped, or the newest row. */
  const cursorRow = computed<number | null>(() => {
    const rows = selectedColumns.value?.steps.length ?? 0;
    if (rows === 0) return null;
    return cursor.value === null ? rows - 1 : Math.min(Math.max(0, cursor.value), rows - 1);
  });
  const anyActive = computed(() => runs.value.some((r) => r.state === 'running'));

  function setRuns(list: RunSummary[]): void {
    runs.value = list;
    live.retain(new Set(list.map((r) => r.id)));
    if (!list.some((r) => r.id === selectedId.value)) select(list.at(-1)?.id ?? null);
  }

  function upsert(run: RunSummary): void {
    // A restart starts the traces over from step 0.
    if (run.stepsDone === 0 && live.stepCount(run.id) > 0) live.forget(run.id);
    const i = runs.value.findIndex((r) => r.id === run.id);
    runs.value = i < 0 ? [...runs.value, run] : runs.value.map((r, k) => (k === i ? run : r));
    if (selectedId.value === run.id && !live.has(run.id) && run.stepsDone > 0) void live.load(run.id, runs.value);
  }

  function select(runId: string | null): void {
    selectedId.value = runId;
    cursor.value = null;
    // A run that has trained steps is fetched whole; a fresh one fills from its first chunk.
    const run = runs.value.find((r) => r.id === runId);
    if (runId && run && run.stepsDone > 0 && !live.has(runId)) void live.load(runId, runs.value);
  }

  /** Subscribes to the lab's run events; returns the unsubscribe function. */
  function listen(): () => void {
    const client = lab();
    const offs = [
      client.on('runs.changed', setRuns),
      client.on('run.updated', upsert),
      client.on('run.traces', ({ runId, chunk }) => {
        live.receive(runId, chunk);
        frames.request();
      }),
      client.on('project.changed', (s) => {
        // Another project (or the same one reloaded): its runs replace ours.
        if (s.runs.some((r) => !runs.value.some((o) => o.id === r.id)) || s.runs.length !== runs.value.length) {
          setRuns(s.runs);
        }
      }),
    ];
    return () => {
      for (const off of offs) off();
      frames.dispose();
    };
  }

  /** Loads the run list (at start and after a reconnect: everything held is fetched again). */
  async function load(): Promise<void> {
    live.clear();
    const list = await lab().invoke('runs.list', {});
    runs.value = list;
    if (!list.some((r) => r.id === selectedId.value)) selectedId.value = list.at(-1)?.id ?? null;
    if (selectedId.value) await live.load(selectedId.value, list);
  }

  async function call<M extends LabMethod>(what: () => Promise<LabResults[M]>): Promise<LabResults[M] | null> {
    try {
      return await what();
    } catch (e) {
      ui.error(e);
      return null;
    }
  }

  /** A new run from the project's network, data set and settings, started at once. */
  async function createAndStart(): Promise<RunSummary | null> {
    project.flushEdits();
    const created = await call<'runs.create'>(() => lab().invoke('runs.create', {}));
    if (!created) return null;
    upsert(created);
    select(created.id);
    const started = await call<'runs.start'>(() => lab().invoke('runs.start', { runId: created.id }));
    if (started) upsert(started);
    return started;
  }

  async function control(method: RunControl, runId = selectedId.value): Promise<RunSummary | null> {
    if (!runId) return null;
    const run = await call<RunControl>(() => lab().invoke(method, { runId }));
    if (run) upsert(run);
    return run;
  }

  async function step(steps = 1, runId = selectedId.value): Promise<RunSummary | null> {
    if (!runId) return null;
    const run = await call<'runs.step'>(() => lab().invoke('runs.step', { runId, steps }));
    if (run) upsert(run);
    return run;
  }

  /**
   * "Start" as a shortcut means: go on with the selected run if it can (created:
   * start, paused: resume), else start a new one.
   */
  async function startOrResume(): Promise<RunSummary | null> {
    const run = selected.value;
    if (run && STARTABLE.has(run.state)) return control('runs.start', run.id);
    if (run && RESUMABLE.has(run.state)) return control('runs.resume', run.id);
    return createAndStart();
  }

  /**
   * A new run with some of the project's network, data set and settings replaced
   * (a diagnosis fix: "duplicate this run with one change"), started at once and
   * shown. The project itself is left as it is.
   */
  async function createVariant(variant: LabParams<'runs.create'>): Promise<RunSummary | null> {
    const created = await call<'runs.create'>(() => lab().invoke('runs.create', variant));
    if (!created) return null;
    upsert(created);
    select(created.id);
    const started = await call<'runs.start'>(() => lab().invoke('runs.start', { runId: created.id }));
    if (started) upsert(started);
    return started;
  }

  /** One step of the selected run when it can take one, else of a new run. */
  async function stepOrCreate(): Promise<RunSummary | null> {
    const run = selected.value;
    if (run && (STARTABLE.has(run.state) || RESUMABLE.has(run.state))) return step(1, run.id);
    project.flushEdits();
    const created = await call<'runs.create'>(() => lab().invoke('runs.create', {}));
    if (!created) return null;
    upsert(created);
    select(created.id);
    return step(1, created.id);
  }

  async function remove(runId: string): Promise<void> {
    const list = await call<'runs.delete'>(() => lab().invoke('runs.delete', { runId }));
    if (list) setRuns(list);
  }

  async function rename(runId: string, label: string): Promise<void> {
    const run = await call<'runs.rename'>(() => lab().invoke('runs.rename', { runId, label }));
    if (run) upsert(run);
  }

  function setCursor(row: number | null): void {
    cursor.value = row;
  }

  return {
    runs,
    selectedId,
    cursor,
    traceVersion,
    selected,
    selectedColumns,
    cursorRow,
    anyActive,
    listen,
    load,
    select,
    setCursor,
    createAndStart,
    createVariant,
    startOrResume,
    stepOrCreate,
    start: (runId?: string) => control('runs.start', runId),
    pause: (runId?: string) => control('runs.pause', runId),
    resume: (runId?: string) => control('runs.resume', runId),
    stop: (runId?: string) => control('runs.stop', runId),
    restart: (runId?: string) => control('runs.restart', runId),
    step,
    remove,
    rename,
    /** Applies queued trace chunks now instead of on the next frame (tests). */
    flushTraces: () => frames.flushNow(),
    isActive: (run: RunSummary) => ACTIVE.has(run.state),
  };
});
