// The public shapes of the diagnosis engine: what diagnose() reads and what it
// returns. Every string a student sees comes from texts.ts; these types only carry it.
import type { NetworkSpec } from '../network/spec.ts';
import type { NetworkPlan } from '../network/validate.ts';
import type { RecurrentMetricId, TraceColumns, TraceMetricId } from '../traces/metrics.ts';
import type { TrainingSettings } from '../training/settings.ts';

/** Thresholds of the detectors; every field has a default (DEFAULT_DIAGNOSE_OPTIONS). */
export interface DiagnoseOptions {
  /** Vanishing when the first layer's gradient is below this fraction of the last hidden layer's (1e-3). */
  vanishRatio?: number;
  /** Exploding when the first layer's gradient is above this multiple of the last hidden layer's (1e3). */
  explodeRatio?: number;
  /** A recurrent layer vanishes through time when ||dL/dh_0|| is below this fraction of ||dL/dh_T-1|| (0.01). */
  recurrentFraction?: number;
  /** Exploding when the whole gradient's norm has grown this many times since the first traced steps (1e3). */
  growthRatio?: number;
}

export interface DiagnoseInput {
  spec: NetworkSpec;
  plan: NetworkPlan;
  settings: TrainingSettings;
  traces: TraceColumns;
  options?: DiagnoseOptions;
}

/**
 * The verdict on gradient flow: 'vanishing' and 'exploding' describe the gradient,
 * 'diverged' a loss that became NaN or infinite, 'not-enough-data' a run with no
 * traced step yet.
 */
export type DiagnosisStatus = 'healthy' | 'vanishing' | 'exploding' | 'diverged' | 'not-enough-data';

/** 'problem' blocks learning, 'warning' slows or risks it, 'info' explains what the traces show. */
export type Severity = 'info' | 'warning' | 'problem';

export type FindingKind =
  | 'healthy-flow'
  | 'vanishing-layers'
  | 'vanishing-stuck'
  | 'vanishing-at-init'
  | 'exploding-layers'
  | 'exploding-at-init'
  | 'exploding-growth'
  | 'diverged'
  | 'vanishing-through-time'
  | 'exploding-through-time'
  | 'recurrent-horizon'
  | 'dead-relu'
  | 'saturated-activations';

export type CauseId =
  | 'sigmoid-chain'
  | 'tanh-chain'
  | 'init-too-small'
  | 'init-too-large'
  | 'xavier-with-relu'
  | 'no-normalisation'
  | 'no-skip-connections'
  | 'long-plain-recurrence'
  | 'low-forget-bias'
  | 'no-clipping'
  | 'learning-rate-too-large';

export type FixId =
  | 'relu-he'
  | 'leaky-relu'
  | 'standard-init'
  | 'batchnorm'
  | 'residual'
  | 'lstm'
  | 'gru'
  | 'forget-bias'
  | 'clip-gradients'
  | 'lower-learning-rate';

/** The numbers a finding rests on, so the UI can point at the chart that shows them. */
export interface Evidence {
  /** The metrics read (trace or recurrent metric ids). */
  metrics: (TraceMetricId | RecurrentMetricId)[];
  /** The traced row read (index into TraceColumns.steps); -1 when only per-step columns were read. */
  row: number;
  /** The training step of that row (or of the step metric read). */
  step: number;
  /** Named values, e.g. {"dense1.weight": 1.3e-7, "dense10.weight": 0.14, "ratio": 9.3e-7}. */
  values: Record<string, number>;
}

/** Why this network shows the symptom: something in its spec or settings. */
export interface Cause {
  id: CauseId;
  title: string;
  /** Plain language, naming the layers. */
  explanation: string;
  /** The nodes this cause is about (empty for a training setting). */
  nodeIds: string[];
  /** The fixes (of the finding's list) that address this cause. */
  fixIds: FixId[];
}

export interface FixResult {
  spec: NetworkSpec;
  settings: TrainingSettings;
}

/**
 * One click in the app: a pure transform of the network and settings. apply never
 * mutates its arguments; unchanged nodes are shared with the input, so treat the
 * result as immutable too.
 */
export interface Fix {
  id: FixId;
  /** Button text. */
  label: string;
  /** What the change does to this network, naming the nodes. */
  description: string;
  apply: (spec: NetworkSpec, settings: TrainingSettings) => FixResult;
}

export interface Finding {
  /** Unique within one Diagnosis: the kind, plus ":<node id>" for per-node findings. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  title: string;
  /** Plain language, one to three sentences, naming layers by id. */
  explanation: string;
  /** The nodes the finding is about, in plan order. */
  nodeIds: string[];
  evidence: Evidence;
  causes: Cause[];
  fixes: Fix[];
}

export interface Diagnosis {
  status: DiagnosisStatus;
  /** Most severe first. */
  findings: Finding[];
  /** The traced row the verdict is for (the latest), -1 when there is none. */
  row: number;
  /** Its training step, -1 when there is none. */
  step: number;
}
