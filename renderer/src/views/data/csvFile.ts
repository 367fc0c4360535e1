/**
 * A CSV file the student picked or dropped, read as text for datasets.importCsv.
 * Its size is checked first, with the lab's own words, so a file over the cap is
 * never read nor sent.
 */
import { csvSizeProblem } from '../../../../core/datasets/csvSize.ts';

export interface CsvFileText {
  fileName: string;
  text: string;
}

/** What the file input accepts (a hint to the picker; a dropped file of any type is still read). */
export const CSV_ACCEPT = '.csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain';

/** The file's text, or an Error saying why it cannot be imported. */
export async function readCsvFile(file: File): Promise<CsvFileText> {
  const tooLarge = csvSizeProblem(file.name, file.size);
  if (tooLarge) throw new Error(tooLarge);
  try {
    return { fileName: file.name, text: await file.text() };
  } catch (e) {
    throw new Error(`could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
