/**
 * What the native file dialogs offer: the filters and default paths of opening
 * and saving projects and exporting reports. main.ts shows the dialogs.
 */
import { extname, join } from 'node:path';

import { PROJECT_EXTENSION } from '../../core/project/schema.ts';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export const PROJECT_FILTERS: FileFilter[] = [{ name: 'Vanishing Gradient Lab project', extensions: [PROJECT_EXTENSION.slice(1)] }];

export const REPORT_FILTERS: FileFilter[] = [
  { name: 'Web page (HTML)', extensions: ['html'] },
  { name: 'PDF document', extensions: ['pdf'] },
];

/** Where the save dialog starts: the documents folder, with the suggested name. */
export function defaultSavePath(folder: string, suggestedName: string, extension: string): string {
  const base = suggestedName.trim() || 'Untitled';
  return join(folder, base.toLowerCase().endsWith(extension) ? base : `${base}${extension}`);
}

/** A chosen save path with the extension added when the user typed none (Linux dialogs do not add it). */
export function withExtension(path: string, extension: string): string {
  return extname(path) === '' ? `${path}${extension}` : path;
}

/** The format of a report from the path the user picked: PDF only when asked for by name. */
export function reportFormat(path: string): 'html' | 'pdf' {
  return extname(path).toLowerCase() === '.pdf' ? 'pdf' : 'html';
}
