// Schema of a `vglab-reference-case/1` file (see reference-cases/FORMAT.md): a small
// network with explicit weights, one batch, and the values PyTorch computed for it.
// Unknown keys are ignored, as the format asks, so later versions still load.
import { z } from 'zod';

import { LOSS_TYPES } from '../network/spec.ts';

export const REFERENCE_FORMAT = 'vglab-reference-case/1';

/** A number or an arbitrarily nested array of numbers (PyTorch's nested lists). */
export type NestedNumbers = number | NestedNumbers[];
/** Anything holding numbers: nested arrays from JSON, or a flat typed array from the engine. */
export type NumericArray = NestedNumbers[] | ArrayLike<number>;

const nested: z.ZodType<NestedNumbers> = z.lazy(() => z.union([z.number(), z.array(nested)]));
const numberArray = z.array(nested);

const size = z.number().int().positive();
const nonNegative = z.number().min(0);

const denseLayer = z.object({
  type: z.literal('dense'),
  in: size,
  out: size,
  weight: numberArray,
  bias: numberArray.optional(),
});

const plain = <T extends string>(type: T) => z.object({ type: z.literal(type) });

const batchnormLayer = z.object({
  type: z.literal('batchnorm'),
  features: size,
  eps: z.number().positive().default(1e-5),
  momentum: z.number().min(0).max(1).default(0.1),
  gamma: numberArray,
  beta: numberArray,
  expected_running_mean: numberArray.optional(),
  expected_running_var: numberArray.optional(),
});

const layernormLayer = z.object({
  type: z.literal('layernorm'),
  features: size,
  eps: z.number().positive().default(1e-5),
  gamma: numberArray,
  beta: numberArray,
});

const recurrentFields = {
  input_size: size,
  hidden_size: size,
  return: z.enum(['last', 'sequence']),
  weight_ih: numberArray,
  weight_hh: numberArray,
  bias_ih: numberArray,
  bias_hh: numberArray,
};

export type ReferenceLayer =
  | z.output<typeof denseLayer>
  | { type: 'sigmoid' | 'tanh' | 'relu' | 'gelu' | 'softplus' | 'linear' }
  | { type: 'leaky_relu'; slope: number }
  | { type: 'elu'; alpha: number }
  | z.output<typeof batchnormLayer>
  | z.output<typeof layernormLayer>
  | { type: 'residual'; body: ReferenceLayer[] }
  | ({ type: 'rnn'; nonlinearity: 'tanh' | 'relu' } & RecurrentFields)
  | ({ type: 'lstm' | 'gru' } & RecurrentFields);
type RecurrentFields = z.output<z.ZodObject<typeof recurrentFields>>;
export type ReferenceLayerType = ReferenceLayer['type'];

export const referenceLayerSchema: z.ZodType<ReferenceLayer, unknown> = z.lazy(() =>
  z.discriminatedUnion('type', [
    denseLayer,
    plain('sigmoid'),
    plain('tanh'),
    plain('relu'),
    plain('gelu'),
    plain('softplus'),
    plain('linear'),
    z.object({ type: z.literal('leaky_relu'), slope: z.number().default(0.01) }),
    z.object({ type: z.literal('elu'), alpha: z.number().default(1) }),
    batchnormLayer,
    layernormLayer,
    z.object({ type: z.literal('residual'), body: z.array(referenceLayerSchema) }),
    z.object({ type: z.literal('rnn'), nonlinearity: z.enum(['tanh', 'relu']).default('tanh'), ...recurrentFields }),
    z.object({ type: z.literal('lstm'), ...recurrentFields }),
    z.object({ type: z.literal('gru'), ...recurrentFields }),
  ]),
);

export const toleranceSchema = z.object({
  rtol: nonNegative,
  atol_rel_to_max: nonNegative,
  /** Labels like "param_grads.0.bias" whose expected value is exactly 0, with an absolute bound. */
  zero_atol: z.record(z.string(), nonNegative).default({}),
});
export type CaseTolerance = z.input<typeof toleranceSchema>;

