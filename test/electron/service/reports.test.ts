// Reports through the LabApi, with the real addon in real engine host processes
// and the real Chromium: the project report of the runs a student picks (in their
// order, each with its network diagram), as a page to preview or download, as a
// PDF (bytes that survive the WebSocket codec), or written to a path; the lab
// report likewise; the desktop's own printer and save dialog used when given
// (stand-ins for Electron's, which cannot run here); clear refusals otherwise.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LabError, type ReportFormat, type RunSummary } from '../../../core/api/labApi.ts';
import { decodeWire, encodeWire } from '../../../core/api/wire.ts';
import { residualMlp } from '../../../core/network/templates.ts';
import { LabService, type LabServiceOptions } from '../../../electron/service/labService.ts';
import { firstPageInk, isWholePdf } from '../report/pdfCheck.ts';

const LAB = 'see-the-vanishing';

let dir: string;
let service: LabService;
let plain: RunSummary;
let residual: RunSummary;
let untrained: RunSummary;

function start(options: Partial<LabServiceOptions> = {}): LabService {
  return new LabService({ mode: 'headless', dataDir: join(dir, `data-${Math.random()}`), autosaveMs: 0, ...options });
}

async function rejection(p: Promise<unknown>): Promise<LabError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    return e as LabError;
  }
  throw new Error('expected the call to fail');
}

