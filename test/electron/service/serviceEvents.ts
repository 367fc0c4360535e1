// Waiting for a LabService event in tests: the first event of a kind that passes a test.
import type { LabBackend } from '../../../electron/service/labBackend.ts';
import type { LabEvent, LabEvents, RunState, RunSummary } from '../../../core/api/labApi.ts';

/** Resolves with the first `event` whose payload passes `test` (rejects after `timeoutMs`). */
export function waitForEvent<E extends LabEvent>(
  service: Pick<LabBackend, 'subscribe'>,
  event: E,
  test: (p: LabEvents[E]) => boolean,
  timeoutMs = 30_000,
): Promise<LabEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event matched within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = service.subscribe((e, p) => {
      if ((e as LabEvent) === event && test(p as LabEvents[E])) {
        clearTimeout(timer);
        off();
        resolve(p as LabEvents[E]);
      }
    });
  });
}

/** A run.updated test: this run, in one of these states. */
export const stateOf = (runId: string, states: RunState[]) => (r: RunSummary) => r.id === runId && states.includes(r.state);
