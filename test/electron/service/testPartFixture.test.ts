// Project files and test evaluations: a file saved with a run's evaluations
// (fixtures/test-part, written by makeTestPartFixture.ts) opens with them and keeps
// them exactly through save and open; every file from before evaluations existed
// (fixtures/projects/v1-*) still opens, its runs without evaluations or test figures.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseProject } from '../../../core/project/migrate.ts';
import { decodeTraces } from '../../../core/project/traceCodec.ts';
import { LabService } from '../../../electron/service/labService.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const TEST_PART = join(FIXTURES, 'test-part', 'v1-test-part.vglab');
const OLDER = readdirSync(join(FIXTURES, 'projects')).filter((n) => /^v1-.*\.vglab$/.test(n));

let dir: string;
let service: LabService;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-test-part-fixture-'));
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0 });
});
afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a project saved with test evaluations', () => {
  it('opens with them, the summary gives the last, and save + open keeps them exactly', async () => {
    const parsed = parseProject(readFileSync(TEST_PART, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const stored = decodeTraces(parsed.project.runs[0]!.traces!).evaluation!;
    expect(Array.from(stored.steps)).toEqual([0, 25, 40]);

    const path = join(dir, 'held.vglab');
    copyFileSync(TEST_PART, path);
    const state = await service.dispatch('project.open', { path });
    const run = state.runs[0]!;
    expect(run.settings.test_fraction).toBe(0.25);
    expect(run.lastTest).toEqual({ step: 40, loss: stored.metrics.test_loss[2], accuracy: stored.metrics.test_accuracy[2] });
    const opened = (await service.dispatch('runs.traces', { runId: run.id })).traces!.evaluation!;
    expect(opened).toEqual(stored);

    const again = join(dir, 'again.vglab');
    await service.dispatch('project.saveAs', { path: again });
    await service.dispatch('project.new', {});
    const reopened = await service.dispatch('project.open', { path: again });
    expect((await service.dispatch('runs.traces', { runId: reopened.runs[0]!.id })).traces!.evaluation).toEqual(stored);
  });
});

describe.each(OLDER)('%s, from before test evaluations', (name) => {
  it('opens, its runs without evaluations or test figures', async () => {
    const path = join(dir, name);
    copyFileSync(join(FIXTURES, 'projects', name), path);
    const state = await service.dispatch('project.open', { path });
    for (const run of state.runs) {
      expect(run.lastTest, run.id).toBeUndefined();
      const { traces } = await service.dispatch('runs.traces', { runId: run.id });
      expect(traces?.evaluation, run.id).toBeUndefined();
    }
  });
});
