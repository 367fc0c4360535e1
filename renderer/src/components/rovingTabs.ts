// The keyboard of an ARIA tablist with a roving tabindex: arrow keys, Home and End
// move between tabs and focus the one they select, so a whole row is one Tab stop.
import { nextTick, useTemplateRef } from 'vue';

/** `refName`: the template ref on the tab buttons (set in a v-for, so an array). */
export function useRovingTabs(count: () => number, select: (index: number) => void, refName = 'buttons') {
  const buttons = useTemplateRef<HTMLButtonElement[]>(refName);

  function move(to: number): void {
    const n = count();
    const i = ((to % n) + n) % n;
    select(i);
    void nextTick(() => buttons.value?.[i]?.focus());
  }

  function onKey(e: KeyboardEvent, index: number): void {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: count() - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    move(moves[e.key]);
  }

  return { onKey };
}
