// The project store against the real LabService (in-process, browser mode, no
// engine): loading, examples, settings edits, debounced designer edits that only
// send schema-valid networks, positions, and browser-mode save as a download.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { NetworkSpecInput } from '../../../core/network/spec.ts';
import { LabService } from '../../../electron/service/labService.ts';
import { installLab } from '../../../renderer/src/api/api.ts';
import { EDIT_DEBOUNCE_MS, useProjectStore } from '../../../renderer/src/stores/project.ts';
import { useUiStore } from '../../../renderer/src/stores/ui.ts';
import { backendClient } from '../helpers.ts';

const downloads = vi.hoisted(() => [] as { fileName: string; text: string }[]);
vi.mock('../../../renderer/src/files/download.ts', () => ({
  downloadText: (fileName: string, text: string) => downloads.push({ fileName, text }),
}));

let dir: string;
let service: LabService;
let updates: unknown[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-renderer-'));
  service = new LabService({ mode: 'browser', dataDir: dir, autosaveMs: 0 });
  updates = [];
  const client = backendClient(service);
  const invoke = client.invoke.bind(client);
  client.invoke = ((method, params) => {
    if (method === 'project.update') updates.push(params);
    return invoke(method, params);
  }) as typeof client.invoke;
  installLab(client);
  setActivePinia(createPinia());
  downloads.length = 0;
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openedExample() {
  const project = useProjectStore();
  project.listen();
  await project.load();
  expect(await project.openExample('deep-sigmoid-mlp')).toBe(true);
  return project;
}

describe('project store', () => {
  it('loads the app info (browser mode: no native dialogs) and the examples', async () => {
    const project = useProjectStore();
    await project.load();
    expect(project.appInfo?.mode).toBe('browser');
    expect(project.dialogs).toBe(false);
    expect(project.examples.map((e) => e.id)).toContain('deep-sigmoid-mlp');
    expect(project.network?.nodes.length).toBeGreaterThan(0);
  });

  it('opens an example', async () => {
    const project = await openedExample();
    expect(project.name).toMatch(/Deep sigmoid/);
    expect(project.path).toBeNull();
  });

  it('sends a settings change and shows the lab’s answer, marked unsaved', async () => {
    const project = await openedExample();
    const settings = { ...project.project!.settings, steps: 77 };
    expect(await project.update({ settings })).toBe(true);
    expect(project.project!.settings.steps).toBe(77);
    expect(project.dirty).toBe(true);
  });

  it('shows a refused update as an error and keeps the project as it was', async () => {
    const project = await openedExample();
    const before = project.project!.settings.batch_size;
    const bad = { ...project.project!.settings, batch_size: 0 };
    expect(await project.update({ settings: bad })).toBe(false);
    expect(useUiStore().errors[0]?.text).toMatch(/batch_size/);
    expect(project.project!.settings.batch_size).toBe(before);
  });

  it('debounces designer edits: a burst of networks is sent once, the last one', async () => {
    const project = await openedExample();
    const base = project.network as NetworkSpecInput;
    for (const name of ['a', 'b', 'c']) project.editNetwork({ ...base, name });
    expect(project.network?.name).toBe('c'); // the designer sees its own edit at once
    expect(updates).toEqual([]);
    await wait(EDIT_DEBOUNCE_MS + 150);
    expect(updates).toHaveLength(1);
    expect((updates[0] as { network: NetworkSpecInput }).network.name).toBe('c');
    expect(project.project!.network.name).toBe('c');
    expect(project.pendingNetwork).toBeNull();
  });

  it('never sends a network that breaks the schema; it says what is wrong', async () => {
    const project = await openedExample();
    const base = project.network as NetworkSpecInput;
    project.editNetwork({ ...base, format: 'nonsense' } as unknown as NetworkSpecInput);
    await wait(EDIT_DEBOUNCE_MS + 100);
    expect(updates).toEqual([]);
    expect(project.networkError).toMatch(/^format: /);
  });

  it('keeps designer positions in the project', async () => {
    const project = await openedExample();
    project.editPositions({ x: { x: 10, y: 20 } });
    expect(project.positions).toEqual({ x: { x: 10, y: 20 } });
    project.flushEdits();
    await wait(50);
    expect(project.project!.designer?.positions).toEqual({ x: { x: 10, y: 20 } });
  });

  it('saves in browser mode as a download of the project file', async () => {
    const project = await openedExample();
    expect(await project.save()).toBe(true);
    expect(downloads).toHaveLength(1);
    expect(downloads[0].fileName).toMatch(/\.vglab$/);
    expect(JSON.parse(downloads[0].text).format).toBe('vglab-project/1');
  });

  it('follows project.changed events from the lab', async () => {
    const project = useProjectStore();
    project.listen();
    await project.load();
    await service.dispatch('project.update', { name: 'Renamed elsewhere' });
    expect(project.name).toBe('Renamed elsewhere');
  });
});