export const expectedSchema = z.object({
  output: numberArray.optional(),
  loss: z.number().optional(),
  input_grad: numberArray.optional(),
  param_grads: z.record(z.string(), numberArray).optional(),
  layer_output_grad_norms: z.array(z.number()).optional(),
  param_grad_norms: z.record(z.string(), z.number()).optional(),
  timestep_hidden_grad_norms: z.record(z.string(), z.array(z.number())).optional(),
});

export const referenceCaseSchema = z.object({
  format: z.literal(REFERENCE_FORMAT),
  name: z.string(),
  description: z.string().default(''),
  tolerance: toleranceSchema,
  layers: z.array(referenceLayerSchema).min(1),
  loss: z.object({ type: z.enum(LOSS_TYPES), reduction: z.literal('mean').default('mean') }),
  input: numberArray,
  target: numberArray,
  expected: expectedSchema,
  meta: z.record(z.string(), z.unknown()).optional(),
});

export type ReferenceCase = z.output<typeof referenceCaseSchema>;

/**
 * Results in the shape of `expected`, plus the batchnorm running statistics under
 * "running_mean.<layer path>" / "running_var.<layer path>" (path "1" or "2.body.1").
 * Used for both sides of a comparison: the case's expected values and the engine's.
 */
export interface ResultValues {
  output?: NumericArray;
  loss?: number;
  input_grad?: NumericArray;
  param_grads?: Record<string, NumericArray>;
  layer_output_grad_norms?: ArrayLike<number>;
  param_grad_norms?: Record<string, number>;
  timestep_hidden_grad_norms?: Record<string, ArrayLike<number>>;
  running_stats?: Record<string, NumericArray>;
}

/** Flattens nested arrays (row-major) or copies a typed array into plain numbers. */
export function flattenNumbers(values: NumericArray | NestedNumbers): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') out.push(v);
    else if (Array.isArray(v)) for (const item of v) walk(item);
    else if (v !== null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number') {
      const a = v as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) out.push(a[i]);
    } else out.push(Number.NaN); // not a number: fails every check
  };
  walk(values);
  return out;
}

/**
 * Dimensions of a nested array ([B][F] -> [B, F]), or null when it is ragged or
 * holds something other than numbers. A bare number has shape [].
 */
export function shapeOf(values: NestedNumbers): number[] | null {
  if (typeof values === 'number') return [];
  if (!Array.isArray(values)) return null;
  if (values.length === 0) return [0];
  const inner = shapeOf(values[0]);
  if (inner === null) return null;
  for (let i = 1; i < values.length; i++) {
    const s = shapeOf(values[i]);
    if (s === null || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return null;
  }
  return [values.length, ...inner];
}

export type ParseCaseResult = { ok: true; case: ReferenceCase } | { ok: false; errors: string[] };

/** Parses a reference case (e.g. JSON.parse of the file); errors give the path of each problem. */
export function parseReferenceCase(json: unknown): ParseCaseResult {
  const parsed = referenceCaseSchema.safeParse(json);
  if (parsed.success) return { ok: true, case: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'case'}: ${issue.message}`),
  };
}

/** Calls `visit` for every layer, nested residual bodies included, with its path ("3", "2.body.1"). */
export function forEachLayer(
  layers: readonly ReferenceLayer[],
  visit: (layer: ReferenceLayer, path: string) => void,
  prefix = '',
): void {
  layers.forEach((layer, i) => {
    const path = `${prefix}${i}`;
    visit(layer, path);
    if (layer.type === 'residual') forEachLayer(layer.body, visit, `${path}.body.`);
  });
}

/** The case's expected values with the running statistics of every batchnorm layer added. */
export function expectedResults(rc: ReferenceCase): ResultValues {
  const runningStats: Record<string, NumericArray> = {};
  forEachLayer(rc.layers, (layer, path) => {
    if (layer.type !== 'batchnorm') return;
    if (layer.expected_running_mean) runningStats[`running_mean.${path}`] = layer.expected_running_mean;
    if (layer.expected_running_var) runningStats[`running_var.${path}`] = layer.expected_running_var;
  });
  return Object.keys(runningStats).length > 0 ? { ...rc.expected, running_stats: runningStats } : { ...rc.expected };
}
