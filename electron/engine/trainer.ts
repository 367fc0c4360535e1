/**
 * Trains a network on a data set with the native engine, validating everything in
 * TypeScript first (so messages name the node and field before anything native runs)
 * and gathering the streamed traces into TraceColumns. Shared by the CLI and, later,
 * the lab service.
 */
import { type Dataset, splitTrainTest } from '../../core/datasets/dataset.ts';
import type { NetworkSpec } from '../../core/network/spec.ts';
import { targetLayout, validateNetwork, type NetworkPlan } from '../../core/network/validate.ts';
import { TraceAccumulator } from '../../core/traces/accumulator.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import { recurrentLayouts, type RecurrentLayout, type TraceColumns } from '../../core/traces/metrics.ts';
import { type TrainingSettings, validateTrainingSettings } from '../../core/training/settings.ts';
import { loadAddon, type NativeNetwork, type NativeNetworkInfo, type NativeTrainResult } from './addon.ts';
import { type HeldOut, heldOutFor, trainEvaluating } from './heldOut.ts';

/** Bad input to a training run: the message names the field (one line per problem). */
export class TrainInputError extends Error {
  readonly code = 'VGLAB_INVALID_INPUT';
}

export interface PreparedRun {
  net: NativeNetwork;
  info: NativeNetworkInfo;
  spec: NetworkSpec;
  plan: NetworkPlan;
  settings: TrainingSettings;
  recurrent: RecurrentLayout[];
  /** The test part and its evaluations (settings.test_fraction > 0); null when every row trains. */
  heldOut: HeldOut | null;
}

function checkTask(spec: NetworkSpec, plan: NetworkPlan, dataset: Dataset): void {
  const loss = spec.loss.type;
  const outputs = plan.shapes[plan.output];
  if (loss === 'softmax_cross_entropy' && dataset.task !== 'classification') {
    throw new TrainInputError(`the "${dataset.name}" data set is a regression task; use the mse loss, not softmax_cross_entropy`);
  }
  if (loss === 'softmax_cross_entropy' && dataset.classes > outputs) {
    throw new TrainInputError(`the "${dataset.name}" data set has ${dataset.classes} classes; the network has only ${outputs} outputs`);
  }
  // The data sets give one target per sample; a per-timestep output would need one per step.
  const layout = targetLayout(plan, loss);
  if (layout.count !== 1) {
    throw new TrainInputError(
      `node "${plan.output}": the network predicts ${layout.count} values per sample (shape [${layout.shape.join(', ')}]); the "${dataset.name}" data set has one target per sample`,
    );
  }
}

function checkSequence(plan: NetworkPlan, dataset: Dataset): void {
  const input = plan.input;
  const steps = dataset.steps;
  if (plan.sequence[input] && steps === undefined) {
    throw new TrainInputError(
      `node "${input}": the network reads sequences of ${plan.time[input]} steps; the "${dataset.name}" data set has one vector per sample`,
    );
  }
  if (!plan.sequence[input] && steps !== undefined) {
    throw new TrainInputError(
      `node "${input}": the "${dataset.name}" data set holds sequences of ${steps} steps; give the input node sequence_length ${steps}`,
    );
  }
  if (steps !== undefined && steps !== plan.time[input]) {
    throw new TrainInputError(
      `node "${input}": sequence_length is ${plan.time[input]}; the "${dataset.name}" data set has sequences of ${steps} steps`,
    );
  }
}

/** Validates and compiles; loads the data set and settings into a native network. */
export function prepareRun(
  network: unknown,
  settingsInput: unknown,
  dataset: Dataset,
  options: { memoryCapBytes?: number } = {},
): PreparedRun {
  const v = validateNetwork(network);
  if (!v.ok) throw new TrainInputError(v.errors.map((e) => e.message).join('\n'));
  const s = validateTrainingSettings(settingsInput);
  if (!s.ok) throw new TrainInputError(s.errors.map((e) => e.message).join('\n'));
  const { spec, plan } = v;
  const settings = s.settings;
  const inputs = plan.shapes[plan.input];
  if (inputs !== dataset.features) {
    throw new TrainInputError(
      `node "${plan.input}": the network takes ${inputs} features; the "${dataset.name}" data set has ${dataset.features}`,
    );
  }
  checkSequence(plan, dataset);
  checkTask(spec, plan, dataset);

  // With a test part the engine is given only the training rows: it cannot see a test row, let alone train on one.
  // A fraction that rounds to no test row keeps no test part: the run trains as at test_fraction 0.
  const drawn = settings.test_fraction > 0 ? splitTrainTest(dataset, settings.test_fraction, settings.seed) : null;
  const split = drawn && drawn.test.n > 0 ? drawn : null;
  const train = split ? split.train : dataset;
  const { Network } = loadAddon();
  const net = new Network(spec, { seed: settings.seed, ...options });
  const y = train.y;
  if (spec.loss.type === 'softmax_cross_entropy') net.setData(train.x, train.n, { labels: y as Int32Array });
  else net.setData(train.x, train.n, { targets: Float32Array.from(y) });
  net.setOptimizer({ ...settings.optimizer, ...(settings.clip_norm ? { clip_norm: settings.clip_norm } : {}) });
  net.configure({
    batch_size: settings.batch_size,
    trace_every: settings.trace_every,
    histogram: settings.histogram,
    activation_stats: settings.activation_stats,
  });
  const info = net.info();
  const heldOut = split ? heldOutFor(split.test, settings, spec.loss.type, info.outputFeatures) : null;
  return { net, info, spec, plan, settings, recurrent: recurrentLayouts(spec, plan), heldOut };
}

export interface TrainedRun {
  info: NativeNetworkInfo;
  result: NativeTrainResult;
  traces: TraceColumns;
}

export interface TrainOptions {
  /** Called on the JS thread for every chunk (at most ~30 a second). */
  onChunk?: (chunk: TraceChunk, stepsDone: number) => void;
  /** Aborting cancels the run after its current step; the promise then resolves with stopped "cancelled". */
  signal?: AbortSignal;
}

/** Trains `run` for its settings' steps. */
export async function trainPrepared(run: PreparedRun, options: TrainOptions = {}): Promise<TrainedRun> {
  const acc = new TraceAccumulator(run.info.traceNodeIds, run.info.traceParamNames, run.recurrent);
  const onAbort = () => run.net.cancel();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const onChunk = (chunk: TraceChunk) => {
      acc.append(chunk);
      options.onChunk?.(chunk, acc.stepCount);
    };
    const result = await trainEvaluating(run, run.settings.steps, onChunk, () => options.signal?.aborted ?? false);
    return { info: run.info, result, traces: acc.columnsSoFar() };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
