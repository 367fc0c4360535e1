// The Parquet trace files, read back with hyparquet (an independent reader), hold
// exactly the engine's float32 values in the layout the CSV files have, NaN and
// Infinity included, with typed columns.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';

import { TRACE_METRICS, recurrentValues, type TraceColumns } from '../../../core/traces/metrics.ts';
import { tracesToParquet } from '../../../electron/export/traceParquet.ts';
import { writeTraceFiles } from '../../../electron/export/writeTraceFiles.ts';
import { sampleTraces } from './traceFixture.ts';

type Row = Record<string, unknown>;

async function read(bytes: Uint8Array | undefined): Promise<Row[]> {
  expect(bytes).toBeDefined();
  const file = bytes!.buffer.slice(bytes!.byteOffset, bytes!.byteOffset + bytes!.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file });
}

/** Same float32 value, bit for bit in meaning: NaN is NaN, -0 is -0. */
function expectSame(actual: unknown, expected: number, where: string): void {
  expect(Object.is(actual, expected), `${where}: ${String(actual)} is not ${expected}`).toBe(true);
}

const ids = (scope: 'step' | 'node' | 'param') => TRACE_METRICS.filter((m) => m.scope === scope).map((m) => m.id);

function expectEntityRows(rows: Row[], cols: TraceColumns, scope: 'node' | 'param'): void {
  const names = scope === 'node' ? cols.nodeIds : cols.paramNames;
  expect(rows).toHaveLength(cols.steps.length * names.length);
  let i = 0;
  for (let r = 0; r < cols.steps.length; r++) {
    names.forEach((name, e) => {
      const row = rows[i++];
      expect(Object.keys(row)).toEqual(['step', scope, ...ids(scope)]);
      expect(row.step).toBe(cols.steps[r]);
      expect(row[scope]).toBe(name);
      for (const id of ids(scope)) expectSame(row[id], cols.metrics[id][r * names.length + e], `${scope}s row ${i - 1} ${id}`);
    });
  }
}

describe('Parquet trace files', () => {
  it('steps: one row per training step with loss and accuracy as stored, Infinity and NaN kept', async () => {
    const cols = sampleTraces();
    const rows = await read(tracesToParquet(cols).steps);
    expect(rows).toHaveLength(7);
    rows.forEach((row, s) => {
      expect(Object.keys(row)).toEqual(['step', ...ids('step')]);
      expect(row.step).toBe(s);
      for (const id of ids('step')) expectSame(row[id], cols.metrics[id][s], `steps row ${s} ${id}`);
    });
    expect(rows[5].loss).toBe(Number.POSITIVE_INFINITY);
    expect(rows[6].loss).toBeNaN();
    expect(rows[0].accuracy).toBe(Number.NEGATIVE_INFINITY);
  });

  it('nodes and params: long tables, one row per (traced step, entity), every metric column', async () => {
    const cols = sampleTraces();
    const files = tracesToParquet(cols);
    expectEntityRows(await read(files.nodes), cols, 'node');
    expectEntityRows(await read(files.params), cols, 'param');
    expect(files.timesteps).toBeUndefined();
    expect(files.gates).toBeUndefined();
  });

  it('timesteps and gates of recurrent nodes, with each lstm cell_norm repeated on its gates', async () => {
    const cols = sampleTraces({ recurrent: true });
    const rec = cols.recurrent!;
    const files = tracesToParquet(cols);
    const timesteps = await read(files.timesteps);
    const gates = await read(files.gates);
    const wantT: [number, string, number, number][] = [];
    const wantG: [number, string, string, number, number][] = [];
    for (let r = 0; r < cols.steps.length; r++) {
      for (const node of rec.nodes) {
        recurrentValues(rec, 'timestep_grad_norm', node.nodeId, r).forEach((v, t) => wantT.push([cols.steps[r], node.nodeId, t, v]));
        const sat = recurrentValues(rec, 'gate_saturation', node.nodeId, r);
        const cell = recurrentValues(rec, 'cell_norm', node.nodeId, r)[0];
        node.gates.forEach((g, k) => wantG.push([cols.steps[r], node.nodeId, g, sat[k], cell]));
      }
    }
    expect(timesteps).toHaveLength(3 * (3 + 2));
    expect(gates).toHaveLength(3 * 4);
    timesteps.forEach((row, i) => {
      const [step, node, t, v] = wantT[i];
      expect([row.step, row.node, row.timestep]).toEqual([step, node, t]);
      expectSame(row.timestep_grad_norm, v, `timesteps row ${i}`);
    });
    gates.forEach((row, i) => {
      const [step, node, gate, sat, cell] = wantG[i];
      expect([row.step, row.node, row.gate]).toEqual([step, node, gate]);
      expectSame(row.gate_saturation, sat, `gates row ${i} gate_saturation`);
      expectSame(row.cell_norm, cell, `gates row ${i} cell_norm`);
    });
    expect(gates.map((g) => g.cell_norm)).toEqual([1.5, 1.5, 1.5, 1.5, 2.5, 2.5, 2.5, 2.5, 3.5, 3.5, 3.5, 3.5]);
  });

  it('declares typed, required columns (INT32 steps, UTF-8 names, FLOAT metrics) and names the table', () => {
    const bytes = tracesToParquet(sampleTraces()).nodes!;
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const leaves = meta.schema.slice(1).map((s) => [s.name, s.type, s.repetition_type, s.converted_type ?? null]);
    expect(leaves).toEqual([
      ['step', 'INT32', 'REQUIRED', null],
      ['node', 'BYTE_ARRAY', 'REQUIRED', 'UTF8'],
      ...ids('node').map((id) => [id, 'FLOAT', 'REQUIRED', null]),
    ]);
    expect(meta.key_value_metadata).toEqual(
      expect.arrayContaining([
        { key: 'vglab.format', value: 'vglab-traces/1' },
        { key: 'vglab.table', value: 'nodes' },
      ]),
    );
  });

  it('writeTraceFiles adds the .parquet files beside the CSV only when asked', async () => {
    const cols = sampleTraces({ recurrent: true });
    const plain = writeTraceFiles(mkdtempSync(join(tmpdir(), 'vglab-traces-')), cols).map((f) => basename(f));
    expect(plain).toEqual(['traces.json', 'steps.csv', 'nodes.csv', 'params.csv', 'timesteps.csv', 'gates.csv']);
    const dir = mkdtempSync(join(tmpdir(), 'vglab-traces-'));
    const written = writeTraceFiles(dir, cols, { parquet: true });
    expect(written.map((f) => basename(f))).toEqual([...plain, 'steps.parquet', 'nodes.parquet', 'params.parquet', 'timesteps.parquet', 'gates.parquet']);
    expectEntityRows(await read(readFileSync(join(dir, 'params.parquet'))), cols, 'param');
  });
});
