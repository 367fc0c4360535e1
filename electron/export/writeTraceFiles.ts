/** Writes a run's trace files into a folder, each atomically. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { TraceColumns } from '../../core/traces/metrics.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { tracesToCsv, tracesToJson } from './traceFiles.ts';

/** traces.json, steps.csv, nodes.csv, params.csv (and timesteps.csv, gates.csv) in `dir`; returns the paths. */
export function writeTraceFiles(dir: string, traces: TraceColumns): string[] {
  mkdirSync(dir, { recursive: true });
  const written = [join(dir, 'traces.json')];
  writeFileAtomic(written[0], tracesToJson(traces));
  for (const [name, text] of Object.entries(tracesToCsv(traces))) {
    if (text === undefined) continue;
    const file = join(dir, `${name}.csv`);
    writeFileAtomic(file, text);
    written.push(file);
  }
  return written;
}
