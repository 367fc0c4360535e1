/**
 * A report as the LabApi hands it out: the HTML page, the same page printed to
 * PDF, or either written to a path (the format chosen by the path's extension).
 * LabService builds the page (a project's runs, or a lab); this module decides
 * the file name and the format, and turns printing failures into LabErrors that
 * say what to install or set.
 */
import { extname, resolve } from 'node:path';

import { LabError, type ExportResult, type ReportFormat, type RunSummary } from '../../core/api/labApi.ts';
import type { TraceColumns } from '../../core/traces/metrics.ts';
import { writeFileAtomic } from '../export/atomicWrite.ts';
import { chromiumPdf, PdfExportError, type PrintPdf } from './chromiumPdf.ts';
import type { ReportRun } from './htmlReport.ts';

/** A rendered report: its page and the file name it is offered under, without the extension. */
export interface ReportDocument {
  baseName: string;
  html: string;
}

/** The format of a report written to `path`: PDF only when asked for by name. */
export function reportFormatOf(path: string): ReportFormat {
  return extname(path).toLowerCase() === '.pdf' ? 'pdf' : 'html';
}

/** How a run ended, in the report's words. */
function stoppedText(run: RunSummary): string {
  return run.state === 'running' ? 'still training' : run.state;
}

/** A stored run as the report shows it. */
export function reportRunOf(run: RunSummary, traces: TraceColumns): ReportRun {
  return {
    label: run.label,
    network: run.network,
    settings: run.settings,
    dataset: run.dataset,
    result: { steps: run.stepsDone, stopped: stoppedText(run), ...(run.divergence ? { divergence: run.divergence } : {}) },
    traces,
  };
}

export class ReportFiles {
  /** `printPdf`: the desktop app's hidden window; without one, a local Chromium. */
  constructor(private readonly printPdf: PrintPdf = (html) => chromiumPdf(html)) {}

  html(doc: ReportDocument): { fileName: string; html: string } {
    return { fileName: `${doc.baseName}.html`, html: doc.html };
  }

  async pdf(doc: ReportDocument): Promise<{ fileName: string; pdf: Uint8Array }> {
    try {
      return { fileName: `${doc.baseName}.pdf`, pdf: await this.printPdf(doc.html) };
    } catch (e) {
      if (e instanceof PdfExportError) throw new LabError(e.reason === 'missing' ? 'unsupported' : 'io', e.message);
      throw new LabError('io', `the PDF report could not be printed: ${(e as Error).message}`);
    }
  }

  /** Writes the report to `path` atomically: a PDF when the path ends in .pdf, else the HTML page. */
  async save(doc: ReportDocument, path: string): Promise<ExportResult> {
    const abs = resolve(path);
    const bytes = reportFormatOf(abs) === 'pdf' ? (await this.pdf(doc)).pdf : doc.html;
    try {
      writeFileAtomic(abs, bytes);
    } catch (e) {
      throw new LabError('io', `could not write ${path}: ${(e as Error).message}`);
    }
    return { files: [abs] };
  }
}
