/**
 * Importing a CSV file into the open project: the engine's own parser reads it (the
 * one the engine host trains with, so a file that imports also trains), and the lab
 * keeps its text under its SHA-256 for the project to embed. Also the facts and the
 * preview rows of a CSV data set, for the Data view.
 */
import { createHash } from 'node:crypto';

import { LabError, type CsvFacts, type CsvImport, type DatasetPreview } from '../../core/api/labApi.ts';
import { classCounts, columnSummaries } from '../../core/datasets/columnSummary.ts';
import { csvSizeProblem } from '../../core/datasets/csvSize.ts';
import type { Dataset } from '../../core/datasets/dataset.ts';
import type { NumericTable } from '../../core/datasets/table.ts';
import { datasetOfTable, parseCsvTable, type CsvChoice } from '../engine/csvDataset.ts';
import { csvSourceBytes, type CsvChoiceOf, type CsvSource } from './csvSource.ts';
import { datasetPreview } from './datasetPreview.ts';

/** An import read and checked: the text to embed under `sha256`, and what to answer. */
export interface ReadCsv {
  sha256: string;
  text: string;
  result: CsvImport;
}

/**
 * Reads an uploaded (or opened) CSV file. LabError('invalid-input') starting with
 * the file's name: too large (its size and the cap), or what the parser found
 * wrong (the line and column), or a sequence column that does not fit.
 */
export function readCsvImport(fileName: string, text: string, choice: CsvChoice): ReadCsv {
  const bytes = new TextEncoder().encode(text);
  const tooLarge = csvSizeProblem(fileName, bytes.length);
  if (tooLarge) throw new LabError('invalid-input', tooLarge);
  const { table, dataset } = parse(bytes, choice, fileName);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const csv = {
    fileName,
    sha256,
    ...(choice.target ? { target: choice.target } : {}),
    standardize: choice.standardize ?? false,
    ...(choice.sequenceColumn ? { sequenceColumn: choice.sequenceColumn } : {}),
  };
  return { sha256, text, result: { dataset: { csv }, facts: csvFacts(table, dataset, fileName, bytes.length) } };
}

/** Rows of a CSV data set for the Data view, with what was read from the file. */
export function csvPreview(csv: CsvChoiceOf, source: CsvSource, maxRows: number): DatasetPreview {
  const bytes = csvSourceBytes(source);
  const { table, dataset } = parse(bytes, csv, csv.fileName);
  const facts = csvFacts(table, dataset, csv.fileName, 'csvText' in source ? bytes.length : undefined);
  return { ...datasetPreview(dataset, maxRows), csv: facts };
}

function parse(bytes: Uint8Array, choice: CsvChoice, fileName: string): { table: NumericTable & { targetName: string }; dataset: Dataset } {
  try {
    const table = parseCsvTable(bytes, choice, fileName);
    return { table, dataset: datasetOfTable(table, choice) };
  } catch (e) {
    // The parser names the line and column; the file's name says which file.
    if ((e as { code?: unknown }).code === 'VGLAB_INVALID_INPUT') throw new LabError('invalid-input', `${fileName}: ${(e as Error).message}`);
    throw e;
  }
}

function csvFacts(table: NumericTable & { targetName: string }, dataset: Dataset, fileName: string, bytes: number | undefined): CsvFacts {
  return {
    fileName,
    columns: [...table.featureNames, table.targetName],
    targetName: table.targetName,
    rows: table.rows,
    task: dataset.task,
    classNames: dataset.task === 'classification' ? [...table.classNames] : [],
    ...(bytes !== undefined ? { bytes } : {}),
    summary: columnSummaries(dataset),
    classCounts: classCounts(dataset),
  };
}
