// Markup in the student's own texts never runs (issue 7): a project name, a node id
// typed in the inspector, every text of a lab file a teacher hands out (title,
// summary, objectives, step, preset label, which becomes the run's label, question,
// answer key, checkpoint), the student's answer, and a CSV file's name, column
// names and class names hold an <img onerror> (and a <script>, where the format
// allows quotes). In the real app in Chromium, every view must show them as text, with
// no Content-Security-Policy violation (an inline handler that got into the DOM
// would be blocked and reported) and the sentinel they would set still unset; the
// exported reports, opened with JavaScript on and no CSP, must hold them escaped.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium } from './browser.ts';
import { buildRenderer, setTrainingNumber, showView, waitForCompleted } from './helpers.ts';
import { startLabServer, type LabServer } from './labServer.ts';

/** A payload that sets window.__pwned to `where` if it is ever parsed as HTML. */
const payload = (where: string): string =>
  `${where} <img src=x onerror="window.__pwned='${where}'"><script>window.__pwned='${where} script'</script>`;

const PROJECT_NAME = payload('project');
const LAB = {
  title: payload('title'),
  summary: payload('summary'),
  objective: payload('objective'),
  step: payload('step'),
  preset: payload('preset'),
  prompt: payload('question'),
  answerKey: payload('answer key'),
  checkpoint: payload('checkpoint'),
  labKey: payload('lab key'),
};
const ANSWER = payload('answer');

/** The same for a CSV cell, which may not hold a double quote unescaped: an unquoted handler. */
const csvPayload = (where: string): string => `${where} <img src=x onerror=window.__pwned='${where}'>`;
const CSV_COLUMNS = [csvPayload('feature 1'), csvPayload('feature 2'), csvPayload('feature 3'), csvPayload('target')];
const CSV_CLASSES = [csvPayload('class a'), csvPayload('class b'), csvPayload('class c')];
const CSV_NAME = `${csvPayload('file')}.csv`;
const csvFile = [
  CSV_COLUMNS.join(','),
  ...Array.from({ length: 24 }, (_, i) => `${i % 5},${(i * 7) % 3},${i / 4},${CSV_CLASSES[i % 3]}`),
].join('\n');

const labFile = JSON.stringify({
  format: 'vglab-lab/1',
  id: 'injection',
  language: 'en',
  title: LAB.title,
  summary: LAB.summary,
  objectives: [LAB.objective],
  steps: [
    {
      text: LAB.step,
      preset: {
        id: 'tiny',
        label: LAB.preset,
        network: { template: 'deep_sigmoid', options: { depth: 2, width: 4 } },
        dataset: { name: 'spiral', options: { n: 64 } },
        settings: { optimizer: { type: 'adam', lr: 0.03 }, steps: 20, batch_size: 16, trace_every: 5 },
      },
    },
  ],
  questions: [{ id: 'why', prompt: LAB.prompt, answer: LAB.answerKey }],
  checkpoints: [
    { id: 'learns', description: LAB.checkpoint, presets: ['tiny'], condition: { kind: 'loss', after: 10, window: 5, above: 0 } },
  ],
  answerKey: LAB.labKey,
});

