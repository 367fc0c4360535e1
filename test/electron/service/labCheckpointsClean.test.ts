// labs.checkpoints only looks: measuring a lab's checkpoints never makes a saved
// project unsaved, and the verdicts it keeps in memory still reach the file with
// the next save. Real engine host processes, lab 01 shortened to 40 steps a preset.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LabEvents, RunSummary } from '../../../core/api/labApi.ts';
import { LabService } from '../../../electron/service/labService.ts';

const LAB_FILE = new URL('../../../labs/01-see-the-vanishing.json', import.meta.url);

let dir: string;
let service: LabService;

/** Resolves once every run in `ids` has reached a final state. */
function allFinished(ids: string[], timeoutMs = 60_000): Promise<void> {
  const FINAL = new Set(['completed', 'diverged', 'failed', 'cancelled']);
  return new Promise((resolve, reject) => {
    const check = async () => {
      const list = await service.dispatch('runs.list', {});
      if (ids.every((id) => FINAL.has(list.find((r: RunSummary) => r.id === id)?.state ?? ''))) {
        off();
        clearTimeout(timer);
        resolve();
      }
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`runs ${ids.join(', ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = service.subscribe((event, payload) => {
      if (event === 'run.updated' && ids.includes((payload as LabEvents['run.updated']).id)) void check();
    });
    void check();
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-lab-clean-'));
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0 });
});

afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('labs.checkpoints and the unsaved state', () => {
  it('leaves a saved project clean, and the verdicts are written with the next save', async () => {
    const lab = JSON.parse(readFileSync(LAB_FILE, 'utf8'));
    lab.id = 'short-lab';
    for (const step of lab.steps) if (step.preset) step.preset.settings.steps = 40;
    await service.dispatch('labs.openText', { text: JSON.stringify(lab), fileName: 'short.json' });
    const presets: string[] = lab.steps.filter((s: { preset?: unknown }) => s.preset).map((s: { preset: { id: string } }) => s.preset.id);
    const runs = await Promise.all(presets.map((presetId) => service.dispatch('labs.startPreset', { labId: 'short-lab', presetId })));
    await allFinished(runs.map((r) => r.id));

    const path = join(dir, 'student.vglab');
    expect((await service.dispatch('project.saveAs', { path })).dirty).toBe(false);

    const events: boolean[] = [];
    const off = service.subscribe((event, payload) => {
      if (event === 'project.changed') events.push((payload as LabEvents['project.changed']).dirty);
    });
    const results = await service.dispatch('labs.checkpoints', { labId: 'short-lab' });
    await service.dispatch('labs.checkpoints', { labId: 'short-lab' });
    off();
    const judged = results.filter((r) => r.verdict !== 'not-yet');
    expect(judged.length).toBe(lab.checkpoints.reduce((n: number, c: { presets: string[] }) => n + c.presets.length, 0));
    expect(service.dirty).toBe(false);
    expect((await service.dispatch('project.get', {})).dirty).toBe(false);
    expect(events).not.toContain(true);
    // The file on disk does not have them yet: nothing was written behind the student's back.
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(onDisk.labProgress?.['short-lab']?.checkpointResults).toBeUndefined();

    // A real edit and save carries the verdicts along.
    await service.dispatch('project.update', { name: 'Lab 1, my work' });
    expect(service.dirty).toBe(true);
    await service.dispatch('project.save', {});
    await service.dispatch('project.new', {});
    const reopened = await service.dispatch('project.open', { path });
    const stored = reopened.project.labProgress?.['short-lab']?.checkpointResults ?? [];
    expect(stored.map((r) => `${r.checkpointId}/${r.presetId}:${r.passed}`).sort()).toEqual(
      judged.map((r) => `${r.checkpointId}/${r.presetId}:${r.passed}`).sort(),
    );
    expect(reopened.dirty).toBe(false);
  }, 90_000);
});
