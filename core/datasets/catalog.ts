// The built-in data sets, listed once for the UI's picker and the CLI's `--dataset`:
// name, label, a short description, the option schema and the generator.
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

export interface DatasetInfo {
  name: string;
  label: string;
  description: string;
  task: Task;
  features: number;
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
    },
    sineOptions,
    sine,
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
