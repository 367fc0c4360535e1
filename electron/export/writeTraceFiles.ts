/** Writes a run's trace files into a folder, each atomically. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { TraceColumns } from '../../core/traces/metrics.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { traceFileSet, type TraceFileOptions } from './traceFileSet.ts';

/** The files of traceFileSet in `dir` (created when missing); returns their paths. */
export function writeTraceFiles(dir: string, traces: TraceColumns, options: TraceFileOptions = {}): string[] {
  mkdirSync(dir, { recursive: true });
  return traceFileSet(traces, options).map(({ name, data }) => {
    const file = join(dir, name);
    writeFileAtomic(file, data);
    return file;
  });
}
