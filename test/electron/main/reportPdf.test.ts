import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { exportReportPdf } from '../../../electron/main/reportPdf.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a PDF report', () => {
  it('prints the HTML report and writes the PDF, leaving no temporary files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vglab-pdf-'));
    dirs.push(out);
    let html = '';
    let closed = false;
    await exportReportPdf(join(out, 'report.pdf'), {
      writeHtml: async (path) => {
        html = path;
        writeFileSync(path, '<svg></svg>');
      },
      openPage: async (path) => {
        expect(readFileSync(path, 'utf8')).toBe('<svg></svg>');
        return {
          printToPDF: async (o) => {
            expect(o).toMatchObject({ pageSize: 'A4', printBackground: true });
            return new TextEncoder().encode('%PDF-1.7');
          },
          close: () => (closed = true),
        };
      },
    });
    expect(readFileSync(join(out, 'report.pdf'), 'utf8')).toBe('%PDF-1.7');
    expect(closed).toBe(true);
    expect(existsSync(dirname(html))).toBe(false);
  });

  it('closes the page and cleans up when printing fails', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vglab-pdf-'));
    dirs.push(out);
    let html = '';
    let closed = false;
    await expect(
      exportReportPdf(join(out, 'report.pdf'), {
        writeHtml: async (path) => void writeFileSync((html = path), 'x'),
        openPage: async () => ({
          printToPDF: async () => {
            throw new Error('printing failed');
          },
          close: () => (closed = true),
        }),
      }),
    ).rejects.toThrow('printing failed');
    expect(closed).toBe(true);
    expect(existsSync(dirname(html))).toBe(false);
    expect(existsSync(join(out, 'report.pdf'))).toBe(false);
  });
});
