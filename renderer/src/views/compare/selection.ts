/**
 * Which runs the Compare view shows: two to four of the project's runs, in the
 * run list's order (oldest first, so the first one is the baseline the diff reads
 * from). Pure, so the rules are tested without a DOM.
 */
import type { RunSummary } from '../../../../core/api/labApi.ts';

/** More than four overlaid runs stop being readable (and the palette is made for four). */
export const MAX_COMPARED = 4;
export const MIN_COMPARED = 2;

/** The two latest runs that have trained steps (fewer when fewer have), in list order. */
export function defaultPicks(runs: readonly Pick<RunSummary, 'id' | 'stepsDone'>[]): string[] {
  return runs
    .filter((r) => r.stepsDone > 0)
    .slice(-MIN_COMPARED)
    .map((r) => r.id);
}

/** `picked` with `id` checked or unchecked: never more than MAX_COMPARED, never an id twice. */
export function togglePick(picked: readonly string[], id: string, on: boolean): string[] {
  if (!on) return picked.filter((p) => p !== id);
  if (picked.includes(id) || picked.length >= MAX_COMPARED) return [...picked];
  return [...picked, id];
}

/** The picked runs that still exist, in the run list's order. */
export function pickedRuns<R extends Pick<RunSummary, 'id'>>(runs: readonly R[], picked: readonly string[]): R[] {
  const set = new Set(picked);
  return runs.filter((r) => set.has(r.id));
}
