/** Writes a run's trace files into a folder, each atomically. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { TraceColumns } from '../../core/traces/metrics.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { tracesToCsv, tracesToJson } from './traceFiles.ts';
import { tracesToParquet } from './traceParquet.ts';

export interface TraceFileOptions {
  /** Also write each table as <table>.parquet beside its CSV. */
  parquet?: boolean;
}

/**
 * traces.json, steps.csv, nodes.csv, params.csv (and timesteps.csv, gates.csv, evaluations.csv) in
 * `dir`, with `parquet` the same tables as .parquet files too; returns the paths.
 */
export function writeTraceFiles(dir: string, traces: TraceColumns, options: TraceFileOptions = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const written = [join(dir, 'traces.json')];
  writeFileAtomic(written[0], tracesToJson(traces));
  const tables: [string, Partial<Record<string, string | Uint8Array>>][] = [['csv', tracesToCsv(traces)]];
  if (options.parquet) tables.push(['parquet', tracesToParquet(traces)]);
  for (const [extension, files] of tables) {
    for (const [name, data] of Object.entries(files)) {
      if (data === undefined) continue;
      const file = join(dir, `${name}.${extension}`);
      writeFileAtomic(file, data);
      written.push(file);
    }
  }
  return written;
}
