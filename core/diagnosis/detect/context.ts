// What every detector reads (the network, its anatomy, the traces, the thresholds)
// and the one way a detector turns a symptom into a Finding: its causes' fixes are
// built against this network, and each cause keeps only the fixes that apply here.
import type { CauseContext } from '../causes.ts';
import { buildFixes } from '../fixes/catalog.ts';
import type { TraceReader } from '../traceReader.ts';
import type { Cause, DiagnoseOptions, Evidence, Finding, FindingKind, Fix, FixId, Severity } from '../types.ts';

export const DEFAULT_DIAGNOSE_OPTIONS: Required<DiagnoseOptions> = {
  vanishRatio: 1e-3,
  explodeRatio: 1e3,
  recurrentFraction: 0.01,
  growthRatio: 1e3,
};

export interface DetectContext extends CauseContext {
  traces: TraceReader;
  options: Required<DiagnoseOptions>;
  /** The latest traced row: the one the verdict is for. */
  latest: number;
  /** Fixes built so far in this diagnosis, shared by its findings. */
  fixCache: Map<FixId, Fix | null>;
}

/** What a detector reports: a finding, and what it means for the overall status. */
export interface Detection {
  finding: Finding;
  verdict: 'vanishing' | 'exploding' | 'diverged' | null;
}

export interface FindingDraft {
  kind: FindingKind;
  /** Set for findings about one node: the id becomes "<kind>:<node>". */
  node?: string;
  severity: Severity;
  title: string;
  explanation: string;
  nodeIds: string[];
  evidence: Evidence;
  causes: Cause[];
  /** Fixes for the symptom itself, beyond those of its causes. */
  extraFixes?: FixId[];
}

export function makeFinding(ctx: DetectContext, d: FindingDraft): Finding {
  const ids = [...d.causes.flatMap((c) => c.fixIds), ...(d.extraFixes ?? [])];
  const fixes = buildFixes(ids, ctx.spec, ctx.settings, ctx.fixCache);
  const offered = new Set(fixes.map((f) => f.id));
  const causes = d.causes.map((c) => ({ ...c, fixIds: c.fixIds.filter((id) => offered.has(id)) }));
  return {
    id: d.node === undefined ? d.kind : `${d.kind}:${d.node}`,
    kind: d.kind,
    severity: d.severity,
    title: d.title,
    explanation: d.explanation,
    nodeIds: d.nodeIds,
    evidence: d.evidence,
    causes,
    fixes,
  };
}
