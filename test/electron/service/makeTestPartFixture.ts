// Writes test/fixtures/test-part/v1-test-part.vglab: a project saved by the lab with
// one completed run that held a quarter of its rows out for testing, so the file
// format of test evaluations stays readable (testPartFixture.test.ts). Run once by
// hand and commit the output; tests never regenerate it:
//   node --import tsx test/electron/service/makeTestPartFixture.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RunSummary } from '../../../core/api/labApi.ts';
import { LabService } from '../../../electron/service/labService.ts';

const OUT = join(import.meta.dirname, '..', '..', 'fixtures', 'test-part', 'v1-test-part.vglab');
const data = mkdtempSync(join(tmpdir(), 'vglab-fixture-'));
const service = new LabService({ mode: 'headless', dataDir: data, autosaveMs: 0 });
try {
  await service.dispatch('project.update', { name: 'Held-out test rows' });
  const state = await service.dispatch('project.get', {});
  const settings = { ...state.project.settings, steps: 40, batch_size: 16, trace_every: 5, test_fraction: 0.25, histogram: false };
  const run = await service.dispatch('runs.create', { label: 'Quarter held out', settings });
  const done = new Promise<void>((resolve) => {
    const off = service.subscribe((event, payload) => {
      const s = payload as RunSummary;
      if (event === 'run.updated' && s.id === run.id && s.state === 'completed') {
        off();
        resolve();
      }
    });
  });
  await service.dispatch('runs.start', { runId: run.id });
  await done;
  await service.dispatch('project.saveAs', { path: OUT });
  console.log(`wrote ${OUT}`);
} finally {
  await service.dispose();
  rmSync(data, { recursive: true, force: true });
}
