// Builders shared by the project tests and the crash-test child script.
import type { ProjectInput } from '../../../core/project/schema.ts';
import { encodeTraces } from '../../../core/project/traceCodec.ts';
import { allocateTraceColumns, type RecurrentLayout, type TraceColumns } from '../../../core/traces/metrics.ts';

export const SMALL_NETWORK: ProjectInput['network'] = {
  format: 'vglab-network/1',
  nodes: [
    { id: 'x', type: 'input', params: { features: 2 } },
    { id: 'd0', type: 'dense', params: { units: 8 } },
    { id: 's0', type: 'sigmoid' },
    { id: 'd1', type: 'dense', params: { units: 2 } },
  ],
  edges: [
    { from: 'x', to: 'd0' },
    { from: 'd0', to: 's0' },
    { from: 's0', to: 'd1' },
  ],
  loss: { type: 'softmax_cross_entropy' },
};

/** Node ids and parameter names of an MLP of `layers` dense layers, each followed by a sigmoid. */
export function mlpIds(layers: number): { nodeIds: string[]; paramNames: string[] } {
  const nodeIds = ['x'];
  const paramNames: string[] = [];
  for (let i = 0; i < layers; i++) {
    nodeIds.push(`d${i}`, `s${i}`);
    paramNames.push(`d${i}.weight`, `d${i}.bias`);
  }
  return { nodeIds, paramNames };
}

/** Deterministic pseudo-random 32-bit words (xorshift32). */
export function words(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * Trace columns of a `layers`-layer MLP over `rows` traced steps, every value
 * filled from `seed` (random bit patterns in the floats: the worst case for size,
 * and NaNs with payloads and infinities along the way).
 */
export function filledColumns(
  layers: number,
  rows: number,
  seed: number,
  options: { histogram?: boolean; recurrent?: RecurrentLayout[]; stepCount?: number } = {},
): TraceColumns {
  const { nodeIds, paramNames } = mlpIds(layers);
  const cols = allocateTraceColumns(rows, nodeIds, paramNames, options.histogram ?? false, options.stepCount ?? rows, options.recurrent ?? []);
  const next = words(seed);
  for (let r = 0; r < rows; r++) cols.steps[r] = r;
  for (const a of Object.values(cols.metrics)) new Uint32Array(a.buffer, a.byteOffset, a.length).forEach((_, i, u) => (u[i] = next()));
  for (let i = 0; i < cols.histogram.length; i++) cols.histogram[i] = next();
  if (cols.recurrent) {
    for (const a of Object.values(cols.recurrent.metrics)) {
      new Uint32Array(a.buffer, a.byteOffset, a.length).forEach((_, i, u) => (u[i] = next()));
    }
  }
  return cols;
}

/** A valid project; `version` goes into its name so tests can tell saves apart. */
export function makeProject(version = 0, traces?: TraceColumns): ProjectInput {
  return {
    format: 'vglab-project/1',
    name: `project v${version}`,
    createdAt: '2026-11-29T10:00:00.000Z',
    savedAt: '2026-11-29T10:05:00.000Z',
    network: structuredClone(SMALL_NETWORK),
    dataset: { name: 'spiral', options: {} },
    settings: { optimizer: { type: 'sgd', lr: 0.1 } },
    runs: [
      {
        id: 'run-1',
        label: 'first try',
        createdAt: '2026-11-29T10:01:00.000Z',
        settings: { optimizer: { type: 'sgd', lr: 0.1 }, steps: 100 },
        seed: 7,
        status: 'completed',
        ...(traces ? { traces: encodeTraces(traces) } : {}),
      },
    ],
  };
}
