/**
 * The traces of the compared runs. The runs store keeps live traces for the run the
 * Train view shows only (its LiveTraces is private), so the Compare view holds its
 * own LiveTraces for the runs it compares: fetched whole with runs.traces when one
 * is picked (or has trained meanwhile), then kept live from the 'run.traces'
 * chunks, applied at most once per frame (LIVE_REDRAW_MS apart) like the Train view.
 * Never reactive (STYLE rule 11): `version` changes when the traces do.
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

import type { TraceColumns } from '../../../../core/traces/metrics.ts';
import { lab } from '../../api/api.ts';
import { LiveTraces } from '../../stores/liveTraces.ts';
import { LIVE_REDRAW_MS, useRunsStore } from '../../stores/runs.ts';
import { createFrameCoalescer } from '../../traces/frameCoalescer.ts';

export interface CompareTraces {
  /** Changes whenever any compared run's traces change. */
  version: Ref<number>;
  /** The run's traces so far, or null (none yet, or still fetching). Read `version` to recompute on change. */
  columns(runId: string): TraceColumns | null;
}

/** Keeps the traces of the runs `ids()` names (call from a component's setup; stops on unmount). */
export function useCompareTraces(ids: () => readonly string[]): CompareTraces {
  const runs = useRunsStore();
  const version = ref(0);
  const live = new LiveTraces(
    async (runId) => (await lab().invoke('runs.traces', { runId })).traces,
    () => version.value++,
  );
  const frames = createFrameCoalescer(() => live.apply(runs.runs), { minIntervalMs: LIVE_REDRAW_MS });
  let wanted = new Set<string>();

  const off = lab().on('run.traces', ({ runId, chunk }) => {
    if (!wanted.has(runId)) return;
    live.receive(runId, chunk);
    frames.request();
  });

  // Runs change state ~30 times a second while training: this loop only compares ids,
  // and `version` moves only when traces change (LiveTraces says so) or are dropped.
  watch(
    () => [ids(), runs.runs] as const,
    ([list, summaries]) => {
      const next = new Set(list);
      // Traces dropped (a run unpicked or restarted) change what the charts show.
      let dropped = [...wanted].some((id) => !next.has(id));
      wanted = next;
      live.retain(wanted);
      for (const id of list) {
        const run = summaries.find((r) => r.id === id);
        if (!run) continue;
        // A restart starts the traces over from step 0.
        if (run.stepsDone === 0 && live.stepCount(id) > 0) {
          live.forget(id);
          dropped = true;
        }
        if (run.stepsDone > 0 && !live.has(id)) void live.load(id, summaries);
      }
      if (dropped) version.value++;
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    off();
    frames.dispose();
    live.clear();
  });

  return { version, columns: (runId) => live.columns(runId) };
}
