/**
 * Trace files for scripts and spreadsheets: one JSON document (column-wise, as the
 * engine keeps them) and three CSV tables (per step, per node, per parameter), with
 * a fourth of test evaluations when the run held rows out for testing.
 */
import { EVALUATION_METRICS } from '../../core/traces/evaluation.ts';
import { RECURRENT_METRICS, TRACE_METRICS, type TraceColumns } from '../../core/traces/metrics.ts';
import { traceTables, type TraceTable, type TraceTableName } from './traceTables.ts';

export const TRACES_FORMAT = 'vglab-traces/1';

/** NaN and Infinity are not JSON: written as null ("does not apply"). */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function tracesToJson(cols: TraceColumns): string {
  const metrics: Record<string, (number | null)[]> = {};
  for (const m of TRACE_METRICS) metrics[m.id] = Array.from(cols.metrics[m.id], finiteOrNull);
  const recurrent = cols.recurrent && cols.recurrent.nodes.length > 0 && {
    nodes: cols.recurrent.nodes,
    layout: 'timestep_grad_norm: [traced row][every timestep of every node]; gate_saturation: [traced row][every gate of every node]; cell_norm: [traced row][node]',
    metrics: Object.fromEntries(RECURRENT_METRICS.map((m) => [m.id, Array.from(cols.recurrent!.metrics[m.id], finiteOrNull)])),
  };
  const ev = cols.evaluation;
  const evaluation = ev && {
    layout: 'held-out test rows, one value per evaluation; steps: the updates done when each was measured',
    steps: Array.from(ev.steps),
    metrics: Object.fromEntries(EVALUATION_METRICS.map((m) => [m.id, Array.from(ev.metrics[m.id], finiteOrNull)])),
  };
  return `${JSON.stringify({
    format: TRACES_FORMAT,
    nodeIds: cols.nodeIds,
    paramNames: cols.paramNames,
    steps: Array.from(cols.steps),
    layout: 'step metrics: one value per training step; node and param metrics: [traced row][entity], row-major',
    metrics,
    histogram: Array.from(cols.histogram),
    ...(recurrent ? { recurrent } : {}),
    ...(evaluation ? { evaluation } : {}),
  })}\n`;
}

function csvCell(v: number | string): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One long table as CSV: a header of column names, then one line per row (non-finite values left empty). */
function tableCsv(t: TraceTable): string {
  const lines = [t.columns.map((c) => csvCell(c.name)).join(',')];
  for (let i = 0; i < t.rows; i++) lines.push(t.columns.map((c) => csvCell(c.data[i])).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * steps.csv, nodes.csv and params.csv: long tables, one row per (step, entity); with
 * recurrent layers also timesteps.csv and gates.csv, with a test part evaluations.csv
 * (traceTables.ts has the layout).
 */
export function tracesToCsv(cols: TraceColumns): Partial<Record<TraceTableName, string>> {
  return Object.fromEntries(traceTables(cols).map((t) => [t.name, tableCsv(t)]));
}
