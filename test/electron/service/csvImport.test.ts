// Importing a CSV file into a project through LabService, with the real addon and
// real engine host processes: a good file gives its columns, rows and task; bad
// files are refused naming the file, line and column; the project embeds the text
// (once, however many runs use it) so it trains after a save and reopen with no
// file beside it; a project that only names a file beside it still trains; the
// size cap is stated with the file's size; the preview of a CSV set works.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LabEvents, RunSummary } from '../../../core/api/labApi.ts';
import { NETWORK_FORMAT } from '../../../core/network/spec.ts';
import { MAX_CSV_BYTES } from '../../../core/project/schema.ts';
import { LabService } from '../../../electron/service/labService.ts';

let dir: string;
let service: LabService;

/** Two features, class = x1 > x2; `rows` rows. */
function twoFeatureCsv(rows: number, eol = '\n'): string {
  const lines = ['x1,x2,label'];
  for (let i = 0; i < rows; i++) {
    const a = ((i * 37) % 100) / 50 - 1;
    const b = ((i * 61) % 100) / 50 - 1;
    lines.push(`${a},${b},${a > b ? 1 : 0}`);
  }
  return lines.join(eol) + eol;
}

/** A 2 -> 8 -> 2 classifier. */
const network = {
  format: NETWORK_FORMAT,
  nodes: [
    { id: 'x', type: 'input', params: { features: 2 } },
    { id: 'd1', type: 'dense', params: { units: 8 } },
    { id: 't1', type: 'tanh', params: {} },
    { id: 'out', type: 'dense', params: { units: 2 } },
  ],
  edges: [
    { from: 'x', to: 'd1' },
    { from: 'd1', to: 't1' },
    { from: 't1', to: 'out' },
  ],
  loss: { type: 'softmax_cross_entropy' },
};

function finished(runId: string, timeoutMs = 30_000): Promise<RunSummary> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`run ${runId} did not finish within ${timeoutMs} ms`)), timeoutMs);
    const off = service.subscribe((event, payload) => {
      if (event !== 'run.updated') return;
      const run = payload as LabEvents['run.updated'];
      if (run.id === runId && ['completed', 'failed', 'diverged'].includes(run.state)) {
        clearTimeout(timer);
        off();
        resolve(run);
      }
    });
  });
}