async function trained(s: LabService, runId: string): Promise<RunSummary> {
  for (let i = 0; i < 600; i++) {
    const run = (await s.dispatch('runs.list', {})).find((r) => r.id === runId)!;
    if (['completed', 'diverged', 'failed', 'cancelled'].includes(run.state)) return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not finish within 30 s`);
}

function parse(html: string): Document {
  return new new Window().DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

/** Runs `body` with VGLAB_CHROMIUM set to `value`, then puts the variable back. */
async function withChromium<T>(value: string, body: () => Promise<T>): Promise<T> {
  const before = process.env.VGLAB_CHROMIUM;
  process.env.VGLAB_CHROMIUM = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.VGLAB_CHROMIUM;
    else process.env.VGLAB_CHROMIUM = before;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-reports-'));
  service = start();
  await service.dispatch('project.new', { name: 'Skip study' });
  const state = await service.dispatch('project.get', {});
  const settings = { ...state.project.settings, steps: 40, batch_size: 32, trace_every: 5 };
  plain = await service.dispatch('runs.create', { label: 'Plain sigmoid', settings });
  const net = residualMlp({ depth: 2, width: 8 });
  // The spiral has three classes.
  const network = { ...net, nodes: net.nodes.map((n) => (n.id === 'logits' ? { ...n, params: { ...n.params, units: 3 } } : n)) };
  residual = await service.dispatch('runs.create', { label: 'Residual', settings, network });
  untrained = await service.dispatch('runs.create', { label: 'Not yet', settings });
  await service.dispatch('runs.start', { runId: plain.id });
  await service.dispatch('runs.start', { runId: residual.id });
  plain = await trained(service, plain.id);
  residual = await trained(service, residual.id);
}, 60_000);

afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('export.reportHtml', () => {
  it('holds the picked runs in the order picked, each with its network diagram, and the comparison first', async () => {
    expect(plain.state).toBe('completed');
    const file = await service.dispatch('export.reportHtml', { runIds: [residual.id, plain.id] });
    expect(file.fileName).toBe('Skip study report.html');
    const doc = parse(file.html);
    expect(Array.from(doc.querySelectorAll('h2')).map((h) => h.textContent)).toEqual(['All runs', 'Residual', 'Plain sigmoid']);
    const [first, second] = Array.from(doc.querySelectorAll('section.run'));
    const labels = (s: Element) => Array.from(s.querySelectorAll('svg.network-diagram g.node')).map((g) => g.getAttribute('data-node-id'));
    expect(labels(first)).toEqual(expect.arrayContaining(['stem', 'add1', 'add2', 'logits']));
    expect(first.querySelectorAll('svg.network-diagram path.edge.skip')).toHaveLength(2);
    expect(labels(second)).toEqual(['x', 'dense1', 'sigmoid1', 'dense2', 'sigmoid2', 'dense3', 'sigmoid3', 'dense4', 'sigmoid4', 'logits']);
    expect(second.querySelectorAll('svg.network-diagram path.edge.skip')).toHaveLength(0);
    // Each section: the diagram and at least the loss and the per-layer gradient chart.
    expect(first.querySelectorAll('svg').length).toBeGreaterThanOrEqual(3);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
  });

  it('takes every run with traces when none are picked', async () => {
    const doc = parse((await service.dispatch('export.reportHtml', {})).html);
    expect(Array.from(doc.querySelectorAll('section.run h2')).map((h) => h.textContent)).toEqual(['Plain sigmoid', 'Residual']);
  });

  it('refuses a run without traces, an unknown run and an empty pick, naming what is wrong', async () => {
    const e1 = await rejection(service.dispatch('export.reportHtml', { runIds: [plain.id, untrained.id] }));
    expect(e1.code).toBe('conflict');
    expect(e1.message).toContain('run "Not yet" has no traces yet');
    expect((await rejection(service.dispatch('export.reportHtml', { runIds: ['nope'] }))).code).toBe('not-found');
    const e3 = await rejection(service.dispatch('export.reportHtml', { runIds: [] }));
    expect(e3.code).toBe('invalid-input');
    expect(e3.message).toContain('pick at least one run');
  });

  it('says to train first when no run has traces', async () => {
    const fresh = start();
    try {
      const e = await rejection(fresh.dispatch('export.reportHtml', {}));
      expect(e.code).toBe('conflict');
      expect(e.message).toBe('no run has traces yet: train one first');
    } finally {
      await fresh.dispose();
    }
  });
});

describe('export.reportPdf', () => {
  it('prints the report with the local Chromium into a whole PDF that crosses the WebSocket codec intact', async () => {
    const file = await service.dispatch('export.reportPdf', { runIds: [plain.id] });
    expect(file.fileName).toBe('Skip study report.pdf');
    expect(file.pdf).toBeInstanceOf(Uint8Array);
    expect(isWholePdf(file.pdf)).toBe(true);
    expect(firstPageInk(file.pdf).share).toBeGreaterThan(0.01);
    const across = decodeWire(encodeWire(file)) as { pdf: unknown };
    expect(across.pdf).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(across.pdf as Uint8Array).equals(Buffer.from(file.pdf))).toBe(true);
  });

  it('says what to set when VGLAB_CHROMIUM names a missing browser', async () => {
    const missing = join(dir, 'no-browser-here');
    const e = await withChromium(missing, () => rejection(service.dispatch('export.reportPdf', {})));
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain(`VGLAB_CHROMIUM is set to "${missing}", which does not exist`);
  });
});

describe('export.report to a path', () => {
  it('writes a PDF for a .pdf path and the HTML page otherwise', async () => {
    const pdfPath = join(dir, 'out', 'r.pdf');
    const htmlPath = join(dir, 'out', 'r.html');
    const missingFolder = await rejection(service.dispatch('export.report', { path: htmlPath }));
    expect(missingFolder.code).toBe('io');
    expect(missingFolder.message).toContain(`could not write ${htmlPath}`);
    mkdirSync(join(dir, 'out'));
    expect((await service.dispatch('export.report', { path: pdfPath, runIds: [residual.id] })).files).toEqual([pdfPath]);
    expect(isWholePdf(readFileSync(pdfPath))).toBe(true);
    await service.dispatch('export.report', { path: htmlPath, runIds: [residual.id] });
    expect(readFileSync(htmlPath, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*class="network-diagram"/);
  });
});

describe('the desktop printer and save dialog', () => {
  it('prints with the desktop hook when there is one, and saves where the dialog says', async () => {
    const printed: string[] = [];
    const asked: [string, ReportFormat][] = [];
    let answer: string | null = join(dir, 'chosen.pdf');
    const desktop = start({
      mode: 'desktop',
      // Stands in for Electron's hidden window (its binary cannot run here).
      printPdf: async (html) => {
        printed.push(html);
        return new TextEncoder().encode('%PDF-1.7 desktop\n%%EOF\n');
      },
      dialogs: {
        openProject: async () => null,
        saveProject: async () => null,
        saveReport: async (name, format) => {
          asked.push([name, format]);
          return answer;
        },
      },
    });
    try {
      // The lab report needs no trained run: the sheet alone is a report.
      const pdf = await desktop.dispatch('labs.exportReportPdf', { labId: LAB });
      expect(pdf.fileName).toBe(`${LAB}-report.pdf`);
      expect(new TextDecoder().decode(pdf.pdf)).toBe('%PDF-1.7 desktop\n%%EOF\n');
      expect(printed[0]).toContain('<!DOCTYPE html>');
      const saved = await desktop.dispatch('labs.saveReportDialog', { labId: LAB, teacher: true, format: 'pdf' });
      expect(asked).toEqual([[`${LAB}-report-teacher.pdf`, 'pdf']]);
      expect(saved?.files).toEqual([join(dir, 'chosen.pdf')]);
      expect(readFileSync(join(dir, 'chosen.pdf'), 'utf8')).toBe('%PDF-1.7 desktop\n%%EOF\n');
      answer = null;
      expect(await desktop.dispatch('labs.saveReportDialog', { labId: LAB, format: 'html' })).toBeNull();
      expect(printed).toHaveLength(2);
    } finally {
      await desktop.dispose();
    }
  });

  it('has no save dialog in browser mode', async () => {
    const e = await rejection(service.dispatch('export.reportDialog', { format: 'html' }));
    expect(e.code).toBe('unsupported');
  });
});

describe('the lab report', () => {
  it('downloads as PDF with the local Chromium and saves to a path by extension', async () => {
    const pdf = await service.dispatch('labs.exportReportPdf', { labId: LAB });
    expect(isWholePdf(pdf.pdf)).toBe(true);
    const htmlPath = join(dir, 'lab.html');
    expect((await service.dispatch('labs.saveReport', { labId: LAB, path: htmlPath })).files).toEqual([htmlPath]);
    expect(readFileSync(htmlPath, 'utf8')).toContain('<!DOCTYPE html>');
    expect(existsSync(join(dir, 'lab.pdf'))).toBe(false);
  });
});
