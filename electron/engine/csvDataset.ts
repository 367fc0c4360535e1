/**
 * A CSV file as a data set, parsed by the native engine: shared by the CLI
 * (`vglab train --csv`, `vglab run`), the engine host of the lab and the lab's CSV
 * import, so a file is read one way everywhere.
 */
import { readFileSync } from 'node:fs';

import { type Dataset, splitTrainTest, standardizeByRows } from '../../core/datasets/dataset.ts';
import { datasetFromTable, sequencesFromTable, type NumericTable } from '../../core/datasets/table.ts';
import { loadAddon } from './addon.ts';
import { TrainInputError } from './trainer.ts';

export interface CsvChoice {
  target?: string;
  standardize?: boolean;
  sequenceColumn?: string;
}

/** A CSV file's parsed table: the engine's parser, the name messages call it by. */
export function parseCsvTable(bytes: Uint8Array, choice: CsvChoice, name: string): NumericTable & { targetName: string } {
  if (choice.sequenceColumn && choice.standardize) {
    // Standardising would rescale the sequence ids too; scale the features before export instead.
    throw new TrainInputError(
      'a sequence file (with a sequence column) cannot be standardized; scale its features before exporting it',
    );
  }
  const parsed = loadAddon().parseCsv(bytes, {
    ...(choice.target ? { target: choice.target } : {}),
    standardize: choice.standardize ?? false,
  });
  return { ...parsed, name };
}

/** A data set from a parsed table: one sample per row, or sequences in long layout. */
export function datasetOfTable(table: NumericTable, choice: CsvChoice): Dataset {
  return choice.sequenceColumn ? sequencesFromTable(table, choice.sequenceColumn) : datasetFromTable(table);
}

/** Where a run's test part lies (its settings' test_fraction and seed, which draw the split). */
export interface HeldOutRows {
  testFraction: number;
  seed: number;
}

/**
 * A CSV file's bytes as a data set; `name` is what messages call the set (the file
 * name). Standardized with a test part (`heldOut`), the statistics come from the
 * training rows only: the parser's own standardization would let the test rows
 * leak into the scaling. Without one, the parser scales every row, as it always has.
 */
export function csvBytesDataset(bytes: Uint8Array, choice: CsvChoice, name: string, heldOut?: HeldOutRows): Dataset {
  // A sequence file cannot be standardized at all: parseCsvTable says so.
  const byTrainingRows = choice.standardize === true && !choice.sequenceColumn && heldOut !== undefined && heldOut.testFraction > 0;
  if (!byTrainingRows) return datasetOfTable(parseCsvTable(bytes, choice, name), choice);
  const raw = datasetOfTable(parseCsvTable(bytes, { ...choice, standardize: false }, name), choice);
  const { trainRows } = splitTrainTest(raw, heldOut.testFraction, heldOut.seed);
  return standardizeByRows(raw, trainRows).dataset;
}

/**
 * A CSV file as a data set: one sample per row, or sequences in long layout.
 * `name` is what messages call the set (default: the path).
 */
export function loadCsvDataset(path: string, choice: CsvChoice, name = path, heldOut?: HeldOutRows): Dataset {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new TrainInputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return csvBytesDataset(bytes, choice, name, heldOut);
}
