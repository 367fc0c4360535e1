/**
 * The one place the stores reach the lab through (STYLE rule 12): main.ts installs
 * the transport once, stores call lab().invoke in their actions.
 */
import type { LabTransport } from './transport.ts';

let current: LabTransport | null = null;

export function installLab(transport: LabTransport): void {
  current = transport;
}

export function lab(): LabTransport {
  if (!current) throw new Error('no lab transport installed: main.ts installs one before mounting the app');
  return current;
}

/** A message fit for a student from whatever a call threw. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
