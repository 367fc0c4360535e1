/**
 * A CSV file as a data set, parsed by the native engine: shared by the CLI
 * (`vglab train --csv`, `vglab run`) and the engine host of the lab.
 */
import { readFileSync } from 'node:fs';

import type { Dataset } from '../../core/datasets/dataset.ts';
import { datasetFromTable, sequencesFromTable } from '../../core/datasets/table.ts';
import { loadAddon } from './addon.ts';
import { TrainInputError } from './trainer.ts';

export interface CsvChoice {
  target?: string;
  standardize?: boolean;
  sequenceColumn?: string;
}

/**
 * A CSV file as a data set: one sample per row, or sequences in long layout.
 * `name` is what messages call the set (default: the path).
 */
export function loadCsvDataset(path: string, choice: CsvChoice, name = path): Dataset {
  if (choice.sequenceColumn && choice.standardize) {
    // Standardising would rescale the sequence ids too; scale the features before export instead.
    throw new TrainInputError(
      'a sequence file (with a sequence column) cannot be standardized; scale its features before exporting it',
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new TrainInputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const parsed = loadAddon().parseCsv(bytes, {
    ...(choice.target ? { target: choice.target } : {}),
    standardize: choice.standardize ?? false,
  });
  const table = { ...parsed, name };
  return choice.sequenceColumn ? sequencesFromTable(table, choice.sequenceColumn) : datasetFromTable(table);
}
