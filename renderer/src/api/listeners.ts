/** Per-event listener sets, shared by the transports (a listener that throws never stops the others). */
import type { LabEvent, LabEvents } from '../../../core/api/labApi.ts';

type Listener = (payload: never) => void;

export class EventListeners {
  private readonly byEvent = new Map<string, Set<Listener>>();

  add<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
    let set = this.byEvent.get(event);
    if (!set) this.byEvent.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  /** Calls every listener of `event`; returns how many there were. */
  emit(event: string, payload: unknown): number {
    const set = this.byEvent.get(event);
    if (!set) return 0;
    for (const listener of [...set]) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (e) {
        console.error(`a listener of "${event}" failed`, e);
      }
    }
    return set.size;
  }

  has(event: string): boolean {
    return (this.byEvent.get(event)?.size ?? 0) > 0;
  }
}
