// The corpus of broken CSV files (test/fixtures/malformed/csv) imported as a student
// would: decoded as the Data view decodes an upload (strict UTF-8), then through
// datasets.importCsv. Each either imports (a byte-order mark, CRLF) or is refused
// with a message that starts with the file's name, never an internal error, and the
// open project is left as it was.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodeCsvBytes } from '../../core/datasets/csvBytes.ts';
import { LabService } from '../../electron/service/labService.ts';

const CORPUS = resolve(__dirname, '..', 'fixtures', 'malformed', 'csv');
const IMPORTS = new Set(['bom.csv', 'crlf.csv']);

let dir: string;
let service: LabService;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-csv-corpus-'));
  service = new LabService({ mode: 'browser', dataDir: dir, autosaveMs: 0 });
});

afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** What importing the file's bytes ends in: its columns, or the message a student reads. */
async function importBytes(name: string, bytes: Uint8Array): Promise<{ columns: string[] } | { code: string; message: string }> {
  let text: string;
  try {
    text = decodeCsvBytes(name, bytes);
  } catch (e) {
    return { code: 'invalid-input', message: (e as Error).message };
  }
  try {
    return { columns: (await service.dispatch('datasets.importCsv', { fileName: name, text })).facts.columns };
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
}

describe('the malformed CSV corpus through datasets.importCsv', () => {
  it.each(readdirSync(CORPUS).sort())('%s', async (name) => {
    const before = await service.dispatch('project.get', {});
    const outcome = await importBytes(name, new Uint8Array(readFileSync(join(CORPUS, name))));
    if (IMPORTS.has(name)) {
      expect(outcome).toEqual({ columns: ['x1', 'x2', 'label'] });
    } else {
      expect(outcome).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(new RegExp(`^${name.replace('.', '\\.')}(:| is)`)) });
      expect((outcome as { message: string }).message).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(await service.dispatch('project.get', {})).toEqual(before);
  });

  it('names the line of bytes that are not UTF-8, and says a UTF-16 file is one', async () => {
    expect(await importBytes('invalid-utf8.csv', new Uint8Array(readFileSync(join(CORPUS, 'invalid-utf8.csv'))))).toEqual({
      code: 'invalid-input',
      message: 'invalid-utf8.csv: line 1 is not UTF-8 text; save the file as UTF-8 ("CSV UTF-8" in a spreadsheet) and import it again',
    });
    expect(await importBytes('utf16.csv', new Uint8Array(readFileSync(join(CORPUS, 'utf16.csv'))))).toMatchObject({
      message: expect.stringMatching(/^utf16\.csv (is UTF-16 text|: line 1 contains a NUL byte)/),
    });
  });
});