async function trainSteps(steps: number): Promise<RunSummary> {
  const state = await service.dispatch('project.get', {});
  const run = await service.dispatch('runs.create', { network, settings: { ...state.project.settings, steps, batch_size: 16 } });
  const done = finished(run.id);
  await service.dispatch('runs.start', { runId: run.id });
  return done;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-csv-import-'));
  service = new LabService({ mode: 'browser', dataDir: join(dir, 'data'), autosaveMs: 0 });
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('datasets.importCsv', () => {
  it('reads a good file: its columns, rows and task, and an embedded data set choice', async () => {
    const text = twoFeatureCsv(40);
    const imported = await service.dispatch('datasets.importCsv', { fileName: 'points.csv', text });
    expect(imported.facts).toEqual({
      fileName: 'points.csv',
      columns: ['x1', 'x2', 'label'],
      targetName: 'label',
      rows: 40,
      task: 'classification',
      classNames: ['0', '1'],
      bytes: Buffer.byteLength(text),
      summary: [
        { name: 'x1', min: -1, mean: expect.any(Number), max: expect.any(Number) },
        { name: 'x2', min: -1, mean: expect.any(Number), max: expect.any(Number) },
      ],
      classCounts: [expect.any(Number), expect.any(Number)],
    });
    expect(imported.facts.classCounts[0] + imported.facts.classCounts[1]).toBe(40);
    expect(imported.facts.summary[0].max).toBeCloseTo(0.98, 6);
    expect('csv' in imported.dataset && imported.dataset.csv.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Importing changes nothing until the project takes the data set.
    expect((await service.dispatch('project.get', {})).dirty).toBe(false);
  });

  it('takes a byte-order mark and CRLF line ends, and calls a fractional target regression', async () => {
    const text = '\ufeffa,b,y\r\n1,2,0.5\r\n3,4,1.25\r\n';
    const imported = await service.dispatch('datasets.importCsv', { fileName: 'r.csv', text });
    expect(imported.facts).toMatchObject({ columns: ['a', 'b', 'y'], rows: 2, task: 'regression', classNames: [] });
  });

  it('reads the target the student names, and text labels as classes', async () => {
    const text = 'species,len,width\nsetosa,1,2\nvirginica,3,4\nsetosa,1.5,2.5\n';
    const imported = await service.dispatch('datasets.importCsv', { fileName: 'iris.csv', text, target: 'species', standardize: true });
    expect(imported.facts).toMatchObject({ columns: ['len', 'width', 'species'], targetName: 'species', task: 'classification', classNames: ['setosa', 'virginica'] });
    expect(imported.dataset).toMatchObject({ csv: { fileName: 'iris.csv', target: 'species', standardize: true } });
  });

  it('takes a text column that is not the last as the target when none is chosen, and says so in its facts', async () => {
    const text = 'species,len,width\nsetosa,1,2\nvirginica,3,4\nsetosa,1.5,2.5\n';
    const imported = await service.dispatch('datasets.importCsv', { fileName: 'iris.csv', text });
    expect(imported.facts).toMatchObject({ columns: ['len', 'width', 'species'], targetName: 'species', classNames: ['setosa', 'virginica'] });
    expect(imported.dataset).toMatchObject({ csv: { fileName: 'iris.csv', target: 'species' } });
  });

  it.each([
    ['a stray "n/a" in a number column', 'a,b,y\n1,n/a,0\n3,4,1\n', 'bad.csv: line 2, column "b" (2): "n/a" is not a number'],
    ['two text columns', 'name,kind,x,y\nann,cat,1,0\nbob,dog,2,1\n', 'bad.csv: line 2, column "name" (1): "ann" is not a number'],
    ['NaN in a feature', 'a,b,y\n1,2,0\n3,nan,1\n', 'bad.csv: line 3, column "b" (2): "nan" is not a number'],
    ['a ragged row', 'a,b,y\n1,2,0\n3,1\n', 'bad.csv: line 3 has 2 cells; the header has 3'],
    ['an empty file', '', 'bad.csv: the file is empty'],
    ['a header only', 'a,b,y\n', 'bad.csv: the file has a header but no data rows'],
    ['binary garbage', '\u0000\u0001\u0002PK\u0003', 'bad.csv: line 1 contains a NUL byte; this looks like a binary file, not CSV text'],
    ['an unknown target', 'a,b,y\n1,2,0\n', 'bad.csv: no column named "zz"; the columns are: a, b, y'],
  ])('refuses %s naming the file and where', async (_what, text, message) => {
    const target = message.includes('"zz"') ? { target: 'zz' } : {};
    await expect(service.dispatch('datasets.importCsv', { fileName: 'bad.csv', text, ...target })).rejects.toMatchObject({
      code: 'invalid-input',
      message,
    });
  });

  it('reads a long-layout sequence file by its sequence column, and previews whole sequences', async () => {
    const text = 'seq,x1,x2,y\n0,0.5,0,1\n0,0.1,1,1\n0,0.2,0,1\n1,0.7,0,0\n1,0.4,1,0\n1,0.3,1,0\n';
    const { dataset, facts } = await service.dispatch('datasets.importCsv', { fileName: 'seq.csv', text, target: 'y', sequenceColumn: 'seq' });
    expect(facts).toMatchObject({ rows: 6, columns: ['seq', 'x1', 'x2', 'y'], task: 'classification', classCounts: [1, 1] });
    expect(facts.summary.map((c) => c.name)).toEqual(['x1', 'x2']);
    const preview = await service.dispatch('datasets.preview', { dataset });
    expect(preview).toMatchObject({ totalRows: 2, steps: 3, features: 2, featureNames: ['x1', 'x2'] });
    expect(Array.from(preview.x)).toEqual(Array.from(Float32Array.of(0.5, 0, 0.1, 1, 0.2, 0, 0.7, 0, 0.4, 1, 0.3, 1)));
  });

  it('refuses a sequence column that is not a column', async () => {
    await expect(
      service.dispatch('datasets.importCsv', { fileName: 's.csv', text: 'a,b,y\n1,2,0\n', sequenceColumn: 'seq' }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: 's.csv: no column named "seq" among the features; the columns are: a, b' });
  });

  it('refuses a file over the cap, naming its size and the cap', async () => {
    const row = '0.123456,0.654321,1\n';
    const text = `a,b,y\n${row.repeat(Math.ceil((MAX_CSV_BYTES + 1) / row.length))}`;
    const size = Buffer.byteLength(text).toLocaleString('en-US');
    await expect(service.dispatch('datasets.importCsv', { fileName: 'huge.csv', text })).rejects.toMatchObject({
      code: 'invalid-input',
      message: `huge.csv is ${size} bytes; a project embeds CSV files of at most 33,554,432 bytes. Keep fewer rows or columns (a sample of the rows trains much the same) and import it again`,
    });
  });
});

describe('a project with an imported CSV', () => {
  it('previews the set: its rows, feature names and facts', async () => {
    const { dataset } = await service.dispatch('datasets.importCsv', { fileName: 'points.csv', text: twoFeatureCsv(50) });
    const preview = await service.dispatch('datasets.preview', { dataset, maxRows: 20 });
    expect(preview).toMatchObject({ name: 'points.csv', task: 'classification', rows: 20, totalRows: 50, features: 2, classes: 2, featureNames: ['x1', 'x2'] });
    expect(preview.x.length).toBe(40);
    expect(Array.from(preview.x.subarray(0, 2))).toEqual([-1, -1]);
    expect(preview.csv).toMatchObject({ columns: ['x1', 'x2', 'label'], rows: 50 });
  });

  it('embeds the text once, trains on it, and trains again after a save and reopen with no CSV file anywhere', async () => {
    const text = twoFeatureCsv(64);
    const { dataset } = await service.dispatch('datasets.importCsv', { fileName: 'points.csv', text });
    await service.dispatch('project.update', { dataset, network });
    const state = await service.dispatch('project.get', {});
    expect(state.project.dataset).toEqual(dataset);
    expect('csvTexts' in state.project).toBe(false); // the text stays in the lab, not in every project.changed
    const first = await trainSteps(5);
    expect(first).toMatchObject({ state: 'completed', stepsDone: 5 });
    expect(first.lastLoss).toBeGreaterThan(0);
    await trainSteps(3);

    const path = join(dir, 'with-csv.vglab');
    await service.dispatch('project.saveAs', { path });
    const file = JSON.parse(readFileSync(path, 'utf8')) as { csvTexts: Record<string, string>; runs: { dataset: unknown }[] };
    expect(Object.values(file.csvTexts)).toEqual([text]); // one copy for the project and both runs
    expect(file.runs.map((r) => r.dataset)).toEqual([dataset, dataset]);

    await service.dispose();
    service = new LabService({ mode: 'browser', dataDir: join(dir, 'data2'), autosaveMs: 0 });
    const reopened = await service.dispatch('project.openText', { fileName: 'with-csv.vglab', text: readFileSync(path, 'utf8') });
    expect(reopened.project.dataset).toEqual(dataset);
    expect(await trainSteps(4)).toMatchObject({ state: 'completed', stepsDone: 4 });
  });

  it('keeps only the texts a data set names: a replaced import is not written', async () => {
    const a = await service.dispatch('datasets.importCsv', { fileName: 'a.csv', text: twoFeatureCsv(10) });
    const b = await service.dispatch('datasets.importCsv', { fileName: 'b.csv', text: twoFeatureCsv(12) });
    await service.dispatch('project.update', { dataset: a.dataset });
    await service.dispatch('project.update', { dataset: b.dataset });
    const { text } = await service.dispatch('project.serialize', {});
    const file = JSON.parse(text) as { csvTexts: Record<string, string> };
    expect(Object.values(file.csvTexts)).toEqual([twoFeatureCsv(12)]);
    // ... but the replaced text is still here to go back to (undo).
    await service.dispatch('project.update', { dataset: a.dataset });
    expect(Object.values((JSON.parse((await service.dispatch('project.serialize', {})).text) as typeof file).csvTexts)).toEqual([twoFeatureCsv(10)]);
  });

  it('refuses a data set naming a text the lab does not hold', async () => {
    const dataset = { csv: { fileName: 'gone.csv', sha256: 'a'.repeat(64), standardize: false } };
    await expect(service.dispatch('project.update', { dataset })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'the CSV file "gone.csv" is not embedded in this project: import it again on the Data view',
    });
  });

  it('refuses a project file whose data set names a text it lacks, with the field', async () => {
    const { text } = await service.dispatch('project.serialize', {});
    const doc = JSON.parse(text) as Record<string, unknown>;
    doc.dataset = { csv: { fileName: 'gone.csv', sha256: 'b'.repeat(64) } };
    await expect(service.dispatch('project.openText', { fileName: 'p.vglab', text: JSON.stringify(doc) })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('dataset.csv.sha256: names an embedded CSV ("gone.csv") that is not in csvTexts'),
    });
  });
});

