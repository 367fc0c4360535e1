/**
 * A run's traces as long tables, column by column: the one layout behind both the
 * CSV files and the Parquet files, so the two can never disagree on a row.
 *
 *   steps      one row per training step: step, then every step metric (loss, accuracy)
 *   nodes      one row per (traced step, node): step, node, every node metric
 *   params     one row per (traced step, parameter tensor): step, param, every param metric
 *   timesteps  recurrent runs: one row per (traced step, recurrent node, timestep)
 *   gates      recurrent runs: one row per (traced step, lstm/gru node, gate), with the node's cell_norm
 *   evaluations runs with a test part: one row per evaluation of the held-out rows (step, test_loss, test_accuracy)
 *
 * Metric columns are the engine's float32 values as they are (NaN: does not apply).
 */
import { EVALUATION_METRICS } from '../../core/traces/evaluation.ts';
import { TRACE_METRICS, entityCount, recurrentValues, type TraceColumns } from '../../core/traces/metrics.ts';

export type TraceTableColumn =
  | { name: string; type: 'INT32'; data: Int32Array }
  | { name: string; type: 'STRING'; data: string[] }
  | { name: string; type: 'FLOAT'; data: Float32Array };

export type TraceTableName = 'steps' | 'nodes' | 'params' | 'timesteps' | 'gates' | 'evaluations';

export interface TraceTable {
  name: TraceTableName;
  rows: number;
  columns: TraceTableColumn[];
}

function stepsTable(cols: TraceColumns): TraceTable {
  const metrics = TRACE_METRICS.filter((m) => m.scope === 'step');
  const rows = cols.metrics.loss.length;
  const step = new Int32Array(rows);
  for (let s = 0; s < rows; s++) step[s] = s;
  return {
    name: 'steps',
    rows,
    columns: [
      { name: 'step', type: 'INT32', data: step },
      ...metrics.map((m): TraceTableColumn => ({ name: m.id, type: 'FLOAT', data: cols.metrics[m.id].slice(0, rows) })),
    ],
  };
}

/** Node or param metrics: their storage is already row-major (traced row, entity), the long table's order. */
function entityTable(cols: TraceColumns, scope: 'node' | 'param'): TraceTable {
  const metrics = TRACE_METRICS.filter((m) => m.scope === scope);
  const names = scope === 'node' ? cols.nodeIds : cols.paramNames;
  const width = entityCount(cols, scope);
  const rows = cols.steps.length * width;
  const step = new Int32Array(rows);
  const entity = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    step[i] = cols.steps[Math.floor(i / width)];
    entity[i] = names[i % width];
  }
  return {
    name: scope === 'node' ? 'nodes' : 'params',
    rows,
    columns: [
      { name: 'step', type: 'INT32', data: step },
      { name: scope, type: 'STRING', data: entity },
      ...metrics.map((m): TraceTableColumn => ({ name: m.id, type: 'FLOAT', data: cols.metrics[m.id].slice(0, rows) })),
    ],
  };
}

/** timesteps and gates, or nothing for a network without recurrent nodes. */
function recurrentTables(cols: TraceColumns): TraceTable[] {
  const rec = cols.recurrent;
  if (!rec || rec.nodes.length === 0) return [];
  const ts = { step: [] as number[], node: [] as string[], t: [] as number[], norm: [] as number[] };
  const gs = { step: [] as number[], node: [] as string[], gate: [] as string[], sat: [] as number[], cell: [] as number[] };
  for (let r = 0; r < cols.steps.length; r++) {
    const step = cols.steps[r];
    for (const node of rec.nodes) {
      recurrentValues(rec, 'timestep_grad_norm', node.nodeId, r).forEach((v, t) => {
        ts.step.push(step);
        ts.node.push(node.nodeId);
        ts.t.push(t);
        ts.norm.push(v);
      });
      const sat = recurrentValues(rec, 'gate_saturation', node.nodeId, r);
      const cell = recurrentValues(rec, 'cell_norm', node.nodeId, r)[0];
      node.gates.forEach((g, i) => {
        gs.step.push(step);
        gs.node.push(node.nodeId);
        gs.gate.push(g);
        gs.sat.push(sat[i]);
        gs.cell.push(cell);
      });
    }
  }
  return [
    {
      name: 'timesteps',
      rows: ts.step.length,
      columns: [
        { name: 'step', type: 'INT32', data: Int32Array.from(ts.step) },
        { name: 'node', type: 'STRING', data: ts.node },
        { name: 'timestep', type: 'INT32', data: Int32Array.from(ts.t) },
        { name: 'timestep_grad_norm', type: 'FLOAT', data: Float32Array.from(ts.norm) },
      ],
    },
    {
      name: 'gates',
      rows: gs.step.length,
      columns: [
        { name: 'step', type: 'INT32', data: Int32Array.from(gs.step) },
        { name: 'node', type: 'STRING', data: gs.node },
        { name: 'gate', type: 'STRING', data: gs.gate },
        { name: 'gate_saturation', type: 'FLOAT', data: Float32Array.from(gs.sat) },
        { name: 'cell_norm', type: 'FLOAT', data: Float32Array.from(gs.cell) },
      ],
    },
  ];
}

/** evaluations, or nothing for a run without a test part. */
function evaluationTables(cols: TraceColumns): TraceTable[] {
  const ev = cols.evaluation;
  if (!ev) return [];
  return [
    {
      name: 'evaluations',
      rows: ev.steps.length,
      columns: [
        { name: 'step', type: 'INT32', data: ev.steps.slice() },
        ...EVALUATION_METRICS.map((m): TraceTableColumn => ({ name: m.id, type: 'FLOAT', data: ev.metrics[m.id].slice() })),
      ],
    },
  ];
}

/** steps, nodes, params; with recurrent layers timesteps and gates; with a test part evaluations. */
export function traceTables(cols: TraceColumns): TraceTable[] {
  return [stepsTable(cols), entityTable(cols, 'node'), entityTable(cols, 'param'), ...recurrentTables(cols), ...evaluationTables(cols)];
}
