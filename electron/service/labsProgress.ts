/**
 * A student's lab work read off the open project: which run stands for each preset
 * (the latest run tagged with the lab and that preset), the checkpoints judged on
 * those runs, the answers stored in the project's labProgress, and the report.
 * Pure functions of the run summaries and a trace lookup; LabService wires them up.
 */
import type { LabCheckpointResult, RunSummary } from '../../core/api/labApi.ts';
import { evaluateCheckpoints, type CheckpointResult, type LabRun } from '../../core/labs/checkpoints.ts';
import { labPresets } from '../../core/labs/presets.ts';
import type { Lab } from '../../core/labs/schema.ts';
import type { LabProgress } from '../../core/project/schema.ts';
import type { TraceColumns } from '../../core/traces/metrics.ts';
import { renderLabReport, type LabReportRun } from '../labs/labReport.ts';

/** States in which a run has said its last word. */
const FINAL = new Set<RunSummary['state']>(['completed', 'cancelled', 'diverged', 'failed']);

export type TraceLookup = (runId: string) => TraceColumns | null;

/** The latest run of each preset of `lab` in `runs` (list order: oldest first), by preset id. */
export function latestPresetRuns(lab: Lab, runs: readonly RunSummary[]): Map<string, RunSummary> {
  const presets = new Set(labPresets(lab).map((p) => p.id));
  const latest = new Map<string, RunSummary>();
  for (const r of runs) {
    if (r.lab?.labId === lab.id && presets.has(r.lab.presetId)) latest.set(r.lab.presetId, r);
  }
  return latest;
}

function labRun(run: RunSummary, traces: TraceColumns): LabRun {
  return { spec: run.network, traces, ...(FINAL.has(run.state) ? { stopped: run.state } : {}) };
}

/** The runs the evaluator reads: each preset's latest run, when it has traces. */
function evaluatedRuns(lab: Lab, runs: readonly RunSummary[], traces: TraceLookup): { latest: Map<string, RunSummary>; labRuns: Map<string, LabRun> } {
  const latest = latestPresetRuns(lab, runs);
  const labRuns = new Map<string, LabRun>();
  for (const [presetId, run] of latest) {
    const t = traces(run.id);
    if (t && t.steps.length > 0) labRuns.set(presetId, labRun(run, t));
  }
  return { latest, labRuns };
}

/**
 * Every checkpoint on every preset it judges, with the run it read and a verdict:
 * 'not-yet' until that run has finished (a result on a training run is provisional).
 */
export function labCheckpoints(lab: Lab, runs: readonly RunSummary[], traces: TraceLookup): LabCheckpointResult[] {
  const { latest, labRuns } = evaluatedRuns(lab, runs, traces);
  return evaluateCheckpoints(lab, labRuns).map((r): LabCheckpointResult => {
    const run = latest.get(r.presetId);
    const measuredRun = run && labRuns.has(r.presetId) ? run : undefined;
    const verdict = measuredRun && FINAL.has(measuredRun.state) ? (r.passed ? 'passed' : 'failed') : 'not-yet';
    return { ...r, runId: run?.id ?? null, verdict };
  });
}

/** The verdicts worth keeping in the project: those on finished runs. */
export function storedCheckpointResults(results: readonly LabCheckpointResult[]): NonNullable<LabProgress['checkpointResults']> {
  return results
    .filter((r) => r.verdict !== 'not-yet')
    .map((r) => ({ checkpointId: r.checkpointId, presetId: r.presetId, passed: r.passed, measured: r.measured !== null && Number.isFinite(r.measured) ? r.measured : null }));
}

/** Whether two stored result lists say the same. */
export function sameStoredResults(a: LabProgress['checkpointResults'], b: LabProgress['checkpointResults']): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** The lab's report: each preset's latest run with traces, every checkpoint, the student's answers. */
export function labReportHtml(lab: Lab, runs: readonly RunSummary[], traces: TraceLookup, answers: Readonly<Record<string, string>>, teacher: boolean): string {
  const { latest, labRuns } = evaluatedRuns(lab, runs, traces);
  const reportRuns: LabReportRun[] = [];
  for (const preset of labPresets(lab)) {
    const run = latest.get(preset.id);
    const evaluated = labRuns.get(preset.id);
    if (!run || !evaluated) continue;
    const stopped = FINAL.has(run.state) ? run.state : run.state === 'running' ? 'still training' : run.state;
    reportRuns.push({
      preset,
      label: run.label,
      run: evaluated,
      result: { steps: run.stepsDone, stopped, ...(run.divergence ? { divergence: run.divergence } : {}) },
    });
  }
  const checkpoints: CheckpointResult[] = evaluateCheckpoints(lab, labRuns);
  return renderLabReport({ lab, runs: reportRuns, checkpoints, answers }, { teacher });
}
