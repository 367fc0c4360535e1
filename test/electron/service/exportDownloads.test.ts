// A run's exports as downloads and through the desktop's save dialog, with a real
// run trained in a real engine host: export.tracesArchive holds, in one folder,
// exactly the files export.traces writes, byte for byte (with and without Parquet);
// export.tracesDialog saves that zip where the dialog says; export.pytorchSource is
// the text export.pytorch writes, under a name Python can import; a run without
// traces or weights is refused with its name; browser mode has no dialog.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LabError, type LabEvents, type RunSummary } from '../../../core/api/labApi.ts';
import { LabService, type ExportFileKind } from '../../../electron/service/labService.ts';

let dir: string;
let service: LabService;
let trained: RunSummary;
let untrained: RunSummary;

/** A run of the first lab's preset, 30 steps, trained to the end. */
async function trainRun(s: LabService): Promise<RunSummary> {
  const lab = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'labs', '01-see-the-vanishing.json'), 'utf8'));
  lab.id = 'download-lab';
  for (const step of lab.steps) if (step.preset) step.preset.settings.steps = 30;
  await s.dispatch('labs.openText', { text: JSON.stringify(lab), fileName: 'download.json' });
  const completed = new Promise<void>((resolve) => {
    const off = s.subscribe((event, payload) => {
      const r = payload as LabEvents['run.updated'];
      if (event === 'run.updated' && r.state === 'completed') {
        off();
        resolve();
      }
    });
  });
  const run = await s.dispatch('labs.startPreset', { labId: 'download-lab', presetId: 'shallow-sigmoid' });
  await completed;
  return s.dispatch('runs.rename', { runId: run.id, label: 'Sigmoid: 4 layers' });
}

async function rejection(p: Promise<unknown>): Promise<LabError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** Every file export.traces writes into a fresh folder, by name. */
async function folderExport(parquet: boolean): Promise<Map<string, Uint8Array>> {
  const out = mkdtempSync(join(dir, 'folder-'));
  await service.dispatch('export.traces', { runId: trained.id, dir: out, parquet });
  return new Map(readdirSync(out).map((name) => [name, new Uint8Array(readFileSync(join(out, name)))]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-export-downloads-'));
  service = new LabService({ mode: 'browser', dataDir: join(dir, 'data'), autosaveMs: 0 });
  trained = await trainRun(service);
  untrained = await service.dispatch('runs.create', {});
}, 60_000);

afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('export.tracesArchive', () => {
  it.each([false, true])('holds, in one folder, exactly the files export.traces writes, byte for byte (parquet %s)', async (parquet) => {
    const archive = await service.dispatch('export.tracesArchive', { runId: trained.id, parquet });
    expect(archive.fileName).toBe('Sigmoid- 4 layers-traces.zip');
    const entries = unzipSync(archive.zip);
    const written = await folderExport(parquet);
    expect(Object.keys(entries).sort()).toEqual([...written.keys()].map((name) => `Sigmoid- 4 layers-traces/${name}`).sort());
    for (const [name, bytes] of written) expect(entries[`Sigmoid- 4 layers-traces/${name}`], name).toEqual(bytes);
    expect(written.has('steps.parquet')).toBe(parquet);
    expect(written.has('steps.csv') && written.has('traces.json')).toBe(true);
  });

  it('refuses a run that has not trained, naming it', async () => {
    const e = await rejection(service.dispatch('export.tracesArchive', { runId: untrained.id }));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(`run "${untrained.label}" has no traces yet: train it first`);
  });
});

describe('export.pytorchSource', () => {
  it('is the module export.pytorch writes, under a file name Python can import', async () => {
    const file = await service.dispatch('export.pytorchSource', { runId: trained.id });
    expect(file.fileName).toBe('sigmoid_4_layers.py');
    const path = join(dir, 'module.py');
    await service.dispatch('export.pytorch', { runId: trained.id, path });
    expect(file.text).toBe(readFileSync(path, 'utf8'));
    expect(file.text).toContain('class VglabNet(nn.Module):');
  });

  it('refuses a run with no weights', async () => {
    const e = await rejection(service.dispatch('export.pytorchSource', { runId: untrained.id }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/has not trained yet/);
  });
});

describe('the desktop save dialog', () => {
  it('saves the traces zip and the module where the dialog says; nothing when cancelled', async () => {
    const asked: [string, ExportFileKind][] = [];
    let answer: string | null = join(dir, 'chosen.zip');
    const desktop = new LabService({
      mode: 'desktop',
      dataDir: join(dir, 'desktop-data'),
      autosaveMs: 0,
      dialogs: {
        openProject: async () => null,
        saveProject: async () => null,
        saveExport: async (name, kind) => {
          asked.push([name, kind]);
          return answer;
        },
      },
    });
    try {
      const run = await trainRun(desktop);
      const saved = await desktop.dispatch('export.tracesDialog', { runId: run.id, parquet: true });
      expect(saved?.files).toEqual([join(dir, 'chosen.zip')]);
      const entries = unzipSync(new Uint8Array(readFileSync(join(dir, 'chosen.zip'))));
      expect(Object.keys(entries)).toContain('Sigmoid- 4 layers-traces/params.parquet');
      const download = await desktop.dispatch('export.tracesArchive', { runId: run.id, parquet: true });
      expect(unzipSync(download.zip)).toEqual(entries);

      answer = join(dir, 'chosen.py');
      const module = await desktop.dispatch('export.pytorchDialog', { runId: run.id });
      expect(module?.files).toEqual([join(dir, 'chosen.py')]);
      expect(readFileSync(join(dir, 'chosen.py'), 'utf8')).toBe((await desktop.dispatch('export.pytorchSource', { runId: run.id })).text);
      expect(asked).toEqual([
        ['Sigmoid- 4 layers-traces.zip', 'zip'],
        ['sigmoid_4_layers.py', 'python'],
      ]);

      answer = null;
      expect(await desktop.dispatch('export.tracesDialog', { runId: run.id })).toBeNull();
      // No dialog for a run with nothing to export: the refusal comes first.
      const fresh = await desktop.dispatch('runs.create', {});
      expect((await rejection(desktop.dispatch('export.tracesDialog', { runId: fresh.id }))).code).toBe('conflict');
      expect(asked).toHaveLength(3);
    } finally {
      await desktop.dispose();
    }
  }, 60_000);

  it('does not exist in browser mode', async () => {
    const e = await rejection(service.dispatch('export.tracesDialog', { runId: trained.id }));
    expect(e.code).toBe('unsupported');
    expect((await rejection(service.dispatch('export.pytorchDialog', { runId: trained.id }))).code).toBe('unsupported');
  });
});
