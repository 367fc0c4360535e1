/**
 * The native engine (native/binding) as TypeScript sees it, and its loader. This is
 * the only module that touches the .node file; everything else imports these types.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { NumericTable } from '../../core/datasets/table.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';

export type IsaName = 'scalar' | 'neon' | 'avx2' | 'avx512';

export interface NativeNodeInfo {
  id: string;
  type: string;
  features: number;
  /** Timesteps per sample of the output (1 without a time axis). */
  time: number;
  /** The output has a time axis. */
  sequence: boolean;
  inputs: string[];
}

/** A recurrent node as the trace columns list it. */
export interface NativeRecurrentInfo {
  id: string;
  /** Its sequence length: timestep_grad_norm has this many values per traced row. */
  time: number;
  /** Gates in gate_saturation (LSTM 4: i, f, g, o; GRU 3: r, z, n; RNN 0). */
  gates: number;
}

export interface NativeParamInfo {
  /** "<node id>.<weight>" */
  name: string;
  node: string;
  weight: string;
  rows: number;
  cols: number;
  trainable: boolean;
}

export interface NativeNetworkInfo {
  nodes: NativeNodeInfo[];
  params: NativeParamInfo[];
  inputFeatures: number;
  outputFeatures: number;
  /** Timesteps per sample of the input (its sequence_length, 1 without one) and of the output. */
  inputTime: number;
  outputTime: number;
  output: string;
  loss: 'softmax_cross_entropy' | 'mse' | 'bce_with_logits';
  parameterCount: number;
  /** Entities of the trace columns, in column order. */
  traceNodeIds: string[];
  traceParamNames: string[];
  traceRecurrent: NativeRecurrentInfo[];
}

export interface NativeOptimizer {
  type: 'sgd' | 'momentum' | 'adam';
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weight_decay?: number;
  clip_norm?: number;
}

export interface NativeTrainSettings {
  batch_size?: number;
  trace_every?: number;
  histogram?: boolean;
  /** Activation mean, std and saturation per node on traced steps (default true). */
  activation_stats?: boolean;
}

/**
 * Class labels for softmax cross-entropy (one per sample, or one per timestep of a
 * sequence output), values (rows x outputTime x outputs) otherwise.
 */
export type NativeTargets = { labels: Int32Array } | { targets: Float32Array };

export interface NativeStepOutcome {
  loss: number;
  accuracy: number;
  traced: boolean;
  diverged: boolean;
  divergence?: string;
}

export interface NativeTrainResult {
  steps: number;
  stopped: 'completed' | 'cancelled' | 'diverged';
  divergence?: string;
}

export interface NativeEvaluation {
  loss: number;
  accuracy: number;
  output: Float32Array;
  inputGrad: Float32Array;
  /** Per plan node (info().nodes order), ||dL/d output||. */
  nodeGradNorms: Float64Array;
  /** Per plan parameter (info().params order); 0 for non-trainable state. */
  paramGradNorms: Float64Array;
  paramGrads: Record<string, Float32Array>;
  /** Per recurrent node id: ||dL/dh_t|| over the batch for every timestep (total derivative). */
  timestepGradNorms: Record<string, Float64Array>;
}

export interface NativeJacobianSpectra {
  samples: number;
  /** Singular values of d output / d input: min(out, in) per sample, descending within each sample. */
  network: Float64Array;
  /** The same for each node's own Jacobian (input and add nodes absent). */
  nodes: Record<string, Float64Array>;
}

export interface NativeNetwork {
  info(): NativeNetworkInfo;
  setData(x: Float32Array, rows: number, targets: NativeTargets): void;
  setOptimizer(optimizer: NativeOptimizer): void;
  configure(settings: NativeTrainSettings): void;
  step(): NativeStepOutcome;
  runSteps(steps: number): NativeStepOutcome;
  train(steps: number, onChunk?: (chunk: TraceChunk) => void): Promise<NativeTrainResult>;
  /** Asks a running train() to stop after the current step; true when one was running. */
  cancel(): boolean;
  traces(stepFrom?: number, rowFrom?: number): TraceChunk;
  evaluate(x: Float32Array, rows: number, targets: NativeTargets, trainMode?: boolean): NativeEvaluation;
  predict(x: Float32Array, rows: number): Float32Array;
  getParams(): Record<string, Float32Array>;
  setParam(name: string, values: Float32Array): void;
  /** Jacobian singular values at the current weights for `samples` rows of x (evaluation mode). */
  jacobian(x: Float32Array, samples: number): Promise<NativeJacobianSpectra>;
  readonly stepsDone: number;
  readonly training: boolean;
}

export interface NativeNetworkOptions {
  seed?: number;
  memoryCapBytes?: number;
}

export interface NativeCsvOptions {
  /** Header name of the target column; default the last column. */
  target?: string;
  standardize?: boolean;
  maxRows?: number;
}

/** The parsed table (see core/datasets/table.ts; y holds class indices as floats when classifying) and its scaling. */
export interface NativeCsvDataset extends Omit<NumericTable, 'name'> {
  targetName: string;
  /** Filled only when standardised. */
  featureMean: Float32Array;
  featureStd: Float32Array;
}

export interface NativeAddon {
  Network: new (spec: unknown, options?: NativeNetworkOptions) => NativeNetwork;
  isa(): IsaName;
  supportedIsas(): IsaName[];
  setIsa(isa: IsaName): void;
  benchSgemm(n: number, seconds: number): number;
  /** One core's FMA throughput (GFLOP/s) with the active ISA: the peak sgemm figures are compared with. */
  benchPeak(seconds: number): number;
  /** Parses a CSV file's bytes; throws an Error naming the line and column on bad input. */
  parseCsv(bytes: Uint8Array, options?: NativeCsvOptions): NativeCsvDataset;
  /**
   * Tests only: a real null-pointer write in native code, which ends the process with
   * SIGSEGV. Returns false and does nothing unless VGLAB_FAULT_INJECTION (starting
   * "segv") is set in this process's environment (electron/engineHost/faultInjection.ts).
   */
  injectFault(kind: 'segv'): boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Where the build puts the addon (cmake-js -O out/native), from the repository root. */
function candidatePaths(): string[] {
  const root = resolve(here, '..', '..');
  const fromEnv = process.env.VGLAB_ADDON;
  return [
    ...(fromEnv ? [fromEnv] : []),
    join(root, 'out', 'native', 'Release', 'vglab.node'),
    join(root, 'out', 'native', 'vglab.node'),
  ];
}

let cached: NativeAddon | undefined;

/** Loads the native engine once; a clear message when it has not been built. */
export function loadAddon(): NativeAddon {
  if (cached) return cached;
  const path = candidatePaths().find((p) => existsSync(p));
  if (!path) {
    throw new Error(
      `the native engine is not built (looked for ${candidatePaths().join(', ')}); run "npm install" or "npm run build:native"`,
    );
  }
  const require = createRequire(import.meta.url);
  cached = require(path) as NativeAddon;
  return cached;
}
