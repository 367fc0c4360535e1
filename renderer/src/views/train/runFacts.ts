/**
 * Facts about a run's network that decide what the Train view shows (pure, so
 * tests can read them): its input nodes (left out of per-layer charts: nothing
 * flows back into the data), whether it is recurrent, and whether its data set
 * can have a decision boundary.
 */
import type { DatasetSummary, RunSummary } from '../../../../core/api/labApi.ts';
import { HIST_STRIDE } from '../../../../core/traces/metrics.ts';

type Network = RunSummary['network'];

/** Ids of the network's input nodes. */
export function inputNodeIds(network: Network): string[] {
  return network.nodes.filter((n) => n.type === 'input').map((n) => n.id);
}

/** True when the run has recurrent layers with traces through time. */
export function isRecurrentRun(run: Pick<RunSummary, 'layout' | 'network'> | null): boolean {
  if (!run) return false;
  if (run.layout) return run.layout.recurrent.length > 0;
  return run.network.nodes.some((n) => n.type === 'rnn' || n.type === 'lstm' || n.type === 'gru');
}

/**
 * Why no decision boundary can be drawn for this run (in a student's words), or
 * null when it can: a classifier (not mse) on a data set of plain rows of exactly
 * two features. `datasets` is datasets.list's answer; unknown sets are given the
 * benefit of the doubt (the lab then says why not).
 */
export function boundaryRefusal(run: Pick<RunSummary, 'network' | 'dataset'>, datasets: readonly DatasetSummary[]): string | null {
  if (run.network.loss.type === 'mse') return 'This network is trained as a regression (mse loss): it draws no class boundary.';
  // A CSV file's shape is known only to the lab: ask it (its answer says why not).
  if (!('name' in run.dataset)) return null;
  const name = run.dataset.name;
  const set = datasets.find((d) => d.name === name);
  if (!set) return null;
  if (set.task !== 'classification') return `${set.label} is a regression data set: there are no classes to separate.`;
  if (set.sequence) return `${set.label} holds sequences: a decision boundary needs one 2-D point per example.`;
  if (set.features !== 2) return `${set.label} has ${set.features} input features: a decision boundary is drawn over exactly 2.`;
  return null;
}

/**
 * About how many bytes the histograms of a run's traces take (traced rows x
 * tensors x HIST_STRIDE counts of 4 bytes): what one runs.traces fetch of them
 * costs, since that method sends the whole run. 0 when histograms are off.
 */
export function histogramBytes(run: Pick<RunSummary, 'stepsDone' | 'settings' | 'layout'>): number {
  if (!run.settings.histogram) return 0;
  const rows = Math.ceil(run.stepsDone / Math.max(1, run.settings.trace_every));
  return rows * (run.layout?.paramNames.length ?? 0) * HIST_STRIDE * 4;
}
