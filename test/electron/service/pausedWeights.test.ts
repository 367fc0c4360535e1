// A run saved while it stands paused keeps its network: the save asks its engine host
// for the weights as they are, the file holds them, and the reopened run (cancelled:
// the optimiser's state is not kept) answers questions exactly as the paused one did.
// A run saved while it trains still keeps none (its host is busy between two steps).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseProject } from '../../../core/project/migrate.ts';
import { LabService } from '../../../electron/service/labService.ts';
import { waitForEvent } from './serviceEvents.ts';

let dir: string;
let service: LabService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-paused-'));
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0 });
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const X = [0.3, -0.7, -0.1, 0.4];

describe('saving a paused run', () => {
  it('keeps its weights: reopened, it predicts what the paused run predicted', async () => {
    const { project } = await service.dispatch('project.get', {});
    const paused = await service.dispatch('runs.create', { label: 'paused', settings: { ...project.settings, steps: 1_000_000, trace_every: 10 } });
    const training = await service.dispatch('runs.create', { label: 'training', settings: { ...project.settings, steps: 1_000_000, trace_every: 10 } });
    await service.dispatch('runs.start', { runId: paused.id });
    await service.dispatch('runs.start', { runId: training.id });
    await waitForEvent(service, 'run.updated', (r) => r.id === paused.id && r.stepsDone > 50);
    const at = await service.dispatch('runs.pause', { runId: paused.id });
    expect(at.state).toBe('paused');
    const before = await service.dispatch('runs.predict', { runId: paused.id, x: X, rows: 2 });

    const path = join(dir, 'paused.vglab');
    await service.dispatch('project.saveAs', { path });
    const parsed = parseProject(readFileSync(path, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const byLabel = Object.fromEntries(parsed.project.runs.map((r) => [r.label, r]));
    expect(byLabel.paused).toMatchObject({ status: 'paused' });
    expect(Object.keys(byLabel.paused.weights ?? {})).not.toHaveLength(0);
    expect(byLabel.training.weights).toBeUndefined();

    await service.dispatch('project.new', {});
    const reopened = await service.dispatch('project.open', { path });
    const run = reopened.runs.find((r) => r.id === paused.id)!;
    expect(run).toMatchObject({ state: 'cancelled', stepsDone: at.stepsDone });
    const after = await service.dispatch('runs.predict', { runId: paused.id, x: X, rows: 2 });
    expect(Array.from(after.output)).toEqual(Array.from(before.output));
    // The run saved while it trained has no network to ask, and says so.
    await expect(service.dispatch('runs.predict', { runId: training.id, x: X, rows: 2 })).rejects.toThrow(/kept no weights/);
  });
});
