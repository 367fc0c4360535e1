/**
 * The window title: "<project> — Vanishing Gradient Lab", with the unsaved mark
 * the platform expects. macOS shows a dot in the close button (documentEdited)
 * and no mark in the title; Windows and Linux get "• " in front.
 */
import { basename } from 'node:path';

import { APP_NAME } from './windowOptions.ts';

export interface TitleInput {
  /** The project's name; blank falls back to the file name, then "Untitled". */
  name: string;
  path: string | null;
  dirty: boolean;
}

export interface WindowTitle {
  title: string;
  /** BrowserWindow.setDocumentEdited (macOS). */
  documentEdited: boolean;
  /** BrowserWindow.setRepresentedFilename (macOS): the file whose icon the title shows. */
  representedFilename: string;
}

export const UNSAVED_MARK = '•';

export function projectDisplayName(input: Pick<TitleInput, 'name' | 'path'>): string {
  const name = input.name.trim();
  if (name) return name;
  if (input.path) return basename(input.path).replace(/\.vglab$/i, '');
  return 'Untitled';
}

export function windowTitle(input: TitleInput, platform: NodeJS.Platform = process.platform): WindowTitle {
  const base = `${projectDisplayName(input)} — ${APP_NAME}`;
  const mac = platform === 'darwin';
  return {
    title: input.dirty && !mac ? `${UNSAVED_MARK} ${base}` : base,
    documentEdited: input.dirty,
    representedFilename: input.path ?? '',
  };
}
