/**
 * The trace tables (traceTables.ts) as Parquet files, for pandas, pyarrow, polars
 * or DuckDB: typed columns (step INT32, names UTF-8 strings, metrics FLOAT), so a
 * script reads the engine's float32 values bit for bit, NaN and Infinity included,
 * without parsing text. Snappy-compressed by hyparquet-writer.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';

import type { TraceColumns } from '../../core/traces/metrics.ts';
import { TRACES_FORMAT } from './traceFiles.ts';
import { traceTables, type TraceTable, type TraceTableName } from './traceTables.ts';

/** One table as the bytes of a Parquet file; every column is required (no nulls: NaN says "does not apply"). */
export function tableParquet(table: TraceTable): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: table.columns.map((c) => ({ name: c.name, data: c.data, type: c.type, nullable: false })),
    kvMetadata: [
      { key: 'vglab.format', value: TRACES_FORMAT },
      { key: 'vglab.table', value: table.name },
    ],
    createdBy: 'vglab',
  });
  return new Uint8Array(buffer);
}

/** steps, nodes, params (and timesteps, gates for recurrent runs) as Parquet bytes, by table name. */
export function tracesToParquet(cols: TraceColumns): Partial<Record<TraceTableName, Uint8Array>> {
  return Object.fromEntries(traceTables(cols).map((t) => [t.name, tableParquet(t)]));
}
