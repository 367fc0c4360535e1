/**
 * `.vglab` project files on disk: save atomically, open without ever writing,
 * autosave to a recovery file, and sweep the temp files a crash mid-save leaves.
 *
 * Recovery convention: the autosave of `/dir/name.vglab` is the sibling
 * `/dir/name.vglab.recovery` (recoveryPath), a complete project in the same
 * format, written atomically like the project itself. It lives beside the file
 * so it travels with the project folder and is found on the next open; an
 * untitled project (no path yet) autosaves under a path the app picks in its
 * own data directory, e.g. `<userData>/recovery/untitled-<id>.vglab`, whose
 * recovery file is then `untitled-<id>.vglab.recovery`. On open, the app calls
 * readRecovery: a recovery file newer than the project means the last session
 * ended before saving. A successful save discards it (discardRecovery).
 */
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { parseProject, serializeProject, type ProjectErrorReason } from '../../core/project/migrate.ts';
import type { Project, ProjectInput } from '../../core/project/schema.ts';
import { writeFileAtomic } from '../export/atomicWrite.ts';

/** Prefix of the temp files writeFileAtomic leaves beside the target. */
export const TEMP_FILE_PREFIX = '.vglab-tmp-';
export const RECOVERY_SUFFIX = '.recovery';
/** Temp files older than this are leftovers of a crash, not a save in progress. */
export const STALE_TEMP_AGE_MS = 60_000;

export type OpenProjectResult =
  | { ok: true; project: Project; migratedFrom?: number }
  | { ok: false; reason: ProjectErrorReason | 'missing' | 'unreadable'; error: string };

/**
 * Writes `project` to `path` atomically (temp file beside it, fsync, rename): after
 * a crash the file is either the previous version or this one. Validates first and
 * throws ProjectError (naming the fields) without touching the file when invalid.
 */
export function saveProject(path: string, project: ProjectInput | Project): void {
  writeFileAtomic(path, serializeProject(project));
}

/** Reads, migrates and validates the project at `path`. Never writes to `path`. */
export function openProject(path: string): OpenProjectResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'missing', error: `${path}: no such file` };
    if (code === 'EISDIR') return { ok: false, reason: 'not-project', error: `${path} is a folder, not a project file` };
    return { ok: false, reason: 'unreadable', error: `${path} could not be read: ${(e as Error).message}` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'corrupt', error: `${path}: the file is not text (not valid UTF-8); it may be damaged` };
  }
  const parsed = parseProject(text);
  if (!parsed.ok) return { ok: false, reason: parsed.reason, error: `${path}: ${parsed.error}` };
  return parsed;
}

/** Where the autosave of the project at `path` goes: `<path>.recovery`. */
export function recoveryPath(path: string): string {
  return `${path}${RECOVERY_SUFFIX}`;
}

/** Autosaves `project` for the project at `path` (atomically, to recoveryPath(path)). */
export function writeRecovery(path: string, project: ProjectInput | Project): void {
  writeFileAtomic(recoveryPath(path), serializeProject(project));
}

export type RecoveryResult = OpenProjectResult & {
  /** When the recovery file was last written, and whether that is after the project file (or it has none). */
  modifiedAt?: Date;
  newerThanProject?: boolean;
};

/** The autosave of the project at `path`, or null when there is none. */
export function readRecovery(path: string): RecoveryResult | null {
  const rec = recoveryPath(path);
  let modified: Date;
  try {
    modified = statSync(rec).mtime;
  } catch {
    return null;
  }
  let projectModified: Date | undefined;
  try {
    projectModified = statSync(path).mtime;
  } catch {
    projectModified = undefined;
  }
  const result = openProject(rec);
  if (!result.ok && result.reason === 'missing') return null;
  return { ...result, modifiedAt: modified, newerThanProject: !projectModified || modified > projectModified };
}

/** Deletes the autosave of the project at `path` (nothing happens when there is none). */
export function discardRecovery(path: string): void {
  rmSync(recoveryPath(path), { force: true });
}

/**
 * Deletes the `.vglab-tmp-*` files in `dir` older than `olderThanMs` (a minute by
 * default): what a crash between writing the temp file and renaming it leaves.
 * Younger ones may be a save in progress in another window and are kept.
 * Returns the paths removed.
 */
export function cleanStaleTempFiles(dir: string, options: { olderThanMs?: number; now?: number } = {}): string[] {
  const olderThan = options.olderThanMs ?? STALE_TEMP_AGE_MS;
  const now = options.now ?? Date.now();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(TEMP_FILE_PREFIX)) continue;
    const file = join(dir, name);
    try {
      const st = statSync(file);
      if (!st.isFile() || now - st.mtimeMs < olderThan) continue;
      rmSync(file, { force: true });
      removed.push(file);
    } catch {
      // Gone already (another window cleaned it) or not ours to remove: leave it.
    }
  }
  return removed;
}
