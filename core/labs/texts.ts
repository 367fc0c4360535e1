// Every sentence the checkpoint evaluator writes, in one place so it can be
// translated: a translation is another object of type CheckpointTexts. The
// evaluator passes plain values; the lab's own texts (title, steps, questions,
// checkpoint descriptions) live in the lab file, not here.
import { formatIds, formatNumber } from '../diagnosis/texts.ts';

export interface Threshold {
  below?: number;
  above?: number;
}

/** "below 0.001", "above 0.5", "between 0.1 and 10". */
export function thresholdText(t: Threshold): string {
  if (t.below !== undefined && t.above !== undefined) return `between ${formatNumber(t.above)} and ${formatNumber(t.below)}`;
  if (t.below !== undefined) return `below ${formatNumber(t.below)}`;
  return `above ${formatNumber(t.above ?? Number.NaN)}`;
}

function verdict(passed: boolean, t: Threshold): string {
  return passed ? `which is ${thresholdText(t)}, as required` : `but it must be ${thresholdText(t)}`;
}

const stepWords = (step: number) => `step ${step}`;

export const checkpointTexts = {
  gradientRatio: (a: { numerator: string; denominator: string; metric: 'weight' | 'output'; step: number; ratio: number; passed: boolean } & Threshold) =>
    `At ${stepWords(a.step)} the ${a.metric === 'weight' ? 'weight gradient' : 'gradient reaching the output'} of "${a.numerator}" is ` +
    `${formatNumber(a.ratio)} times that of "${a.denominator}", ${verdict(a.passed, a)}.`,
  lossRatio: (a: { initial: number; later: number; after: number; window: number; ratio: number; passed: boolean } & Threshold) =>
    `The loss averaged over steps ${a.after} to ${a.after + a.window - 1} is ${formatNumber(a.later)}, ` +
    `${formatNumber(a.ratio)} times its start (${formatNumber(a.initial)} over the first ${a.window} steps), ${verdict(a.passed, a)}.`,
  loss: (a: { value: number; after: number; window: number; passed: boolean } & Threshold) =>
    `The loss averaged over steps ${a.after} to ${a.after + a.window - 1} is ${formatNumber(a.value)}, ${verdict(a.passed, a)}.`,
  saturation: (a: { layer: string; mode: 'any' | 'mean' | 'node'; step: number; value: number; passed: boolean } & Threshold) => {
    const who =
      a.mode === 'any'
        ? `the most saturated (or dead) layer, "${a.layer}", has`
        : a.mode === 'mean'
          ? 'the activation layers have on average'
          : `"${a.layer}" has`;
    return `At ${stepWords(a.step)} ${who} a saturated / dead fraction of ${formatNumber(a.value)}, ${verdict(a.passed, a)}.`;
  },
  timestepRatio: (a: { node: string; step: number; time: number; ratio: number; passed: boolean } & Threshold) =>
    `At ${stepWords(a.step)} the gradient reaching the first timestep of "${a.node}" is ${formatNumber(a.ratio)} times ` +
    `the one reaching its last (step ${a.time - 1} of the sequence), ${verdict(a.passed, a)}.`,
  diverged: (a: { diverged: boolean; at: number | null; expected: boolean }) => {
    const what = a.diverged ? `The run diverged${a.at !== null ? ` at step ${a.at}` : ''} (the loss became NaN or infinite)` : 'The run did not diverge';
    const ok = a.diverged === a.expected;
    return `${what}, ${ok ? 'as expected' : a.expected ? 'but this checkpoint expects it to' : 'but this checkpoint expects it not to'}.`;
  },
  all: (passed: boolean, parts: readonly string[]) =>
    `${passed ? 'Every part holds' : 'Not every part holds'}: ${parts.join(' ')}`,
  any: (passed: boolean, parts: readonly string[]) =>
    `${passed ? 'At least one part holds' : 'No part holds'}: ${parts.join(' ')}`,

  // Why nothing could be measured.
  noRun: () => 'There is no run of this preset yet: train it first.',
  notReached: (step: number, last: number) => `The run has no traced step at or after step ${step} (its last traced step is ${last}).`,
  noTraces: () => 'The run has no traced step yet.',
  tooShort: (needed: number, steps: number) => `The run trained ${steps} steps; this checkpoint needs at least ${needed}.`,
  lossNotFinite: (step: number) => `The loss is NaN or infinite from step ${step} on, so it cannot be compared.`,
  noLayer: (ref: string) =>
    ref === 'firstHidden' || ref === 'lastHidden'
      ? `The network has no hidden layer for "${ref}".`
      : `The network has no node "${ref}".`,
  notMeasured: (ids: readonly string[], step: number) =>
    `At step ${step} there is no usable gradient for ${formatIds(ids)} (zero, NaN or infinite).`,
  noSaturation: (step: number) => `At step ${step} no layer records a saturated / dead fraction (sigmoid, tanh or ReLU-type layers do).`,
  noRecurrent: (node: string | undefined) =>
    node === undefined ? 'The network has no recurrent layer.' : `"${node}" has no gradient-through-time trace.`,
  invalidNetwork: (message: string) => `The run's network does not validate: ${message}`,
};

export type CheckpointTexts = typeof checkpointTexts;
