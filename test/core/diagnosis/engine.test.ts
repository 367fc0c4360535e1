// diagnose() on traces from the real native engine (out/native/Release), training the
// example projects: the deep sigmoid MLP must read as vanishing because of its
// sigmoid layers, its ReLU/He twin must not, and the one-click ReLU/He fix must turn
// the first into a network that no longer vanishes. (It lives with the diagnosis
// tests, which it specifies, rather than in test/engine, which tests the addon.)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { makeDataset } from '../../../core/datasets/catalog.ts';
import { diagnose } from '../../../core/diagnosis/diagnose.ts';
import type { Diagnosis } from '../../../core/diagnosis/types.ts';
import type { NetworkSpec } from '../../../core/network/spec.ts';
import type { TrainingSettings } from '../../../core/training/settings.ts';
import { prepareRun, trainPrepared } from '../../../electron/engine/trainer.ts';

interface ExampleProject {
  network: unknown;
  settings: Record<string, unknown>;
  dataset: { name: string; options: Record<string, unknown> };
}

function example(name: string): ExampleProject {
  const path = fileURLToPath(new URL(`../../../examples/${name}.vglab`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as ExampleProject;
}

const STEPS = 100;

/** Trains `network` with the project's data set and settings for STEPS steps, then diagnoses the run. */
async function trainAndDiagnose(project: ExampleProject, network: unknown = project.network, settings: unknown = project.settings) {
  const dataset = makeDataset(project.dataset.name, project.dataset.options);
  const run = prepareRun(network, { ...(settings as object), steps: STEPS }, dataset);
  const { traces, result } = await trainPrepared(run);
  expect(result.stopped).toBe('completed');
  const diagnosis: Diagnosis = diagnose({ spec: run.spec, plan: run.plan, settings: run.settings, traces });
  return { run, diagnosis };
}

describe('diagnose on the real engine', () => {
  it('says the deep sigmoid example vanishes, because of its sigmoid layers, and offers ReLU/He', async () => {
    const { diagnosis } = await trainAndDiagnose(example('deep-sigmoid-mlp'));
    expect(diagnosis.status).toBe('vanishing');
    expect(diagnosis.step).toBe(90);
    const f = diagnosis.findings.find((x) => x.kind === 'vanishing-layers' || x.kind === 'vanishing-stuck');
    expect(f?.severity).toBe('problem');
    expect(f?.causes.map((c) => c.id)).toContain('sigmoid-chain');
    expect(f?.causes.find((c) => c.id === 'sigmoid-chain')?.nodeIds).toHaveLength(10);
    expect(f?.fixes.map((x) => x.id)).toEqual(expect.arrayContaining(['relu-he', 'batchnorm', 'residual']));
  });

  it('does not call the ReLU/He example vanishing', async () => {
    const { diagnosis } = await trainAndDiagnose(example('deep-relu-he'));
    expect(diagnosis.status).not.toBe('vanishing');
    expect(diagnosis.findings.filter((f) => f.severity === 'problem')).toEqual([]);
  });

  it('clears the vanishing gradient of the sigmoid example with its own ReLU/He fix', async () => {
    const project = example('deep-sigmoid-mlp');
    const { run, diagnosis } = await trainAndDiagnose(project);
    const fix = diagnosis.findings.flatMap((f) => f.fixes).find((x) => x.id === 'relu-he');
    if (!fix) throw new Error('no relu-he fix offered');
    const fixed: { spec: NetworkSpec; settings: TrainingSettings } = fix.apply(run.spec, run.settings);
    const after = await trainAndDiagnose(project, fixed.spec, fixed.settings);
    expect(after.diagnosis.status).not.toBe('vanishing');
  });

  it('sees the plain RNN example lose its gradient through time, and offers LSTM and GRU', async () => {
    const { diagnosis } = await trainAndDiagnose(example('rnn-adding'));
    expect(diagnosis.status).toBe('vanishing');
    const f = diagnosis.findings.find((x) => x.id === 'vanishing-through-time:rnn');
    expect(f?.evidence.values.horizon).toBeLessThan(50);
    expect(f?.fixes.map((x) => x.id)).toEqual(['lstm', 'gru']);
  });
});
