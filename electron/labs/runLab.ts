/**
 * Runs a whole lab headless, in-process with the real addon: every step's preset is
 * trained as the lab states it (prepareRun + trainPrepared, as `vglab run` trains a
 * project), then every checkpoint is judged on those runs. Used by `vglab run
 * labs/LAB.json` and by the tests that keep the bundled labs honest.
 */
import { makeDataset } from '../../core/datasets/catalog.ts';
import { evaluateCheckpoints, type CheckpointResult, type LabRun } from '../../core/labs/checkpoints.ts';
import { labPresets, presetLabel, resolveNetwork } from '../../core/labs/presets.ts';
import type { Lab, LabPreset } from '../../core/labs/schema.ts';
import { prepareRun, trainPrepared, TrainInputError, type TrainedRun } from '../engine/trainer.ts';

export interface PresetRun {
  preset: LabPreset;
  label: string;
  run: LabRun;
  trained: TrainedRun;
  /** How the run ended (trained.result, here for the report). */
  result: TrainedRun['result'];
  /** Wall-clock time of data generation and training, ms. */
  millis: number;
}

export interface LabRunResult {
  lab: Lab;
  runs: PresetRun[];
  checkpoints: CheckpointResult[];
  millis: number;
}

export interface RunLabOptions {
  /** Presets trained at once (each training call runs on its own native worker); default 2. */
  concurrency?: number;
  /** Called when a preset starts and when it ends. */
  onPreset?: (event: { presetId: string; phase: 'start' | 'done'; index: number; count: number }) => void;
  signal?: AbortSignal;
}

async function trainPreset(preset: LabPreset, signal: AbortSignal | undefined): Promise<Omit<PresetRun, 'millis'>> {
  const resolved = resolveNetwork(preset.network, preset.settings);
  if (!resolved.ok) throw new TrainInputError(`preset "${preset.id}": ${resolved.errors.map((e) => e.message).join('; ')}`);
  let prepared;
  try {
    prepared = prepareRun(resolved.spec, preset.settings, makeDataset(preset.dataset.name, preset.dataset.options));
  } catch (e) {
    if (e instanceof Error) e.message = `preset "${preset.id}": ${e.message}`;
    throw e;
  }
  const trained = await trainPrepared(prepared, { signal });
  return {
    preset,
    label: presetLabel(preset),
    trained,
    result: trained.result,
    run: { spec: prepared.spec, plan: prepared.plan, traces: trained.traces, stopped: trained.result.stopped },
  };
}

/** Trains every preset of `lab` and judges every checkpoint; presets come back in step order. */
export async function runLab(lab: Lab, options: RunLabOptions = {}): Promise<LabRunResult> {
  const started = performance.now();
  const presets = labPresets(lab);
  const runs: PresetRun[] = new Array(presets.length);
  let next = 0;
  const worker = async () => {
    while (next < presets.length) {
      const index = next++;
      const preset = presets[index];
      options.onPreset?.({ presetId: preset.id, phase: 'start', index, count: presets.length });
      const t0 = performance.now();
      const done = await trainPreset(preset, options.signal);
      runs[index] = { ...done, millis: performance.now() - t0 };
      options.onPreset?.({ presetId: preset.id, phase: 'done', index, count: presets.length });
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 2, presets.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  const checkpoints = evaluateCheckpoints(lab, new Map(runs.map((r) => [r.preset.id, r.run])));
  return { lab, runs, checkpoints, millis: performance.now() - started };
}
