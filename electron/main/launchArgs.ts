/**
 * The project file the app was asked to open: double-clicking a .vglab file
 * starts the app (or reaches the running one through 'second-instance') with
 * the file's path among the arguments. macOS sends 'open-file' instead.
 */
import { resolve } from 'node:path';

import { PROJECT_EXTENSION } from '../../core/project/schema.ts';

/** The first argument naming a .vglab file, resolved against `cwd`; options (-x, --x) are skipped. */
export function projectPathFromArgv(argv: readonly string[], cwd: string): string | null {
  // argv[0] is the executable; in development argv[1] is the app folder ("electron .").
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (arg.toLowerCase().endsWith(PROJECT_EXTENSION)) return resolve(cwd, arg);
  }
  return null;
}
