/**
 * Reports as PDF in the desktop app: the HTML report (electron/report) printed by
 * Electron's own Chromium, so the desktop needs no browser installed. The page is
 * a hidden window that runs no script (the report's charts are server-rendered
 * SVG); main.ts creates it, this module drives it and hands LabService a PrintPdf.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { PrintPdf } from '../report/chromiumPdf.ts';

/** A loaded page that can print itself (a hidden BrowserWindow's webContents), and be closed. */
export interface PrintablePage {
  printToPDF(options: { pageSize: 'A4'; printBackground: boolean; landscape: boolean }): Promise<Uint8Array>;
  close(): void;
}

/** Loads a local HTML file into a hidden, script-less page. */
export type OpenPrintablePage = (htmlPath: string) => Promise<PrintablePage>;

/**
 * A PrintPdf that loads the page from a temporary file (a file: URL, so the page
 * has no origin to reach anything from), prints it on A4 and removes the file;
 * the page is closed whether or not printing worked.
 */
export function pagePrinter(openPage: OpenPrintablePage): PrintPdf {
  return async (html) => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-report-'));
    try {
      const htmlPath = join(dir, 'report.html');
      writeFileSync(htmlPath, html, 'utf8');
      const page = await openPage(htmlPath);
      try {
        return await page.printToPDF({ pageSize: 'A4', printBackground: true, landscape: false });
      } finally {
        page.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