// Installed before any script of the page: the sentinel stays undefined unless a payload runs.
function watchPage(): void {
  const w = window as unknown as { __violations: string[] };
  w.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    w.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} (${e.sample})`);
  });
}

let browser: Browser | undefined;
let server: LabServer | undefined;
let staticDir: string | undefined;
let work: string;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'vglab-injection-'));
  staticDir = buildRenderer();
  browser = await launchChromium();
  server = await startLabServer(60_000, staticDir);
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('dialog', (d) => void d.accept());
  await page.addInitScript(watchPage);
  await page.goto(server.url);
  await page.getByRole('region', { name: 'Network canvas' }).waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** Nothing ran and nothing was blocked so far. */
async function expectNothingRan(where: string): Promise<void> {
  const seen = await page.evaluate(() => {
    const w = window as unknown as { __violations: string[]; __pwned?: unknown };
    return { violations: w.__violations, pwned: w.__pwned };
  });
  expect(seen.violations, `CSP violations after ${where}`).toEqual([]);
  expect(seen.pwned, `a payload ran after ${where}`).toBeUndefined();
}

/** `text` is on the page as text (an element whose text holds it, visible). */
async function expectShownAsText(text: string): Promise<void> {
  await expect.poll(() => page.getByText(text).first().isVisible()).toBe(true);
}

/** Calls the LabApi of the page's server over a WebSocket of its own (the page's cookie lets it in). */
async function invoke(method: string, params: unknown): Promise<unknown> {
  return page.evaluate(
    ([m, p]) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/`);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'invoke', id: 1, method: m, params: p }));
        ws.onmessage = (e) => {
          const msg = JSON.parse(String(e.data)) as { type: string; id?: number; result?: unknown; error?: { message: string } };
          if (msg.id !== 1) return;
          ws.close();
          if (msg.type === 'result') resolve(msg.result);
          else reject(new Error(msg.error?.message ?? 'failed'));
        };
        ws.onerror = () => reject(new Error('the WebSocket failed'));
      }),
    [method, params] as const,
  );
}

/**
 * Opens a report in a fresh page with JavaScript on and no CSP: the markup of our
 * data must not have become elements, nothing may run, and the payloads read as text.
 */
async function expectInertReport(html: string, texts: string[]): Promise<void> {
  const report = await browser!.newPage();
  try {
    await report.addInitScript(watchPage);
    await report.setContent(html, { waitUntil: 'load' });
    await report.waitForTimeout(200); // an <img src=x> fails after load
    const found = await report.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      handlers: document.querySelectorAll('img[onerror], [onerror], [onload]').length,
      scripts: document.querySelectorAll('script').length,
      text: document.body.textContent ?? '',
    }));
    expect(found.pwned).toBeUndefined();
    expect(found.handlers).toBe(0);
    // Our report builders write no script at all: any <script> came from data.
    expect(found.scripts).toBe(0);
    for (const t of texts) expect(found.text, `the report shows ${JSON.stringify(t)} as text`).toContain(t);
  } finally {
    await report.close();
  }
}

