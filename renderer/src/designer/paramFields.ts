// The inspector's form, read from the zod schema of each node type so the inputs
// offer exactly what the engine accepts: integer fields with the schema's bounds,
// selects with the enum's values, checkboxes for booleans. Nothing here repeats a
// limit from spec.ts; a new param appears in the inspector on its own.
import { z } from 'zod';

import { NODE_SCHEMAS, NODE_TYPES, type NodeType } from '../../../core/network/spec.ts';

interface FieldBase {
  key: string;
  /** Shown next to the input (the key with spaces). */
  label: string;
  /** The key may be left out of the spec (an empty field removes it). */
  optional: boolean;
  /** One sentence for a tooltip. */
  help: string;
}

export interface NumberField extends FieldBase {
  kind: 'number';
  integer: boolean;
  /** Bounds from the schema; `minInclusive` false means strictly greater (eps > 0). */
  min?: number;
  max?: number;
  minInclusive: boolean;
  maxInclusive: boolean;
  default?: number;
}

export interface BooleanField extends FieldBase {
  kind: 'boolean';
  default?: boolean;
}

export interface SelectField extends FieldBase {
  kind: 'select';
  options: readonly string[];
  default?: string;
}

export type ParamField = NumberField | BooleanField | SelectField;

/** Why each param matters, in a sentence (keys shared across types read the same). */
const PARAM_HELP: Record<string, string> = {
  features: 'Values per sample (per timestep for a sequence).',
  sequence_length: 'Timesteps per sample; leave empty for data without a time axis.',
  units: 'Output width of the layer.',
  in_features: 'Expected input width; leave empty to take it from the incoming edge.',
  bias: 'Adds a learned bias to every output.',
  init: 'How the weights are drawn before training.',
  recurrent_init: 'How the hidden-to-hidden weights are drawn; orthogonal keeps a vector\'s length over many steps.',
  init_scale: 'Gain of the init scheme (the standard deviation for normal, the half-width for uniform).',
  slope: 'Slope for negative inputs.',
  alpha: 'Scale of the curve for negative inputs.',
  eps: 'Added to the variance before the square root, for numerical safety.',
  momentum: 'How fast the running statistics follow each batch (0 to 1).',
  p: 'Probability of zeroing each value during training.',
  hidden_size: 'Width of the hidden state.',
  return: '"last" gives one vector per sample; "sequence" gives every timestep (to stack recurrent layers).',
  nonlinearity: 'The squashing function of the hidden state.',
  forget_bias: 'Added to the forget gate\'s bias; 1 makes the cell remember by default at first.',
};

interface Unwrapped {
  schema: z.ZodType;
  optional: boolean;
  defaultValue: unknown;
}

/** Peels optional / default wrappers off a param schema. */
function unwrap(schema: z.ZodType): Unwrapped {
  let s: z.ZodType = schema;
  let optional = false;
  let defaultValue: unknown;
  for (;;) {
    if (s instanceof z.ZodOptional) {
      optional = true;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodDefault) {
      defaultValue = s.def.defaultValue;
      s = s.unwrap() as z.ZodType;
    } else {
      return { schema: s, optional, defaultValue };
    }
  }
}

/** Inclusivity of the schema's bound checks (zod keeps it on the check, not the schema). */
function boundInclusive(schema: z.ZodNumber, which: 'greater_than' | 'less_than'): boolean {
  for (const check of schema.def.checks ?? []) {
    const def = check._zod.def as { check?: string; inclusive?: boolean };
    if (def.check === which) return def.inclusive !== false;
  }
  return true;
}

/** The object schema of a node type's params (behind a prefault when all are optional). */
function paramsObject(type: NodeType): z.ZodObject {
  let s = NODE_SCHEMAS[type].shape.params as z.ZodType;
  while (s instanceof z.ZodPrefault || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  if (!(s instanceof z.ZodObject)) throw new Error(`params of ${type} are not an object schema`);
  return s;
}

function fieldOf(key: string, schema: z.ZodType): ParamField {
  const { schema: inner, optional, defaultValue } = unwrap(schema);
  const base = { key, label: key.replace(/_/g, ' '), optional, help: PARAM_HELP[key] ?? '' };
  if (inner instanceof z.ZodNumber) {
    const min = inner.minValue;
    const max = inner.maxValue;
    return {
      ...base,
      kind: 'number',
      integer: inner.isInt === true,
      min: min !== null && Number.isFinite(min) ? min : undefined,
      max: max !== null && Number.isFinite(max) ? max : undefined,
      minInclusive: boundInclusive(inner, 'greater_than'),
      maxInclusive: boundInclusive(inner, 'less_than'),
      default: typeof defaultValue === 'number' ? defaultValue : undefined,
    };
  }
  if (inner instanceof z.ZodBoolean) {
    return { ...base, kind: 'boolean', default: typeof defaultValue === 'boolean' ? defaultValue : undefined };
  }
  if (inner instanceof z.ZodEnum) {
    const options = inner.options.map(String);
    return { ...base, kind: 'select', options, default: typeof defaultValue === 'string' ? defaultValue : undefined };
  }
  throw new Error(`param "${key}" has a schema the inspector cannot edit`);
}

const cache = new Map<NodeType, ParamField[]>();

/** The inspector fields of a node type, in NODE_TYPES' paramKeys order. */
export function paramFields(type: NodeType): ParamField[] {
  const hit = cache.get(type);
  if (hit) return hit;
  const shape = paramsObject(type).shape as Record<string, z.ZodType>;
  const fields = NODE_TYPES[type].paramKeys.map((key) => fieldOf(key, shape[key]));
  cache.set(type, fields);
  return fields;
}

export type ParsedInput = { ok: true; value: number | undefined } | { ok: false; message: string };

/**
 * Reads a number field's text: undefined for an empty optional field (remove the
 * key), else a number. Text that is no number at all stays in the field, unapplied,
 * with this message; a number out of range is applied so the engine's own message
 * names the problem.
 */
export function parseNumberInput(text: string, field: NumberField): ParsedInput {
  const t = text.trim();
  if (t === '') return field.optional ? { ok: true, value: undefined } : { ok: false, message: `${field.key} needs a value` };
  const value = Number(t);
  if (!Number.isFinite(value)) return { ok: false, message: `${field.key} must be a number` };
  return { ok: true, value };
}