describe('a project that names a CSV file beside it (before import existed)', () => {
  it('still previews and trains from the file, resolved relative to the project', async () => {
    writeFileSync(join(dir, 'beside.csv'), twoFeatureCsv(32, '\r\n'));
    const { text } = await service.dispatch('project.serialize', {});
    const doc = JSON.parse(text) as Record<string, unknown>;
    doc.dataset = { csv: { fileName: 'beside.csv', target: 'label' } };
    doc.network = network;
    const path = join(dir, 'old.vglab');
    writeFileSync(path, JSON.stringify(doc));
    const opened = await service.dispatch('project.open', { path });
    const preview = await service.dispatch('datasets.preview', { dataset: opened.project.dataset, maxRows: 5 });
    expect(preview.csv).toMatchObject({ fileName: 'beside.csv', rows: 32, task: 'classification' });
    expect(preview.csv?.bytes).toBeUndefined();
    expect(await trainSteps(3)).toMatchObject({ state: 'completed', stepsDone: 3 });
    // Saving again does not embed it: the project still names the file.
    await service.dispatch('project.save', {});
    expect(JSON.parse(readFileSync(path, 'utf8'))).not.toHaveProperty('csvTexts');
  });

  it('says where it looked when the file is missing', async () => {
    const { text } = await service.dispatch('project.serialize', {});
    const doc = JSON.parse(text) as Record<string, unknown>;
    doc.dataset = { csv: { fileName: 'missing.csv' } };
    const path = join(dir, 'old.vglab');
    writeFileSync(path, JSON.stringify(doc));
    const opened = await service.dispatch('project.open', { path });
    await expect(service.dispatch('datasets.preview', { dataset: opened.project.dataset })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining(`cannot read the CSV file ${join(dir, 'missing.csv')}`),
    });
  });
});

