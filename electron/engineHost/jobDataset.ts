/**
 * The data set of an engine job, built the one way both sides use: the host trains
 * on it, and the lab takes rows from it to ask a trained network questions (the
 * Jacobian's sample rows, a decision boundary's range and points) without the
 * renderer sending any data.
 */
import type { z } from 'zod';

import { makeDataset } from '../../core/datasets/catalog.ts';
import type { Dataset } from '../../core/datasets/dataset.ts';
import { validateTrainingSettings } from '../../core/training/settings.ts';
import { csvBytesDataset, type HeldOutRows, loadCsvDataset } from '../engine/csvDataset.ts';
import type { engineJobSchema } from './protocol.ts';

/** The part of a job that names its data (a job as the host parsed it, or as the lab wrote it). */
export type JobData = Pick<z.input<typeof engineJobSchema>, 'dataset' | 'csvPath' | 'csvText'> &
  Partial<Pick<z.input<typeof engineJobSchema>, 'settings'>>;

/**
 * A built-in set from its name and options (DatasetError naming the option when one
 * is wrong), or a CSV data set from the text the project embeds (csvText) or the
 * file at csvPath (TrainInputError naming the line).
 */
export function buildJobDataset(job: JobData): Dataset {
  const { dataset } = job;
  if ('csv' in dataset) {
    const { fileName } = dataset.csv;
    const heldOut = heldOutRows(job.settings);
    if (job.csvText !== undefined) return csvBytesDataset(new TextEncoder().encode(job.csvText), dataset.csv, fileName, heldOut);
    if (!job.csvPath) throw new Error(`the lab did not send the CSV file "${fileName}" (csvText) nor say where it is (csvPath)`);
    return loadCsvDataset(job.csvPath, dataset.csv, fileName, heldOut);
  }
  return makeDataset(dataset.name, dataset.options ?? {});
}

/**
 * The test part the job's settings draw (undefined when they hold none, or are
 * invalid: the trainer then refuses them with its own message). The host and the
 * lab's queries both scale a standardized CSV by the same training rows this way.
 */
function heldOutRows(settings: unknown): HeldOutRows | undefined {
  const parsed = validateTrainingSettings(settings);
  if (!parsed.ok || parsed.settings.test_fraction === 0) return undefined;
  return { testFraction: parsed.settings.test_fraction, seed: parsed.settings.seed };
}
