/**
 * A run's weights as the lab keeps them: parameter tensors by name, held in memory
 * for a finished run and stored in the project file exactly (byte planes, deflated;
 * never bfloat16), because a student exports them and expects the run's outputs back
 * bit for bit.
 */
import type { ProjectRun } from '../../core/project/schema.ts';
import { decodeTypedArray, encodeTypedArray } from '../../core/project/traceCodec.ts';

/** Parameter tensors by name ("<node id>.<weight>"), as the engine's getParams() gives them. */
export type Weights = Record<string, Float32Array>;

type StoredWeights = NonNullable<ProjectRun['weights']>;

/** Fresh arrays: what a caller gets may be changed without touching the kept weights. */
export function copyWeights(w: Weights): Weights {
  return Object.fromEntries(Object.entries(w).map(([name, values]) => [name, values.slice()]));
}

/** The weights as the project file stores them. */
export function encodeWeights(w: Weights): StoredWeights {
  return Object.fromEntries(Object.entries(w).map(([name, values]) => [name, encodeTypedArray(values, 'deflate')])) as StoredWeights;
}

/** The weights a project file stores; throws TraceCodecError naming the parameter when one is damaged. */
export function decodeWeights(stored: StoredWeights): Weights {
  return Object.fromEntries(Object.entries(stored).map(([name, a]) => [name, decodeTypedArray(a, 'float32', name)]));
}
