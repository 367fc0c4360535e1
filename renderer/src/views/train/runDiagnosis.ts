/**
 * diagnose() for a run as the renderer holds it: the run's network is planned
 * once (validateNetwork, cached per network object: a run's network never
 * changes) and diagnosed with the run's settings and the traces so far. null when
 * there is nothing to say yet, or the network does not plan (a bug elsewhere: the
 * run trained it). Pure apart from the cache.
 */
import type { RunSummary } from '../../../../core/api/labApi.ts';
import { diagnose, type Diagnosis } from '../../../../core/diagnosis/diagnose.ts';
import type { NetworkPlan } from '../../../../core/network/validate.ts';
import { validateNetwork } from '../../../../core/network/validate.ts';
import type { TraceColumns } from '../../../../core/traces/metrics.ts';

const plans = new WeakMap<object, NetworkPlan | null>();

function planOf(network: RunSummary['network']): NetworkPlan | null {
  let plan = plans.get(network);
  if (plan === undefined) {
    const v = validateNetwork(network);
    plan = v.ok ? v.plan : null;
    plans.set(network, plan);
  }
  return plan;
}

export function diagnoseRun(run: Pick<RunSummary, 'network' | 'settings'>, traces: TraceColumns | null): Diagnosis | null {
  if (!traces) return null;
  const plan = planOf(run.network);
  if (!plan) return null;
  try {
    return diagnose({ spec: run.network, plan, settings: run.settings, traces });
  } catch (e) {
    console.warn('the diagnosis failed on these traces', e);
    return null;
  }
}
