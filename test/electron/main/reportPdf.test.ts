// The desktop's PDF printer (a hidden window's printToPDF, stood in for here: the
// Electron binary cannot run in tests): it prints the page it was given from a
// temporary file, closes the page and leaves no file behind, also when printing fails.
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

import { pagePrinter } from '../../../electron/main/reportPdf.ts';

describe('the desktop PDF printer', () => {
  it('prints the HTML from a temporary file on A4 and removes the file', async () => {
    let htmlPath = '';
    let closed = false;
    const print = pagePrinter(async (path) => {
      htmlPath = path;
      expect(readFileSync(path, 'utf8')).toBe('<svg></svg>');
      return {
        printToPDF: async (o) => {
          expect(o).toMatchObject({ pageSize: 'A4', printBackground: true, landscape: false });
          return new TextEncoder().encode('%PDF-1.7');
        },
        close: () => (closed = true),
      };
    });
    const pdf = await print('<svg></svg>');
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-1.7');
    expect(closed).toBe(true);
    expect(existsSync(dirname(htmlPath))).toBe(false);
  });

  it('closes the page and cleans up when printing fails', async () => {
    let htmlPath = '';
    let closed = false;
    const print = pagePrinter(async (path) => {
      htmlPath = path;
      return {
        printToPDF: async () => {
          throw new Error('printing failed');
        },
        close: () => (closed = true),
      };
    });
    await expect(print('x')).rejects.toThrow('printing failed');
    expect(closed).toBe(true);
    expect(existsSync(dirname(htmlPath))).toBe(false);
  });
});
