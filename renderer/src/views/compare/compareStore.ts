/**
 * The Compare view's own state, kept across tab switches (the view unmounts when
 * hidden): the runs picked (null until the student picks: the defaults follow the
 * run list until then) and the step every compare chart points at.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

import { useRunsStore } from '../../stores/runs.ts';
import { MAX_COMPARED, defaultPicks, pickedRuns, togglePick } from './selection.ts';

export const useCompareStore = defineStore('compare', () => {
  const runs = useRunsStore();
  /** Ids the student chose; null: not chosen yet, the defaults apply. */
  const chosen = ref<string[] | null>(null);
  /** The training step the charts point at; null follows the latest step. */
  const step = ref<number | null>(null);
  /** The loss overlay on a log axis (runs whose losses differ by orders of magnitude). */
  const lossLog = ref(false);

  const pickedIds = computed(() => chosen.value ?? defaultPicks(runs.runs));
  /** The compared runs, in list order (oldest first: the first is the diff's baseline). */
  const compared = computed(() => pickedRuns(runs.runs, pickedIds.value));

  function setPicked(id: string, on: boolean): void {
    chosen.value = togglePick(compared.value.map((r) => r.id), id, on);
  }

  /** Adds a run (a fresh duplicate) to the comparison; the oldest other run makes room when four are shown. */
  function add(id: string): void {
    const ids = compared.value.map((r) => r.id).filter((r) => r !== id);
    chosen.value = togglePick(ids.length >= MAX_COMPARED ? ids.slice(1) : ids, id, true);
  }

  function setStep(s: number | null): void {
    step.value = s;
  }

  return { chosen, step, lossLog, pickedIds, compared, setPicked, add, setStep };
});
