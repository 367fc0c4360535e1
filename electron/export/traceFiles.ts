/**
 * Trace files for scripts and spreadsheets: one JSON document (column-wise, as the
 * engine keeps them) and three CSV tables (per step, per node, per parameter).
 */
import { RECURRENT_METRICS, TRACE_METRICS, entityCount, recurrentValues, type TraceColumns } from '../../core/traces/metrics.ts';

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
  return `${JSON.stringify({
    format: TRACES_FORMAT,
    nodeIds: cols.nodeIds,
    paramNames: cols.paramNames,
    steps: Array.from(cols.steps),
    layout: 'step metrics: one value per training step; node and param metrics: [traced row][entity], row-major',
    metrics,
    histogram: Array.from(cols.histogram),
    ...(recurrent ? { recurrent } : {}),
  })}\n`;
}

function csvCell(v: number | string): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function table(header: string[], rows: (number | string)[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

/** timesteps.csv: one row per (traced step, recurrent node, timestep); gates.csv: per gate. */
function recurrentCsv(cols: TraceColumns): { timesteps: string; gates: string } | undefined {
  const rec = cols.recurrent;
  if (!rec || rec.nodes.length === 0) return undefined;
  const timesteps: (number | string)[][] = [];
  const gates: (number | string)[][] = [];
  for (let r = 0; r < cols.steps.length; r++) {
    for (const node of rec.nodes) {
      const norms = recurrentValues(rec, 'timestep_grad_norm', node.nodeId, r);
      norms.forEach((v, t) => timesteps.push([cols.steps[r], node.nodeId, t, v]));
      const sat = recurrentValues(rec, 'gate_saturation', node.nodeId, r);
      const cell = recurrentValues(rec, 'cell_norm', node.nodeId, r)[0];
      node.gates.forEach((g, i) => gates.push([cols.steps[r], node.nodeId, g, sat[i], cell]));
    }
  }
  return {
    timesteps: table(['step', 'node', 'timestep', 'timestep_grad_norm'], timesteps),
    gates: table(['step', 'node', 'gate', 'gate_saturation', 'cell_norm'], gates),
  };
}

/**
 * steps.csv, nodes.csv and params.csv: long tables, one row per (step, entity); with
 * recurrent layers also timesteps.csv and gates.csv.
 */
export function tracesToCsv(cols: TraceColumns): { steps: string; nodes: string; params: string; timesteps?: string; gates?: string } {
  const stepMetrics = TRACE_METRICS.filter((m) => m.scope === 'step');
  const stepRows: (number | string)[][] = [];
  const stepCount = cols.metrics.loss.length;
  for (let s = 0; s < stepCount; s++) stepRows.push([s, ...stepMetrics.map((m) => cols.metrics[m.id][s])]);

  const perEntity = (scope: 'node' | 'param', names: string[]) => {
    const ms = TRACE_METRICS.filter((m) => m.scope === scope);
    const width = entityCount(cols, scope);
    const rows: (number | string)[][] = [];
    for (let r = 0; r < cols.steps.length; r++) {
      for (let e = 0; e < width; e++) rows.push([cols.steps[r], names[e], ...ms.map((m) => cols.metrics[m.id][r * width + e])]);
    }
    return table(['step', scope, ...ms.map((m) => m.id)], rows);
  };
  return {
    steps: table(['step', ...stepMetrics.map((m) => m.id)], stepRows),
    nodes: perEntity('node', cols.nodeIds),
    params: perEntity('param', cols.paramNames),
    ...recurrentCsv(cols),
  };
}
