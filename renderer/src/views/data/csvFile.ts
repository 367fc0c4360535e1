/**
 * A CSV file the student picked or dropped, read as text for datasets.importCsv.
 * Its size is checked first, with the lab's own words, so a file over the cap is
 * never read nor sent; its bytes must be UTF-8 (decodeCsvBytes says which line is not).
 */
import { decodeCsvBytes } from '../../../../core/datasets/csvBytes.ts';
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
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (e) {
    throw new Error(`could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { fileName: file.name, text: decodeCsvBytes(file.name, bytes) };
}
