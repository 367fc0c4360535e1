/**
 * What every chart group of the Train view shares: the selected run and its
 * traces, the one step cursor (the traced row the charts point at, moved by the
 * slider or a click on any step axis), and the theme. The charts' base options
 * are computed from the traces alone; the cursor is laid on top in a second,
 * cheap step, so moving it never rebuilds a heatmap.
 */
import type { EChartsOption } from 'echarts';
import { computed, type ComputedRef } from 'vue';

import type { RunSummary } from '../../../../core/api/labApi.ts';
import { nearestRow, withStepCursor } from '../../../../core/charts/cursor.ts';
import type { TraceColumns } from '../../../../core/traces/metrics.ts';
import { useRunsStore } from '../../stores/runs.ts';
import { useUiStore } from '../../stores/ui.ts';

export interface TrainCharts {
  run: ComputedRef<RunSummary | null>;
  cols: ComputedRef<TraceColumns | null>;
  /** The traced row the charts show (the cursor, or the newest row). */
  row: ComputedRef<number | null>;
  /** Its training step. */
  cursorStep: ComputedRef<number | null>;
  dark: ComputedRef<boolean>;
  runLabel: ComputedRef<string>;
  /** `option` (null passes through) with the shared cursor on its step axes. */
  withCursor: (option: EChartsOption | null) => EChartsOption | null;
  /** Moves the cursor to the traced row nearest `step` (the newest row: follow the run again). */
  pickStep: (step: number) => void;
}

export function useTrainCharts(): TrainCharts {
  const runs = useRunsStore();
  const ui = useUiStore();
  const cols = computed(() => runs.selectedColumns);
  const row = computed(() => runs.cursorRow);
  const cursorStep = computed(() => (cols.value && row.value !== null ? cols.value.steps[row.value] : null));

  function pickStep(step: number): void {
    const c = cols.value;
    if (!c) return;
    const r = nearestRow(c.steps, step);
    if (r >= 0) runs.setCursor(r === c.steps.length - 1 ? null : r);
  }

  return {
    run: computed(() => runs.selected),
    cols,
    row,
    cursorStep,
    dark: computed(() => ui.theme === 'dark'),
    runLabel: computed(() => runs.selected?.label ?? 'run'),
    withCursor: (option) => (option === null || cursorStep.value === null ? option : withStepCursor(option, cursorStep.value)),
    pickStep,
  };
}
