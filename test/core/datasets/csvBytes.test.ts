// decodeCsvBytes: a CSV file's bytes as text, strictly UTF-8, refused with the line to fix.
import { describe, expect, it } from 'vitest';

import { decodeCsvBytes } from '../../../core/datasets/csvBytes.ts';
import { csvSizeProblem, formatBytes } from '../../../core/datasets/csvSize.ts';
import { MAX_CSV_BYTES } from '../../../core/project/schema.ts';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('decodeCsvBytes', () => {
  it('keeps UTF-8 text exactly, a byte-order mark and CRLF included (the parser reads both)', () => {
    const text = '\ufeffnom,taille,été\r\n1,2,0\r\n';
    expect(decodeCsvBytes('f.csv', bytes(text))).toBe(text);
  });

  it('names the first line that is not UTF-8', () => {
    expect(() => decodeCsvBytes('latin1.csv', bytes('a,b,y\n1,2,0\n', [0x63, 0x61, 0x66, 0xe9], ',3,1\n'))).toThrow(
      'latin1.csv: line 3 is not UTF-8 text; save the file as UTF-8 ("CSV UTF-8" in a spreadsheet) and import it again',
    );
  });

  it('says a UTF-16 file is one, either byte order', () => {
    for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) {
      expect(() => decodeCsvBytes('u16.csv', bytes(bom, [0x61, 0]))).toThrow(/^u16\.csv is UTF-16 text; save it as UTF-8/);
    }
  });
});

describe('csvSizeProblem', () => {
  it('takes a file of exactly the cap and refuses one byte more, with both sizes', () => {
    expect(csvSizeProblem('a.csv', MAX_CSV_BYTES)).toBeNull();
    expect(csvSizeProblem('a.csv', MAX_CSV_BYTES + 1)).toMatch(/^a\.csv is 33,554,433 bytes; a project embeds CSV files of at most 33,554,432 bytes\./);
    expect(csvSizeProblem('b.csv', 40 * 2 ** 20)).toMatch(/^b\.csv is 40\.0 MiB; a project embeds CSV files of at most 32\.0 MiB\. Keep fewer rows/);
  });

  it('writes sizes in bytes, KiB and MiB', () => {
    expect([formatBytes(1), formatBytes(812), formatBytes(14_540), formatBytes(40 * 2 ** 20)]).toEqual(['1 byte', '812 bytes', '14.2 KiB', '40.0 MiB']);
  });
});
