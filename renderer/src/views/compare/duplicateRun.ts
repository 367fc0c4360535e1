/**
 * "Duplicate with a change": the copy's recipe from the pure variants module, then
 * runs.create with it (same data set), runs.start, and the copy joins the
 * comparison. Failures become a notice; the form stays open to fix them.
 */
import type { RunSummary } from '../../../../core/api/labApi.ts';
import { makeVariant, type RunChange } from '../../../../core/network/variants.ts';
import { lab } from '../../api/api.ts';
import { useRunsStore } from '../../stores/runs.ts';
import { useUiStore } from '../../stores/ui.ts';
import { useCompareStore } from './compareStore.ts';

export type DuplicateResult = { ok: true; run: RunSummary } | { ok: false; errors: string[] };

export async function duplicateRun(base: RunSummary, changes: readonly RunChange[]): Promise<DuplicateResult> {
  const variant = makeVariant(base, changes);
  if (!variant.ok) return variant;
  const runs = useRunsStore();
  const compare = useCompareStore();
  const ui = useUiStore();
  try {
    const created = await lab().invoke('runs.create', {
      label: variant.label,
      network: variant.recipe.network,
      dataset: base.dataset,
      settings: variant.recipe.settings,
    });
    compare.add(created.id);
    // The store's start keeps its run list up to date (it adds the run if the list has not yet).
    const started = await runs.start(created.id);
    ui.notify(`Started ${created.label}.`, 'success');
    return { ok: true, run: started ?? created };
  } catch (e) {
    ui.error(e);
    return { ok: false, errors: [e instanceof Error ? e.message : String(e)] };
  }
}
