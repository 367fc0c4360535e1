/**
 * The data set of an engine job, built the one way both sides use: the host trains
 * on it, and the lab takes rows from it to ask a trained network questions (the
 * Jacobian's sample rows, a decision boundary's range and points) without the
 * renderer sending any data.
 */
import type { z } from 'zod';

import { makeDataset } from '../../core/datasets/catalog.ts';
import type { Dataset } from '../../core/datasets/dataset.ts';
import { loadCsvDataset } from '../engine/csvDataset.ts';
import type { engineJobSchema } from './protocol.ts';

/** The part of a job that names its data (a job as the host parsed it, or as the lab wrote it). */
export type JobData = Pick<z.input<typeof engineJobSchema>, 'dataset' | 'csvPath'>;

/**
 * A built-in set from its name and options (DatasetError naming the option when one
 * is wrong), or the CSV file at csvPath (TrainInputError naming the line).
 */
export function buildJobDataset(job: JobData): Dataset {
  const { dataset } = job;
  if ('csv' in dataset) {
    if (!job.csvPath) throw new Error(`the lab did not say where the CSV file "${dataset.csv.fileName}" is (csvPath)`);
    return loadCsvDataset(job.csvPath, dataset.csv, dataset.csv.fileName);
  }
  return makeDataset(dataset.name, dataset.options ?? {});
}
