// LabService's projects through its public LabApi surface (dispatch with untrusted
// params, events), on real files in a temp folder.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { LabError, type LabEvent, type ProjectState } from '../../../core/api/labApi.ts';
import { LabService } from '../../../electron/service/labService.ts';

let dir: string;
let service: LabService;
let events: { event: LabEvent; payload: unknown }[];

function start(options: Partial<ConstructorParameters<typeof LabService>[0]> = {}): LabService {
  const s = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0, ...options });
  s.subscribe((event, payload) => events.push({ event, payload }));
  return s;
}

async function rejection(p: Promise<unknown>): Promise<LabError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    return e as LabError;
  }
  throw new Error('expected the call to be refused');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-service-'));
  events = [];
  service = start();
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('LabService projects', () => {
  it('starts with an untitled, clean, valid project', async () => {
    const s = await service.dispatch('project.get', {});
    expect(s.path).toBeNull();
    expect(s.dirty).toBe(false);
    expect((await service.dispatch('network.check', { network: s.project.network })).ok).toBe(true);
  });

  it('refuses bad params with the method and the field named', async () => {
    const e = await rejection(service.dispatch('project.update', { settings: { optimizer: { type: 'sgd', lr: -1 } } }));
    expect(e.code).toBe('invalid-input');
    expect(e.message).toMatch(/^project\.update: settings\.optimizer\.lr: /);
    expect((await rejection(service.dispatch('project.get', { extra: 1 }))).code).toBe('invalid-input');
    expect((await rejection(service.dispatch('runs.start', { runId: 'missing' }))).code).toBe('not-found');
  });

  it('saves, reopens and marks changes: dirty after an edit, clean after a save, events on each', async () => {
    await service.dispatch('project.update', { name: 'Mine' });
    expect((await service.dispatch('project.get', {})).dirty).toBe(true);
    expect((await rejection(service.dispatch('project.save', {}))).code).toBe('conflict');
    const saved = await service.dispatch('project.saveAs', { path: join(dir, 'mine') });
    expect(saved.path).toBe(join(dir, 'mine.vglab'));
    expect(saved.dirty).toBe(false);
    const changes = events.filter((e) => e.event === 'project.changed').map((e) => (e.payload as ProjectState).dirty);
    expect(changes).toEqual([true, false]);

    await service.dispatch('project.new', {});
    const reopened = await service.dispatch('project.open', { path: join(dir, 'mine.vglab') });
    expect(reopened.project.name).toBe('Mine');
    expect(reopened.dirty).toBe(false);
    expect((await service.dispatch('project.recent', {})).map((r) => r.path)).toEqual([join(dir, 'mine.vglab')]);
  });

  it('opens an example as an untitled copy and never writes into the examples', async () => {
    const examples = await service.dispatch('project.examples', {});
    expect(examples.map((e) => e.id)).toEqual(expect.arrayContaining(['deep-sigmoid-mlp', 'deep-relu-he', 'lstm-adding']));
    expect(examples.every((e) => e.description.length > 20)).toBe(true);
    const s = await service.dispatch('project.openExample', { id: 'deep-sigmoid-mlp' });
    expect(s.path).toBeNull();
    expect(s.project.name).toMatch(/sigmoid/i);
    expect((await rejection(service.dispatch('project.openExample', { id: '../package' }))).code).toBe('invalid-input');
    expect((await rejection(service.dispatch('project.openExample', { id: 'no-such-example' }))).code).toBe('not-found');
  });

  it('refuses a corrupt or newer file with a clear message, keeps the open project and leaves the file as it was', async () => {
    await service.dispatch('project.update', { name: 'Unsaved work' });
    const corrupt = join(dir, 'corrupt.vglab');
    writeFileSync(corrupt, '{"format": "vglab-project/1", "name": ');
    const newer = join(dir, 'newer.vglab');
    writeFileSync(newer, JSON.stringify({ format: 'vglab-project/9', name: 'from the future' }));
    const e1 = await rejection(service.dispatch('project.open', { path: corrupt }));
    expect(e1.code).toBe('invalid-input');
    expect(e1.message).toMatch(/corrupt\.vglab: .*line 1/);
    const e2 = await rejection(service.dispatch('project.open', { path: newer }));
    expect(e2.message).toMatch(/newer version/);
    expect((await rejection(service.dispatch('project.open', { path: join(dir, 'absent.vglab') }))).code).toBe('not-found');
    const s = await service.dispatch('project.get', {});
    expect(s.project.name).toBe('Unsaved work');
    expect(s.dirty).toBe(true);
    expect(readFileSync(corrupt, 'utf8')).toBe('{"format": "vglab-project/1", "name": ');
  });

  it('opens uploaded text and serialises for download (browser mode)', async () => {
    const example = readFileSync(new URL('../../../examples/deep-relu-he.vglab', import.meta.url), 'utf8');
    const s = await service.dispatch('project.openText', { text: example, fileName: 'deep-relu-he.vglab' });
    expect(s.project.name).toMatch(/ReLU/);
    const out = await service.dispatch('project.serialize', {});
    expect(out.fileName).toBe('The same MLP with ReLU and He initialisation.vglab');
    expect(JSON.parse(out.text).network).toEqual(JSON.parse(example).network);
    const bad = await rejection(service.dispatch('project.openText', { text: 'garbage', fileName: 'x.vglab' }));
    expect(bad.message).toMatch(/^x\.vglab: /);
  });

  it('autosaves unsaved changes, offers them after a crash, and a save discards them', async () => {
    const path = join(dir, 'lab.vglab');
    await service.dispatch('project.saveAs', { path });
    await service.dispatch('project.update', { name: 'Edited after saving' });
    expect(service.autosaveNow()).toBe(true);
    // Make the autosave clearly newer than the file, as it is after minutes of work.
    const past = new Date(Date.now() - 60_000);
    utimesSync(path, past, past);

    // A new service, as after a crash: the old one never saved.
    const next = start();
    try {
      const offers = await next.dispatch('project.recoveries', {});
      expect(offers).toHaveLength(1);
      expect(offers[0].path).toBe(path);
      expect(offers[0].name).toBe('Edited after saving');
      const recovered = await next.dispatch('project.recover', { recoveryPath: offers[0].recoveryPath });
      expect(recovered.project.name).toBe('Edited after saving');
      expect(recovered.path).toBe(path);
      expect(recovered.dirty).toBe(true);
      await next.dispatch('project.save', {});
      expect(await next.dispatch('project.recoveries', {})).toEqual([]);
      expect(readdirSync(dir).filter((n) => n.endsWith('.recovery'))).toEqual([]);
    } finally {
      await next.dispose();
    }
  });

  it('a download saved as the Save of browser mode clears the unsaved mark; Don\'t Save leaves no recovery', async () => {
    await service.dispatch('project.update', { name: 'Downloaded' });
    await service.dispatch('project.serialize', {});
    expect((await service.dispatch('project.get', {})).dirty).toBe(true);
    await service.dispatch('project.serialize', { asSaved: true });
    expect((await service.dispatch('project.get', {})).dirty).toBe(false);

    await service.dispatch('project.update', { name: 'Thrown away' });
    expect(service.autosaveNow()).toBe(true);
    service.discardUnsavedChanges();
    await service.dispose();
    service = start();
    expect(await service.dispatch('project.recoveries', {})).toEqual([]);
  });

  it('keeps an untitled project recoverable too, and discards a recovery on request', async () => {
    await service.dispatch('project.update', { name: 'Never saved' });
    await service.dispose(); // a clean quit without saving writes the autosave one last time
    service = start();
    const offers = await service.dispatch('project.recoveries', {});
    expect(offers.map((o) => [o.name, o.path])).toEqual([['Never saved', null]]);
    expect(await service.dispatch('project.discardRecovery', { recoveryPath: offers[0].recoveryPath })).toEqual([]);
    const e = await rejection(service.dispatch('project.recover', { recoveryPath: offers[0].recoveryPath }));
    expect(e.code).toBe('not-found');
  });

  it('reports file dialogs as unsupported without a desktop host, and uses them when given', async () => {
    expect((await rejection(service.dispatch('project.openDialog', {}))).code).toBe('unsupported');
    expect((await service.dispatch('app.info', {})).dialogs).toBe(false);
    const target = join(dir, 'picked.vglab');
    const desktop = start({ dialogs: { openProject: async () => null, saveProject: async () => target } });
    try {
      expect(await desktop.dispatch('project.openDialog', {})).toBeNull();
      const saved = await desktop.dispatch('project.saveDialog', {});
      expect(saved?.path).toBe(target);
    } finally {
      await desktop.dispose();
    }
  });

  it('previews a data set and names a bad option', async () => {
    const p = await service.dispatch('datasets.preview', { dataset: { name: 'spiral', options: { n: 90 } }, maxRows: 50 });
    expect(p.rows).toBe(50);
    expect(p.totalRows).toBe(90);
    expect(p.x.length).toBe(100);
    const e = await rejection(service.dispatch('project.update', { dataset: { name: 'spiral', options: { noise: -1 } } }));
    expect(e.message).toMatch(/noise/);
  });
});
