/**
 * What every chart group of the Train view shares: the selected run and its
 * traces, the one step cursor (the traced row the charts point at, moved by the
 * slider or a click on any step axis), and the theme. The charts' base options
 * are computed from the traces alone; the cursor is laid on top in a second,
 * cheap step, so moving it never rebuilds a heatmap.
 */
import type { EChartsOption } from 'echarts';
import { computed, onScopeDispose, shallowRef, watch, type ComputedRef, type ShallowRef } from 'vue';

import type { RunSummary } from '../../../../core/api/labApi.ts';
import { nearestRow, withStepCursor } from '../../../../core/charts/cursor.ts';
import type { HeatmapBudget } from '../../../../core/charts/layerHeatmap.ts';
import type { TraceColumns } from '../../../../core/traces/metrics.ts';
import { useRunsStore } from '../../stores/runs.ts';
import { useUiStore } from '../../stores/ui.ts';
import { HEATMAP_BUDGET, HEATMAP_REDRAW_MS, LIVE_HEATMAP_BUDGET } from './budgets.ts';

import { throttle } from './throttle.ts';

export interface TrainCharts {
  run: ComputedRef<RunSummary | null>;
  cols: ComputedRef<TraceColumns | null>;
  /**
   * The same traces, following them at most every HEATMAP_REDRAW_MS: what the
   * heatmaps are built from, since they cost the most to draw. A new run is
   * followed at once.
   */
  slowCols: ShallowRef<TraceColumns | null>;
  /** The traced row the charts show (the cursor, or the newest row). */
  /** Cells a heatmap may draw: fewer while the run trains (redrawn often), more at rest (drawn once). */
  heatmapBudget: ComputedRef<HeatmapBudget>;
  row: ComputedRef<number | null>;
  /** Its training step. */
  cursorStep: ComputedRef<number | null>;
  dark: ComputedRef<boolean>;
  runLabel: ComputedRef<string>;
  /** `option` (null passes through) with the shared cursor on its step axes. */
  withCursor: (option: EChartsOption | null) => EChartsOption | null;
  /**
   * The same for a chart drawn from traces that lag the live ones (`shown`: the
   * heatmaps' slowCols, the fetched histograms): while the cursor follows the run
   * it sits on the last step of `shown`, so it moves only when that chart's data
   * does. Following the live step instead would redraw a whole heatmap ten times a
   * second just to move one line.
   */
  withCursorOn: (option: EChartsOption | null, shown: TraceColumns | null) => EChartsOption | null;
  /** Moves the cursor to the traced row nearest `step` (the newest row: follow the run again). */
  pickStep: (step: number) => void;
}

export function useTrainCharts(): TrainCharts {
  const runs = useRunsStore();
  const ui = useUiStore();
  const cols = computed(() => runs.selectedColumns);
  const row = computed(() => runs.cursorRow);
  const cursorStep = computed(() => (cols.value && row.value !== null ? cols.value.steps[row.value] : null));

  const slowCols = shallowRef<TraceColumns | null>(cols.value);
  const follow = throttle(() => (slowCols.value = cols.value), HEATMAP_REDRAW_MS);
  watch(cols, follow);
  watch(
    () => runs.selectedId,
    () => {
      follow.cancel();
      slowCols.value = cols.value;
    },
  );
  onScopeDispose(() => follow.cancel());

  function pickStep(step: number): void {
    const c = cols.value;
    if (!c) return;
    const r = nearestRow(c.steps, step);
    if (r >= 0) runs.setCursor(r === c.steps.length - 1 ? null : r);
  }

  return {
    run: computed(() => runs.selected),
    cols,
    slowCols,
    heatmapBudget: computed(() => (runs.selected?.state === 'running' ? LIVE_HEATMAP_BUDGET : HEATMAP_BUDGET)),
    row,
    cursorStep,
    dark: computed(() => ui.theme === 'dark'),
    runLabel: computed(() => runs.selected?.label ?? 'run'),
    withCursor: (option) => (option === null || cursorStep.value === null ? option : withStepCursor(option, cursorStep.value)),
    withCursorOn(option, shown) {
      const n = shown?.steps.length ?? 0;
      const step = runs.cursor === null ? (n > 0 ? shown!.steps[n - 1] : null) : cursorStep.value;
      return option === null || step === null ? option : withStepCursor(option, step);
    },
    pickStep,
  };
}
