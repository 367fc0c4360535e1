// 'electron' cannot be required here (its binary is missing), so every module a
// test imports must do without it: only the two entry files may import it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ENTRIES = ['electron/main/main.ts', 'electron/preload/preload.ts'];

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const IMPORTS_ELECTRON = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron['"]/;

describe("imports of 'electron'", () => {
  it('appear only in main.ts and preload.ts', () => {
    const files = ['electron', 'core'].flatMap(tsFiles);
    const importing = files.filter((f) => IMPORTS_ELECTRON.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(importing.map((f) => relative('.', f).replaceAll('\\', '/')).sort()).toEqual(ENTRIES);
  });
});
