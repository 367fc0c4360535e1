// Undo/redo over whole snapshots (spec + positions). Snapshots are immutable
// values, so keeping them costs only what changed; `limit` bounds the memory.
//
// Typing into a param field would otherwise push one step per keystroke: commits
// that carry the same `coalesce` key as the previous commit replace the present
// state instead of pushing, until anything else is committed, undone, or
// `seal()` is called (the inspector seals on blur).

export interface History<T> {
  readonly present: T;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Records `next` as the present state; returns nothing. */
  commit(next: T, coalesce?: string): void;
  /** Steps back; returns the state to show, or null when there is nothing to undo. */
  undo(): T | null;
  redo(): T | null;
  /** Ends the current coalescing run. */
  seal(): void;
  /** Starts over from `state` (a project was opened). */
  reset(state: T): void;
}

export const DEFAULT_HISTORY_LIMIT = 200;

export function createHistory<T>(initial: T, limit = DEFAULT_HISTORY_LIMIT): History<T> {
  let past: T[] = [];
  let future: T[] = [];
  let present = initial;
  let runKey: string | null = null;

  return {
    get present() {
      return present;
    },
    get canUndo() {
      return past.length > 0;
    },
    get canRedo() {
      return future.length > 0;
    },
    commit(next, coalesce) {
      if (coalesce !== undefined && coalesce === runKey && past.length > 0) {
        present = next;
        future = [];
        return;
      }
      past.push(present);
      if (past.length > limit) past = past.slice(past.length - limit);
      present = next;
      future = [];
      runKey = coalesce ?? null;
    },
    undo() {
      const prev = past.pop();
      if (prev === undefined) return null;
      future.push(present);
      present = prev;
      runKey = null;
      return present;
    },
    redo() {
      const next = future.pop();
      if (next === undefined) return null;
      past.push(present);
      present = next;
      runKey = null;
      return present;
    },
    seal() {
      runKey = null;
    },
    reset(state) {
      past = [];
      future = [];
      present = state;
      runKey = null;
    },
  };
}
