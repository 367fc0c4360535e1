// The designer's document as component state: the current {spec, positions}, its
// undo history, and the v-model protocol with the parent. Edits come in through
// `apply`; the parent hears of them through `onChange`, and a network the parent
// hands in that is not an echo of our own edit starts a fresh history.
import { computed, shallowRef, toRaw, watch, type ComputedRef, type ShallowRef } from 'vue';

import type { NetworkSpecInput } from '../../../core/network/spec.ts';
import type { DesignDoc, Positions } from './document.ts';
import { createHistory, type History } from './history.ts';
import { initialPositions } from './initialPositions.ts';
import { deepEqual, sameNetwork } from './sameNetwork.ts';

export interface DesignDocumentSource {
  network: () => NetworkSpecInput;
  positions: () => Positions;
  readonly: () => boolean;
}

export interface DesignDocumentEvents {
  network: (spec: NetworkSpecInput) => void;
  positions: (positions: Positions) => void;
  /** A different network arrived from outside (a project was opened). */
  replaced: () => void;
}

export interface DesignDocument {
  doc: ShallowRef<DesignDoc>;
  history: History<DesignDoc>;
  canUndo: ComputedRef<boolean>;
  canRedo: ComputedRef<boolean>;
  /** Records one edit (runs with the same `coalesce` key make one undo step); ignored when read-only or unchanged. */
  apply: (next: DesignDoc | null, coalesce?: string) => void;
  /** Steps back; false when there was nothing to undo (or the designer is read-only). */
  undo: () => boolean;
  redo: () => boolean;
}

function docFrom(spec: NetworkSpecInput, positions: Positions): DesignDoc {
  // The parent's values may be reactive proxies; the document holds plain objects.
  return { spec: toRaw(spec), positions: initialPositions(spec, toRaw(positions)) };
}

export function useDesignDocument(source: DesignDocumentSource, on: DesignDocumentEvents): DesignDocument {
  const doc = shallowRef<DesignDoc>(docFrom(source.network(), source.positions()));
  const history = createHistory<DesignDoc>(doc.value);
  // history is a plain object; this tick makes canUndo/canRedo recompute.
  const tick = shallowRef(0);
  const canUndo = computed(() => (tick.value, history.canUndo));
  const canRedo = computed(() => (tick.value, history.canRedo));

  // What we last emitted, so the parent's v-model echo is not taken for a new project.
  let emittedSpec: NetworkSpecInput | null = null;
  let emittedPositions: Positions | null = null;

  function show(next: DesignDoc): void {
    const prev = doc.value;
    doc.value = next;
    tick.value++;
    if (next.spec !== prev.spec) {
      emittedSpec = next.spec;
      on.network(next.spec);
    }
    if (next.positions !== prev.positions) {
      emittedPositions = next.positions;
      on.positions(next.positions);
    }
  }

  function apply(next: DesignDoc | null, coalesce?: string): void {
    if (source.readonly() || next === null || next === doc.value) return;
    history.commit(next, coalesce);
    show(next);
  }

  function step(move: () => DesignDoc | null): boolean {
    if (source.readonly()) return false;
    const next = move();
    if (next) show(next);
    return next !== null;
  }

  watch(source.network, (incoming) => {
    const spec = toRaw(incoming);
    if (spec === emittedSpec || spec === doc.value.spec || sameNetwork(spec, doc.value.spec)) return;
    doc.value = docFrom(spec, source.positions());
    history.reset(doc.value);
    tick.value++;
    on.replaced();
  });
  watch(source.positions, (incoming) => {
    const positions = toRaw(incoming);
    if (positions === emittedPositions || positions === doc.value.positions) return;
    if (deepEqual(positions, doc.value.positions)) return;
    // Moved from outside (the store restored them): shown, not an undo step.
    doc.value = { spec: doc.value.spec, positions: initialPositions(doc.value.spec, positions) };
  });

  return {
    doc,
    history,
    canUndo,
    canRedo,
    apply,
    undo: () => step(() => history.undo()),
    redo: () => step(() => history.redo()),
  };
}