describe('markup in user texts is shown as text and never runs', () => {
  it('a project name', async () => {
    const name = page.getByRole('textbox', { name: 'Project name' });
    await name.fill(PROJECT_NAME);
    await name.press('Tab');
    await expect.poll(() => name.inputValue()).toBe(PROJECT_NAME);
    await expectNothingRan('renaming the project');
  });

  it('a node id typed into the inspector is refused as text, and the old id stays', async () => {
    const card = page.getByRole('group', { name: /^Dense dense1,/ });
    await card.click();
    const inspector = page.getByRole('form', { name: 'Properties of dense1' });
    const id = inspector.getByRole('textbox', { name: 'id', exact: true });
    await id.fill(payload('node'));
    await id.press('Tab');
    // The error names the field; the id may not hold markup at all.
    // Its accessible description (aria-describedby) carries the error.
    const described = async () => {
      const ids = (await id.getAttribute('aria-describedby')) ?? '';
      return page.evaluate((list) => list.split(/\s+/).map((i) => document.getElementById(i)?.textContent ?? '').join(' '), ids);
    };
    await expect.poll(() => id.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(described).toMatch(/\S/);
    await expectNothingRan('typing a node id');
    await id.fill('dense1');
    await id.press('Tab');
    await expectNothingRan('restoring the node id');
  });

  it('every text of a lab file opened with Open lab file…, and the run it starts', async () => {
    await showView(page, 'Labs');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open lab file…' }).click();
    await (await chooser).setFiles({ name: 'injection.json', mimeType: 'application/json', buffer: Buffer.from(labFile) });
    await expect.poll(() => page.getByRole('heading', { name: LAB.title }).count()).toBe(1);
    for (const t of [LAB.summary, LAB.objective, LAB.step, LAB.preset, LAB.prompt, LAB.checkpoint]) await expectShownAsText(t);
    await expectNothingRan('opening the lab');

    await page.getByRole('button', { name: `Run this preset: ${LAB.preset}` }).click();
    await expect.poll(() => page.getByText('Completed').count(), { timeout: 60_000 }).toBeGreaterThan(0);

    await page.getByRole('textbox', { name: LAB.prompt }).fill(ANSWER);
    await page.getByRole('checkbox', { name: /Teacher/ }).check();
    await expectShownAsText(LAB.answerKey);
    await expectNothingRan('running the preset and answering');
  }, 90_000);

  it('a CSV file whose header and classes hold markup, imported in the Data view', async () => {
    await showView(page, 'Data');
    await page.getByRole('radio', { name: 'Import CSV' }).check();
    await page.getByLabel('Import CSV file…').setInputFiles({ name: CSV_NAME, mimeType: 'text/csv', buffer: Buffer.from(csvFile) });
    await page.getByText(`${CSV_NAME}: 24 rows, 4 columns, classification into 3 classes.`, { exact: true }).waitFor();
    // Three features: the preview is a table whose header cells are the file's column names.
    for (const name of CSV_COLUMNS) await expect.poll(() => page.getByRole('columnheader', { name, exact: true }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('combobox', { name: 'Target column' }).inputValue()).toBe(CSV_COLUMNS[3]);
    for (const name of CSV_CLASSES) await expectShownAsText(name);
    await expectNothingRan('importing the CSV file');

    // The network still takes two features: the run fails with a message naming the file, as text.
    await showView(page, 'Train');
    await setTrainingNumber(page, 'Steps', 10);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => page.getByRole('radio', { name: /: Failed/ }).count(), { timeout: 30_000 }).toBe(1);
    await expectShownAsText(`the network takes 2 features; the "${CSV_NAME}" data set has 3`);
    await expectNothingRan('a run failing on the CSV file');

    // A run that trains on it, so the project report describes a data set by the file's name:
    // the network's input takes the file's three features first.
    await showView(page, 'Designer');
    await page.getByRole('group', { name: /^Input \w+, / }).click();
    const features = page.getByRole('form', { name: /^Properties of / }).getByRole('spinbutton', { name: 'features', exact: true });
    await features.fill('3');
    await features.press('Tab');
    await showView(page, 'Train');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForCompleted(page, 3, 60_000);
    await expectNothingRan('training on the CSV file');
  }, 90_000);

  it.each(['Designer', 'Data', 'Train', 'Compare', 'Labs', 'Report'] as const)('the %s view', async (view) => {
    await showView(page, view);
    await page.waitForTimeout(300);
    if (view === 'Train' || view === 'Compare') await expectShownAsText(LAB.preset);
    await expectNothingRan(`showing the ${view} view`);
  });

  it('the lab report downloaded from the Labs view holds every text escaped', async () => {
    await showView(page, 'Labs');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export lab report' }).click();
    const path = join(work, 'lab-report.html');
    await (await download).saveAs(path);
    const html = readFileSync(path, 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    await expectInertReport(html, [LAB.title, LAB.preset, LAB.prompt, ANSWER, LAB.answerKey, LAB.checkpoint]);
    await expectNothingRan('exporting the lab report');
  });

  it('the project report (export.report) holds the project name, run labels and CSV file name escaped', async () => {
    const path = join(work, 'project-report.html');
    await invoke('export.report', { path });
    const html = readFileSync(path, 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    await expectInertReport(html, [PROJECT_NAME, LAB.preset, CSV_NAME]);
  });

  it('the report check itself catches a payload that was not escaped', async () => {
    await expect(expectInertReport(`<!doctype html><p>${payload('unescaped')}</p>`, [])).rejects.toThrow();
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
