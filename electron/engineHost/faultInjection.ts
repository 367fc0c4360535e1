/**
 * Fault injection for tests: a real crash in native code inside an engine host while
 * it trains, so a test can show that it costs that run only (the lab, the server and
 * the other runs go on; the run can be restarted). Off unless the host's environment
 * says otherwise; the addon checks the same variable again before it faults.
 *
 *   VGLAB_FAULT_INJECTION=segv-at-step:N   the host writes through a null pointer in
 *                                          the addon once it has reported step N
 *   VGLAB_FAULT_INJECTION_ONCE=PATH        only the first host to get there faults: it
 *                                          creates PATH first, and a host that finds
 *                                          PATH there trains on (a restarted run, a
 *                                          second run of the same lab)
 */
import { openSync, closeSync } from 'node:fs';

import { loadAddon } from '../engine/addon.ts';
import type { ParentChannel } from './parentPort.ts';
import type { HostPort } from './trainingHost.ts';

const SEGV_AT_STEP = /^segv-at-step:(\d+)$/;

/** The step at which to fault, from the environment; null when no fault is asked for. */
export function faultStepFromEnv(env: NodeJS.ProcessEnv): number | null {
  const spec = env.VGLAB_FAULT_INJECTION;
  if (spec === undefined) return null;
  const m = SEGV_AT_STEP.exec(spec);
  if (!m) throw new Error(`VGLAB_FAULT_INJECTION: "${spec}" is not segv-at-step:N (a test-only setting; unset it to train normally)`);
  return Number(m[1]);
}

/** Claims the one fault of VGLAB_FAULT_INJECTION_ONCE (true: this host faults), or true when there is no such file. */
function claimFault(onceFile: string | undefined): boolean {
  if (onceFile === undefined) return true;
  try {
    closeSync(openSync(onceFile, 'wx'));
    return true;
  } catch {
    return false; // another host has faulted already (or the path cannot be made: no fault either)
  }
}

/**
 * The port, or one that crashes the process in the addon once the chunk that reaches
 * the faulting step has been written to the lab (so the lab knows how far the run got;
 * training goes on meanwhile, so the crash comes during a later step).
 */
export function withFaultInjection(port: Pick<ParentChannel, 'send' | 'exit' | 'whenSent'>, env: NodeJS.ProcessEnv = process.env): HostPort {
  const atStep = faultStepFromEnv(env);
  if (atStep === null) return port;
  let armed = true;
  return {
    send(message) {
      port.send(message);
      if (!armed || message.type !== 'chunk' || message.stepsDone < atStep) return;
      armed = false;
      if (claimFault(env.VGLAB_FAULT_INJECTION_ONCE)) void port.whenSent().then(() => loadAddon().injectFault('segv'));
    },
    exit: (code) => port.exit(code),
  };
}
