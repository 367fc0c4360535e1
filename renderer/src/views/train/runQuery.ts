/**
 * One question to a run's trained network (runs.jacobian, runs.decisionBoundary)
 * and its latest answer, remembered with the run and the step it was asked at so
 * the view knows when the answer has gone stale. The lab answers only while the
 * run is at rest (paused, or finished with its weights kept).
 */
import { shallowRef, type ShallowRef } from 'vue';

import type { RunState, RunSummary } from '../../../../core/api/labApi.ts';

/** Run states whose network the lab can be asked about. */
export const AT_REST: readonly RunState[] = ['paused', 'completed', 'cancelled', 'diverged'];

export function isAtRest(run: Pick<RunSummary, 'state'> | null): boolean {
  return !!run && AT_REST.includes(run.state);
}

export interface QueryState<T> {
  runId: string;
  /** The run's stepsDone when asked. */
  step: number;
  result: T | null;
  error: string | null;
  loading: boolean;
}

export interface RunQuery<T> {
  state: ShallowRef<QueryState<T> | null>;
  /** Asks now (a second ask while one is out waits for none: the newer answer wins). */
  ask(run: Pick<RunSummary, 'id' | 'stepsDone'>): Promise<void>;
  /** True when there is no answer (or error) for this run at its current step. */
  stale(run: Pick<RunSummary, 'id' | 'stepsDone'> | null): boolean;
}

export function createRunQuery<T>(question: (runId: string) => Promise<T>): RunQuery<T> {
  const state = shallowRef<QueryState<T> | null>(null);
  let asked = 0;

  async function ask(run: Pick<RunSummary, 'id' | 'stepsDone'>): Promise<void> {
    const ticket = ++asked;
    const keep = state.value?.runId === run.id ? state.value.result : null;
    state.value = { runId: run.id, step: run.stepsDone, result: keep, error: null, loading: true };
    try {
      const result = await question(run.id);
      if (ticket === asked) state.value = { runId: run.id, step: run.stepsDone, result, error: null, loading: false };
    } catch (e) {
      if (ticket === asked) {
        state.value = { runId: run.id, step: run.stepsDone, result: null, error: e instanceof Error ? e.message : String(e), loading: false };
      }
    }
  }

  function stale(run: Pick<RunSummary, 'id' | 'stepsDone'> | null): boolean {
    const s = state.value;
    return !!run && (!s || s.runId !== run.id || s.step !== run.stepsDone);
  }

  return { state, ask, stale };
}
