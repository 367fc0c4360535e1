// A run with test_fraction through the LabService and a real engine host: the test
// evaluations stream in run.traces, gather in runs.traces, give the summary its
// lastTest, agree with the trained network asked through runs.predict, and survive
// save and reopen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LabEvent, LabEvents, RunSummary } from '../../../core/api/labApi.ts';
import { makeDataset } from '../../../core/datasets/catalog.ts';
import { splitTrainTest } from '../../../core/datasets/dataset.ts';
import type { TraceChunk } from '../../../core/traces/chunk.ts';
import { lossOnRows } from '../../../core/training/lossOnRows.ts';
import { LabService } from '../../../electron/service/labService.ts';

let dir: string;
let service: LabService;
let chunks: TraceChunk[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-test-part-'));
  chunks = [];
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0 });
  service.subscribe((event: LabEvent, payload: unknown) => {
    if (event === 'run.traces') chunks.push((payload as LabEvents['run.traces']).chunk);
  });
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function finished(runId: string): Promise<RunSummary> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the run did not complete within 60 s')), 60_000);
    const off = service.subscribe((event, payload) => {
      const run = payload as RunSummary;
      if (event !== 'run.updated' || run.id !== runId || !['completed', 'failed', 'diverged'].includes(run.state)) return;
      clearTimeout(timer);
      off();
      resolve(run);
    });
  });
}

describe('a run with a test part in the lab', () => {
  it('streams its evaluations, sums them up in the summary, matches runs.predict, and keeps them through save and reopen', async () => {
    const state = await service.dispatch('project.get', {});
    const settings = { ...state.project.settings, steps: 200, batch_size: 32, trace_every: 5, test_fraction: 0.25 };
    const run = await service.dispatch('runs.create', { settings });
    const done = finished(run.id);
    await service.dispatch('runs.start', { runId: run.id });
    const final = await done;
    expect(final.error).toBeUndefined();
    expect(final.state).toBe('completed');

    const streamed = chunks.flatMap((c) => (c.evaluation ? Array.from(c.evaluation.steps) : []));
    const { traces } = await service.dispatch('runs.traces', { runId: run.id });
    const ev = traces!.evaluation!;
    expect(Array.from(ev.steps)).toEqual(streamed);
    expect(ev.steps[0]).toBe(0);
    expect(ev.steps.at(-1)).toBe(200);
    expect(final.lastTest).toEqual({ step: 200, loss: ev.metrics.test_loss.at(-1), accuracy: ev.metrics.test_accuracy.at(-1) });

    // The trained network, asked through the lab about the test rows, scores what the run measured.
    const dataset = state.project.dataset;
    if (!('name' in dataset)) throw new Error('the default project trains on a built-in data set');
    const test = splitTrainTest(makeDataset(dataset.name, dataset.options), 0.25, settings.seed).test;
    const prediction = await service.dispatch('runs.predict', { runId: run.id, x: test.x, rows: test.n });
    const network = state.project.network;
    const score = lossOnRows(network.loss.type, prediction.output, test.y, test.n, prediction.output.length / test.n);
    expect(ev.metrics.test_loss.at(-1)).toBeCloseTo(score.loss, 5);
    expect(ev.metrics.test_accuracy.at(-1)).toBeCloseTo(score.accuracy, 6);

    const path = join(dir, 'held.vglab');
    await service.dispatch('project.saveAs', { path });
    await service.dispatch('project.new', {});
    const reopened = await service.dispatch('project.open', { path });
    expect(reopened.runs[0]!.lastTest).toEqual(final.lastTest);
    const again = (await service.dispatch('runs.traces', { runId: run.id })).traces!.evaluation!;
    expect(Array.from(again.steps)).toEqual(Array.from(ev.steps));
    expect(Array.from(again.metrics.test_loss)).toEqual(Array.from(ev.metrics.test_loss));
    expect(Array.from(again.metrics.test_accuracy)).toEqual(Array.from(ev.metrics.test_accuracy));
  });
});
