/**
 * The files of a run's trace export, with their contents: the one list both the
 * folder export (writeTraceFiles) and the zip download (traceArchive) take, so the
 * two always hold the same files, byte for byte.
 */
import type { TraceColumns } from '../../core/traces/metrics.ts';
import { tracesToCsv, tracesToJson } from './traceFiles.ts';
import { tracesToParquet } from './traceParquet.ts';

export interface TraceFileOptions {
  /** Also each table as <table>.parquet beside its CSV. */
  parquet?: boolean;
}

/** One file of the export: its name (no folder) and its text or bytes. */
export interface TraceFile {
  name: string;
  data: string | Uint8Array;
}

/**
 * traces.json, steps.csv, nodes.csv, params.csv (and timesteps.csv, gates.csv,
 * evaluations.csv when the run has them), with `parquet` the same tables as
 * .parquet files after the CSVs; in that order.
 */
export function traceFileSet(traces: TraceColumns, options: TraceFileOptions = {}): TraceFile[] {
  const files: TraceFile[] = [{ name: 'traces.json', data: tracesToJson(traces) }];
  const tables: [string, Partial<Record<string, string | Uint8Array>>][] = [['csv', tracesToCsv(traces)]];
  if (options.parquet) tables.push(['parquet', tracesToParquet(traces)]);
  for (const [extension, table] of tables) {
    for (const [name, data] of Object.entries(table)) {
      if (data !== undefined) files.push({ name: `${name}.${extension}`, data });
    }
  }
  return files;
}
