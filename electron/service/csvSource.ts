/**
 * Where a CSV data set's rows come from: the text the project embeds (an imported
 * file, named by its SHA-256), or, for projects written before import existed, a
 * file named relative to the project's folder. One answer for a run's engine host
 * and for the Data view's preview.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

import { LabError } from '../../core/api/labApi.ts';
import type { csvDatasetSchema } from '../../core/project/schema.ts';
import type { z } from 'zod';

export type CsvChoiceOf = z.output<typeof csvDatasetSchema>['csv'];

export type CsvSource = { csvText: string } | { csvPath: string };

/**
 * The source of `csv`: its embedded text (looked up with `embedded`), else its file
 * beside the project in `folder` (null: the project was never saved). LabError
 * ('invalid-input') saying what to do when neither can be found.
 */
export function csvSourceOf(csv: CsvChoiceOf, folder: string | null, embedded: (sha256: string) => string | undefined): CsvSource {
  if (csv.sha256 !== undefined) {
    const csvText = embedded(csv.sha256);
    if (csvText === undefined) {
      throw new LabError('invalid-input', `the CSV file "${csv.fileName}" is not embedded in this project: import it again on the Data view`);
    }
    return { csvText };
  }
  if (isAbsolute(csv.fileName)) return { csvPath: csv.fileName };
  if (folder === null) {
    throw new LabError('invalid-input', `the CSV file "${csv.fileName}" is named relative to the project: save the project first`);
  }
  return { csvPath: join(folder, csv.fileName) };
}

/** The bytes of a source (LabError 'not-found' naming the file when it cannot be read). */
export function csvSourceBytes(source: CsvSource): Uint8Array {
  if ('csvText' in source) return new TextEncoder().encode(source.csvText);
  try {
    return readFileSync(source.csvPath);
  } catch (e) {
    throw new LabError('not-found', `cannot read the CSV file ${source.csvPath}: ${(e as Error).message}; put it beside the project, or import it on the Data view`);
  }
}
