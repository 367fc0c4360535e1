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
export function readCsvImport(fileName: string, text: string, asked: CsvChoice): ReadCsv {
  const bytes = new TextEncoder().encode(text);
  const tooLarge = csvSizeProblem(fileName, bytes.length);
  if (tooLarge) throw new LabError('invalid-input', tooLarge);
  const { table, dataset, choice } = parseGuessingTarget(bytes, asked, fileName);
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

/**
 * The parser's words for a text cell in a feature column (native/core/data/csv.cpp:
 * `line L, column "NAME" (K): "CELL" is not a number`), NAME as the header has it.
 */
const TEXT_CELL = /^line \d+, column "([^"\\]*)" \(\d+\): ".*" is not a number/;

/**
 * Parses with the target the student chose; with none (the last column by default),
 * a file whose text column is not the last, such as `species,length,width`, would be
 * refused for its first label. That column is most likely the target, so the import
 * tries it as one, and reports the first failure when that does not parse either.
 */
function parseGuessingTarget(bytes: Uint8Array, choice: CsvChoice, fileName: string): ParsedCsv & { choice: CsvChoice } {
  try {
    return { ...parse(bytes, choice, fileName), choice };
  } catch (first) {
    const textColumn = choice.target === undefined && first instanceof LabError ? TEXT_CELL.exec(first.message.slice(fileName.length + 2)) : null;
    if (!textColumn) throw first;
    const guess = { ...choice, target: textColumn[1] };
    let parsed: ParsedCsv;
    try {
      parsed = parse(bytes, guess, fileName);
    } catch {
      throw first;
    }
    // Only a column of words is a label column; a number column with a stray "nan" or "n/a" is a broken feature.
    if (!parsed.table.classNames.every(isWord)) throw first;
    return { ...parsed, choice: guess };
  }
}

/** A class name that no one would read as a number ("setosa", not "2", "nan" or "-inf"). */
function isWord(name: string): boolean {
  const t = name.trim();
  return t !== '' && !Number.isFinite(Number(t)) && !/^[-+]?(nan|inf(inity)?)$/i.test(t);
}

interface ParsedCsv {
  table: NumericTable & { targetName: string };
  dataset: Dataset;
}

function parse(bytes: Uint8Array, choice: CsvChoice, fileName: string): ParsedCsv {
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
