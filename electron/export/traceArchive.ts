/**
 * A run's trace files (traceFileSet) as one zip archive, for a browser to download
 * or the desktop to save as one file. The files sit in a folder named like the
 * archive, so unpacking it never scatters them among the student's downloads.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

import type { TraceColumns } from '../../core/traces/metrics.ts';
import { traceFileSet, type TraceFileOptions } from './traceFileSet.ts';

export interface TraceArchive {
  /** `<base>-traces.zip`. */
  fileName: string;
  zip: Uint8Array;
}

/** `baseName`: a name safe for file systems (the run's label); the folder inside is `<baseName>-traces/`. */
export function traceArchive(baseName: string, traces: TraceColumns, options: TraceFileOptions = {}): TraceArchive {
  const folder = `${baseName}-traces`;
  const entries: Zippable = {};
  for (const { name, data } of traceFileSet(traces, options)) {
    entries[`${folder}/${name}`] = typeof data === 'string' ? strToU8(data) : data;
  }
  return { fileName: `${folder}.zip`, zip: zipSync(entries) };
}
