// The diagnosis engine's entry point: while a run trains (or after), read its traces
// at the latest traced row (and at row 0 for "at initialisation"), say whether the
// gradient vanishes or explodes, why in this network, and which one-click changes
// would help. Pure: no DOM, no Node, no clock; cheap enough to call on every chunk.
import { analyseNetwork } from './anatomy.ts';
import { judgeNetworkInit } from './causes.ts';
import { DEFAULT_DIAGNOSE_OPTIONS, makeFinding, type DetectContext, type Detection } from './detect/context.ts';
import { detectDivergence, detectGrowth } from './detect/growth.ts';
import { detectLayerFlow, measureLayerFlow } from './detect/layerFlow.ts';
import { detectSaturation } from './detect/saturation.ts';
import { detectTimesteps } from './detect/timesteps.ts';
import { texts } from './texts.ts';
import { TraceReader } from './traceReader.ts';
import type { Diagnosis, DiagnosisStatus, DiagnoseInput, DiagnoseOptions, Finding, Severity } from './types.ts';

export { DEFAULT_DIAGNOSE_OPTIONS };
export type {
  Cause,
  CauseId,
  Diagnosis,
  DiagnosisStatus,
  DiagnoseInput,
  DiagnoseOptions,
  Evidence,
  Finding,
  FindingKind,
  Fix,
  FixId,
  FixResult,
  Severity,
} from './types.ts';

/** Which verdict wins when several findings disagree: the one that most needs acting on. */
const STATUS_RANK: readonly DiagnosisStatus[] = ['diverged', 'exploding', 'vanishing'];
const SEVERITY_RANK: { readonly [K in Severity]: number } = { problem: 0, warning: 1, info: 2 };

function resolveOptions(options: DiagnoseOptions | undefined): Required<DiagnoseOptions> {
  const out = { ...DEFAULT_DIAGNOSE_OPTIONS };
  for (const key of Object.keys(out) as (keyof DiagnoseOptions)[]) {
    const v = options?.[key];
    if (v !== undefined && Number.isFinite(v) && v > 0) out[key] = v;
  }
  return out;
}

function statusOf(detections: readonly Detection[]): DiagnosisStatus {
  for (const status of STATUS_RANK) if (detections.some((d) => d.verdict === status)) return status;
  return 'healthy';
}

function healthyFinding(ctx: DetectContext): Finding {
  const flow = measureLayerFlow(ctx, ctx.latest);
  const step = ctx.traces.stepOf(ctx.latest);
  const words = texts.findings.healthyFlow;
  return makeFinding(ctx, {
    kind: 'healthy-flow',
    severity: 'info',
    title: words.title(),
    explanation: words.explanation(flow),
    nodeIds: flow ? [flow.first, flow.last] : [],
    evidence: flow?.evidence ?? { metrics: ['loss'], row: ctx.latest, step, values: { loss: ctx.traces.traces.metrics.loss[step] } },
    causes: [],
  });
}

/**
 * Diagnoses one run. `spec` and `plan` are the validated network the run trains
 * (validateNetwork), `traces` its columns so far. Findings come most severe first;
 * every fix is a pure transform of (spec, settings).
 */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const { spec, plan, settings } = input;
  const traces = new TraceReader(input.traces);
  const anatomy = analyseNetwork(spec, plan);
  const ctx: DetectContext = {
    spec,
    plan,
    settings,
    anatomy,
    init: judgeNetworkInit(spec, anatomy),
    traces,
    options: resolveOptions(input.options),
    latest: traces.rows - 1,
    fixCache: new Map(),
  };

  const detections: Detection[] = [...detectDivergence(ctx)];
  if (ctx.latest < 0 && detections.length === 0) return { status: 'not-enough-data', findings: [], row: -1, step: -1 };
  if (ctx.latest >= 0) {
    detections.push(...detectGrowth(ctx), ...detectLayerFlow(ctx), ...detectTimesteps(ctx), ...detectSaturation(ctx));
  }

  const status = statusOf(detections);
  const findings = detections.map((d) => d.finding);
  if (status === 'healthy' && !findings.some((f) => f.severity !== 'info')) findings.unshift(healthyFinding(ctx));
  // Array.prototype.sort is stable, so findings of one severity keep the detectors' order.
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const row = ctx.latest;
  return { status, findings, row, step: row >= 0 ? traces.stepOf(row) : -1 };
}
