// The built-in data sets, listed once for the UI's picker and the CLI's `--dataset`:
// name, label, a short description, the option schema and the generator. The
// sequence tasks (sequence: true) give rows of `length` timesteps, for rnn, lstm
// and gru networks whose input node has that sequence_length.
import type { z } from 'zod';

import type { Dataset, Task } from './dataset.ts';
import {
  DatasetError,
  blobs,
  blobsOptions,
  circles,
  circlesOptions,
  moons,
  moonsOptions,
  parseOptions,
  sine,
  sineOptions,
  spiral,
  spiralOptions,
  xor,
  xorOptions,
} from './generators.ts';
import {
  adding,
  addingOptions,
  delayedRecall,
  delayedRecallOptions,
  parityLag,
  parityLagOptions,
  temporalOrder,
  temporalOrderOptions,
} from './sequences.ts';

export interface DatasetInfo {
  name: string;
  label: string;
  description: string;
  task: Task;
  /** Features per row (per timestep for a sequence set) with the default options. */
  features: number;
  /** True when rows are sequences (the `length` option sets their timesteps). */
  sequence: boolean;
  /** Option schema (zod); parsing `{}` gives the defaults. */
  options: z.ZodObject;
  generate: (options: Record<string, unknown>) => Dataset;
}

function entry<S extends z.ZodObject>(
  info: Omit<DatasetInfo, 'options' | 'generate'>,
  options: S,
  generate: (o: z.input<S>) => Dataset,
): DatasetInfo {
  return { ...info, options, generate: (o) => generate(o as z.input<S>) };
}

export const DATASETS = {
  spiral: entry(
    {
      name: 'spiral',
      label: 'Spiral',
      description:
        'Arms that wind around the centre, one class per arm. No straight line separates them, so only a network ' +
        'with several layers can learn it — a good test of whether gradients still reach the first layer.',
      task: 'classification',
      features: 2,
      sequence: false,
    },
    spiralOptions,
    spiral,
  ),
  xor: entry(
    {
      name: 'xor',
      label: 'XOR',
      description:
        'Four corners of a square: points whose two coordinates share a sign form one class, the others the second ' +
        'class. The smallest problem a single layer cannot solve.',
      task: 'classification',
      features: 2,
      sequence: false,
    },
    xorOptions,
    xor,
  ),
  circles: entry(
    {
      name: 'circles',
      label: 'Circles',
      description:
        'A small ring inside a large one. The network must learn a round boundary, which needs at least one hidden layer.',
      task: 'classification',
      features: 2,
      sequence: false,
    },
    circlesOptions,
    circles,
  ),
  moons: entry(
    {
      name: 'moons',
      label: 'Two moons',
      description:
        'Two crescents that hook into each other. Easy for a small network, so it shows quickly whether training ' +
        'works at all.',
      task: 'classification',
      features: 2,
      sequence: false,
    },
    moonsOptions,
    moons,
  ),
  blobs: entry(
    {
      name: 'blobs',
      label: 'Blobs',
      description:
        'Round clouds of points, one per class, spread around a circle. Almost linearly separable: a baseline ' +
        'where any sensible network succeeds.',
      task: 'classification',
      features: 2,
      sequence: false,
    },
    blobsOptions,
    blobs,
  ),
  sine: entry(
    {
      name: 'sine',
      label: 'Sine wave (regression)',
      description:
        'One input x between -1 and 1 and a real-valued target, a sine of x plus noise. The network predicts a ' +
        'number instead of a class (use the mse loss).',
      task: 'regression',
      features: 1,
      sequence: false,
    },
    sineOptions,
    sine,
  ),
  adding: entry(
    {
      name: 'adding',
      label: 'Adding problem (sequence)',
      description:
        'Each sequence carries a random number between 0 and 1 at every step and a marker on exactly two steps, one ' +
        'in each half. The target is the sum of the two marked numbers, read out at the end. Always guessing 1 gives ' +
        'an mse of about 0.17; getting below it means the network kept the first marked number in memory across ' +
        'the second half of the sequence. A plain RNN fails once the sequence is long; an LSTM copes.',
      task: 'regression',
      features: 2,
      sequence: true,
    },
    addingOptions,
    adding,
  ),
  delayed_recall: entry(
    {
      name: 'delayed_recall',
      label: 'Delayed recall (sequence)',
      description:
        'The first step shows one symbol of a small alphabet; the steps after it show only faint noise until ' +
        'a cue at the last step asks which symbol it was. The class is that first symbol. The answer is length - 1 ' +
        'steps in the past, so this is the purest test of how far back the gradient still reaches.',
      task: 'classification',
      features: 5,
      sequence: true,
    },
    delayedRecallOptions,
    delayedRecall,
  ),
  temporal_order: entry(
    {
      name: 'temporal_order',
      label: 'Temporal order (sequence)',
      description:
        'A stream of random distractor symbols in which two marker symbols, each an X or a Y, appear once: one in ' +
        'the first half, one in the second. The class is the pair in the order seen: X then X, X then Y, Y then X or ' +
        'Y then Y. The network must spot the markers among the noise and remember the first one until the end.',
      task: 'classification',
      features: 6,
      sequence: true,
    },
    temporalOrderOptions,
    temporalOrder,
  ),
  parity_lag: entry(
    {
      name: 'parity_lag',
      label: 'Parity at a lag (sequence)',
      description:
        'A stream of random bits. The class is the last bit XOR the bit `lag` steps before it (by default the very ' +
        'first bit). Neither bit alone helps, so the network must carry the early bit all the way to the end and ' +
        'then combine it with the last one; raise the lag to make the memory longer.',
      task: 'classification',
      features: 1,
      sequence: true,
    },
    parityLagOptions,
    parityLag,
  ),
} as const satisfies Record<string, DatasetInfo>;

export type DatasetName = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/**
 * Generates the built-in data set `name` with `options` (defaults for whatever is
 * left out). Throws a DatasetError naming the set and the field when an option is
 * wrong, or listing the known names when `name` is unknown.
 */
export function makeDataset(name: string, options: Record<string, unknown> = {}): Dataset {
  if (!isDatasetName(name)) {
    throw new DatasetError(`unknown data set "${name}"; the built-in sets are ${DATASET_NAMES.join(', ')}`);
  }
  return DATASETS[name].generate(options);
}

/** The options `makeDataset(name, options)` would use, defaults filled in (throws like makeDataset). */
export function datasetOptions(name: string, options: Record<string, unknown> = {}): Record<string, unknown> {
  if (!isDatasetName(name)) {
    throw new DatasetError(`unknown data set "${name}"; the built-in sets are ${DATASET_NAMES.join(', ')}`);
  }
  return parseOptions(name, DATASETS[name].options, options) as Record<string, unknown>;
}
