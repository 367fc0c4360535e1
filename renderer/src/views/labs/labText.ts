/** Words of the Labs view built from a lab's structure (pure, so tests can read them). */
import type { LabCheckpointResult } from '../../../../core/api/labApi.ts';
import { formatValue } from '../../../../core/charts/style.ts';
import type { LabLocks, LabPreset } from '../../../../core/labs/schema.ts';

/** One line per lock the lab asks for; none for a lab that leaves the designer open. */
export function lockLines(locks: LabLocks | undefined): string[] {
  if (!locks) return [];
  const lines: string[] = [];
  if (locks.network === 'readonly') lines.push('The network is read-only: train it as it loads.');
  if (locks.settings === 'readonly') lines.push('The training settings are read-only.');
  if (locks.nodeTypes) lines.push(`Only these layer types may be used: ${locks.nodeTypes.join(', ')}.`);
  return lines;
}

/** "spiral (n 400) · adam, lr 0.03 · 400 steps": what a preset trains, in one line. */
export function presetFacts(preset: LabPreset): string {
  const options = Object.entries(preset.dataset.options ?? {}).map(([k, v]) => `${k} ${String(v)}`);
  const data = options.length > 0 ? `${preset.dataset.name} (${options.join(', ')})` : preset.dataset.name;
  const opt = preset.settings.optimizer;
  return `${data} · ${opt.type}, lr ${formatValue(opt.lr)} · ${preset.settings.steps} steps`;
}

export const VERDICT_WORDS: Record<LabCheckpointResult['verdict'], { icon: string; text: string }> = {
  passed: { icon: '✔', text: 'Passed' },
  failed: { icon: '✘', text: 'Failed' },
  'not-yet': { icon: '…', text: 'Not yet' },
};

/** The measured value as shown beside a badge ("–" when nothing could be measured). */
export function measuredText(r: Pick<LabCheckpointResult, 'measured'>): string {
  return r.measured === null ? '–' : formatValue(r.measured);
}
