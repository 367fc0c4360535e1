/**
 * What the native file dialogs offer: the filters and default paths of opening
 * and saving projects and exporting reports and runs. main.ts shows the dialogs.
 */
import { extname, join } from 'node:path';

import { REPORT_FORMATS, type ReportFormat } from '../../core/api/labApi.ts';
import { PROJECT_EXTENSION } from '../../core/project/schema.ts';
import type { ExportFileKind } from '../service/labService.ts';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export const PROJECT_FILTERS: FileFilter[] = [{ name: 'Vanishing Gradient Lab project', extensions: [PROJECT_EXTENSION.slice(1)] }];

/** A data set to import: CSV first; TSV and plain text too (the parser finds the separator), and anything. */
export const CSV_FILTERS: FileFilter[] = [
  { name: 'CSV data (comma, semicolon or tab separated)', extensions: ['csv', 'tsv', 'txt'] },
  { name: 'All files', extensions: ['*'] },
];

const REPORT_FILTER: Record<ReportFormat, FileFilter> = {
  html: { name: 'Web page (HTML)', extensions: ['html'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
};

/** The report dialog's filters, the chosen format first (the one the dialog starts with). */
export function reportFilters(format: ReportFormat): FileFilter[] {
  return [REPORT_FILTER[format], ...REPORT_FORMATS.filter((f) => f !== format).map((f) => REPORT_FILTER[f])];
}

/** A run's export saved as one file: the zip of its trace files, or its PyTorch module. */
export const EXPORT_FILTERS: Record<ExportFileKind, FileFilter[]> = {
  zip: [{ name: 'Zip archive of the trace files', extensions: ['zip'] }],
  python: [{ name: 'Python source (PyTorch module)', extensions: ['py'] }],
};

/** The extension a run export's file takes, with its dot. */
export function exportExtension(kind: ExportFileKind): string {
  return `.${EXPORT_FILTERS[kind][0].extensions[0]}`;
}

/** Where the save dialog starts: the documents folder, with the suggested name. */
export function defaultSavePath(folder: string, suggestedName: string, extension: string): string {
  const base = suggestedName.trim() || 'Untitled';
  return join(folder, base.toLowerCase().endsWith(extension) ? base : `${base}${extension}`);
}

/** A chosen save path with the extension added when the user typed none (Linux dialogs do not add it). */
export function withExtension(path: string, extension: string): string {
  return extname(path) === '' ? `${path}${extension}` : path;
}