describe('datasets.importCsvDialog (desktop)', () => {
  /** The service as the desktop app makes it, its dialog answering `answer` (the Electron dialog cannot run here). */
  async function withDialog(answer: string | null): Promise<void> {
    await service.dispose();
    const never = async () => null;
    service = new LabService({
      mode: 'desktop',
      dataDir: join(dir, 'desk'),
      autosaveMs: 0,
      dialogs: { openProject: never, saveProject: never, openCsv: async () => answer },
    });
  }

  it('imports the chosen file by its name, and answers null when the student cancels', async () => {
    const path = join(dir, 'chosen.csv');
    writeFileSync(path, twoFeatureCsv(12));
    await withDialog(path);
    const imported = await service.dispatch('datasets.importCsvDialog', { target: 'x2' });
    expect(imported?.facts).toMatchObject({ fileName: 'chosen.csv', targetName: 'x2', rows: 12, task: 'regression' });
    await withDialog(null);
    expect(await service.dispatch('datasets.importCsvDialog', {})).toBeNull();
  });

  it('refuses a file over the cap by its size, before reading it', async () => {
    const path = join(dir, 'big.csv');
    writeFileSync(path, '');
    truncateSync(path, MAX_CSV_BYTES + 2 ** 20); // sparse: no 33 MiB written
    await withDialog(path);
    await expect(service.dispatch('datasets.importCsvDialog', {})).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^big\.csv is 33\.0 MiB; a project embeds CSV files of at most 32\.0 MiB\./),
    });
  });

  it('is unsupported in the browser, which uploads instead', async () => {
    await expect(service.dispatch('datasets.importCsvDialog', {})).rejects.toMatchObject({ code: 'unsupported' });
  });
});
