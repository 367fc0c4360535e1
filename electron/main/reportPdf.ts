/**
 * Reports as PDF: the HTML report (electron/report) printed by Chromium. The
 * page is a hidden window that runs no script (the report's charts are
 * server-rendered SVG); main.ts creates it, this module drives it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { writeFileAtomic } from '../export/atomicWrite.ts';

/** A loaded page that can print itself (a hidden BrowserWindow's webContents), and be closed. */
export interface PrintablePage {
  printToPDF(options: { pageSize: 'A4'; printBackground: boolean; landscape: boolean }): Promise<Uint8Array>;
  close(): void;
}

export interface PdfExportDeps {
  /** Writes the HTML report to `htmlPath` (LabService's export.report). */
  writeHtml(htmlPath: string): Promise<void>;
  /** Loads a local HTML file into a hidden, script-less page. */
  openPage(htmlPath: string): Promise<PrintablePage>;
}

/** Writes the report as a PDF at `pdfPath`, via a temporary HTML file that is removed afterwards. */
export async function exportReportPdf(pdfPath: string, deps: PdfExportDeps): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vglab-report-'));
  try {
    const htmlPath = join(dir, 'report.html');
    await deps.writeHtml(htmlPath);
    const page = await deps.openPage(htmlPath);
    try {
      const pdf = await page.printToPDF({ pageSize: 'A4', printBackground: true, landscape: false });
      writeFileAtomic(pdfPath, pdf);
    } finally {
      page.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
