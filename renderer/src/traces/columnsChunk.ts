/**
 * A whole TraceColumns (what runs.traces returns) as one TraceChunk from step 0,
 * so a run's accumulator can start from the fetched traces and then take the
 * streamed chunks that follow. No copies: the chunk's arrays are the columns'.
 */
import type { TraceChunk } from '../../../core/traces/chunk.ts';
import { TraceAccumulator } from '../../../core/traces/accumulator.ts';
import { RECURRENT_METRICS, type TraceColumns } from '../../../core/traces/metrics.ts';

export function columnsAsChunk(cols: TraceColumns): TraceChunk {
  const metrics: TraceChunk['metrics'] = { ...cols.metrics };
  const rec = cols.recurrent;
  if (rec && rec.nodes.length > 0) for (const m of RECURRENT_METRICS) metrics[m.id] = rec.metrics[m.id];
  const evaluation = cols.evaluation ? { from: 0, ...cols.evaluation } : undefined;
  return { stepFrom: 0, rowFrom: 0, steps: cols.steps, metrics, histogram: cols.histogram, ...(evaluation ? { evaluation } : {}) };
}

/** An accumulator holding `cols`, ready for the chunks after them. */
export function accumulatorFrom(cols: TraceColumns): TraceAccumulator {
  const acc = new TraceAccumulator(cols.nodeIds, cols.paramNames, cols.recurrent?.nodes ?? []);
  acc.append(columnsAsChunk(cols));
  return acc;
}
