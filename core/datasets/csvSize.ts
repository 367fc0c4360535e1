/**
 * The size limit of an imported CSV file, worded once: the lab refuses a larger
 * upload with it, and the Data view says it before sending the file at all.
 */
import { MAX_CSV_BYTES } from '../project/schema.ts';

/** Bytes in words: "812 bytes", "14.2 KiB", "40.0 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 2 ** 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Why a CSV file of `bytes` bytes cannot be imported, or null when it can. */
export function csvSizeProblem(fileName: string, bytes: number): string | null {
  if (bytes <= MAX_CSV_BYTES) return null;
  // A file just over the cap rounds to the cap: then the exact byte counts say it.
  const exact = formatBytes(bytes) === formatBytes(MAX_CSV_BYTES);
  const size = (n: number) => (exact ? `${n.toLocaleString('en-US')} bytes` : formatBytes(n));
  return (
    `${fileName} is ${size(bytes)}; a project embeds CSV files of at most ${size(MAX_CSV_BYTES)}. ` +
    'Keep fewer rows or columns (a sample of the rows trains much the same) and import it again'
  );
}
