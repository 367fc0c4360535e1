/**
 * "Duplicate with a change": the copy's recipe from the pure variants module, then
 * the runs store's createVariant (runs.create with that recipe and the same data
 * set, then runs.start; the copy becomes the Train view's run too), and the copy
 * joins the comparison. The store reports a failure as a notice; the form stays
 * open so the student can change something and try again.
 */
import type { RunSummary } from '../../../../core/api/labApi.ts';
import { makeVariant, type RunChange } from '../../../../core/network/variants.ts';
import { useRunsStore } from '../../stores/runs.ts';
import { useUiStore } from '../../stores/ui.ts';
import { useCompareStore } from './compareStore.ts';

export type DuplicateResult = { ok: true; run: RunSummary } | { ok: false; errors: string[] };

export async function duplicateRun(base: RunSummary, changes: readonly RunChange[]): Promise<DuplicateResult> {
  const variant = makeVariant(base, changes);
  if (!variant.ok) return variant;
  const started = await useRunsStore().createVariant({
    label: variant.label,
    network: variant.recipe.network,
    dataset: base.dataset,
    settings: variant.recipe.settings,
  });
  if (!started) return { ok: false, errors: ['The copy could not be started: see the message at the bottom of the window.'] };
  useCompareStore().add(started.id);
  useUiStore().notify(`Started ${started.label}.`, 'success');
  return { ok: true, run: started };
}
