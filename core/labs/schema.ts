// The ONE definition of a guided lab, `vglab-lab/1`: what a student reads (title,
// objectives, steps, questions), the networks a step loads into the designer
// (presets), and the checkpoints that judge the student's own runs. zod only, no
// Node imports, so the renderer's Labs view reads labs with this same schema.
//
// Every sentence a student sees lives in the lab file (English in the bundled
// labs/*.json; a translation is a copy of the file with its texts translated and
// `language` changed). Nothing here holds text meant for a student except the
// validation messages. docs/lab-format.md describes every field.
import { z } from 'zod';

import type { FixId } from '../diagnosis/types.ts';
import { ACTIVATION_KINDS } from '../network/activationCurves.ts';
import { NODE_TYPE_LIST, networkSpecSchema } from '../network/spec.ts';
import { TEMPLATE_IDS } from '../network/templates.ts';
import { builtinDatasetSchema } from '../project/schema.ts';
import { trainingSettingsSchema } from '../training/settings.ts';

export const LAB_FORMAT_PREFIX = 'vglab-lab/';
export const LAB_FORMAT = `${LAB_FORMAT_PREFIX}1` as const;

/** Ids of labs, presets, questions and checkpoints: 1 to 64 lower-case letters, digits, "-" and "_". */
export const LAB_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Fixes of the diagnosis engine that change the network (the others change settings, which a preset states itself). */
export const NETWORK_FIX_IDS = ['relu-he', 'standard-init', 'batchnorm', 'residual', 'lstm', 'gru', 'forget-bias', 'leaky-relu'] as const satisfies readonly FixId[];

const idSchema = z
  .string({ error: 'must be an id (a string)' })
  .regex(LAB_ID_PATTERN, { error: 'must be 1 to 64 lower-case letters, digits, "-" or "_", starting with a letter or digit' });

const text = (what = 'text') =>
  z.string({ error: `must be ${what} (a string)` }).trim().min(1, { error: `must not be empty` });

const finite = z.number({ error: 'must be a finite number' });

// ---- presets: what a step loads into the designer --------------------------------------

/** Template sizes; each template clamps them into its own limits (core/network/templates.ts). */
const templateOptionsSchema = z.strictObject(
  {
    depth: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).optional(),
    width: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).optional(),
    sequenceLength: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).optional(),
  },
  { error: 'must be an object such as {"depth": 10, "width": 16}' },
);

/**
 * A network built from a template of core/network/templates.ts, then edited in this
 * order: `activation` replaces the type of every activation node (keeping its id),
 * `params` merges into the params of the nodes it names (a node id wins over a node
 * type), and `fixes` applies network fixes of the diagnosis engine one after another.
 */
export const templateNetworkSchema = z.strictObject({
  template: z.enum(TEMPLATE_IDS, { error: `must be one of ${TEMPLATE_IDS.join(', ')}` }),
  options: templateOptionsSchema.default({}),
  activation: z.enum(ACTIVATION_KINDS, { error: `must be one of ${ACTIVATION_KINDS.join(', ')}` }).optional(),
  params: z
    .record(z.string(), z.record(z.string(), z.unknown(), { error: 'must be an object of params' }), {
      error: 'must map a node type or node id to the params to set, e.g. {"dense": {"init_scale": 0.5}}',
    })
    .optional(),
  fixes: z.array(z.enum(NETWORK_FIX_IDS, { error: `must be one of ${NETWORK_FIX_IDS.join(', ')}` })).optional(),
});

export const presetNetworkSchema = z.union([networkSpecSchema, templateNetworkSchema], {
  error: 'must be a network spec ("format": "vglab-network/1") or {"template": ..., "options": ...}',
});

/** 'pass' or 'fail': what a checkpoint should say about this preset's run, as written by the lab's author. */
export const EXPECTATIONS = ['pass', 'fail'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export const presetSchema = z.strictObject({
  /** Referred to by checkpoints; unique within the lab. */
  id: idSchema,
  /** The run's label in the app and the report (the preset id when absent). */
  label: text('a label').optional(),
  network: presetNetworkSchema,
  dataset: builtinDatasetSchema,
  settings: trainingSettingsSchema,
});

// ---- checkpoint conditions --------------------------------------------------------------

/** Which traced row: the first, the last, or the first one at or after training step `step`. */
export const rowSchema = z.union(
  [
    z.literal('first'),
    z.literal('last'),
    z.strictObject({ step: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }) }),
  ],
  { error: 'must be "first", "last" or {"step": N}' },
);

/**
 * A layer: "firstHidden" / "lastHidden" (the first and last weighted hidden layers in
 * plan order, the read-out left out), or a node id of the network.
 */
export const layerRefSchema = z.string({ error: 'must be "firstHidden", "lastHidden" or a node id' }).min(1, { error: 'must not be empty' });

const bounds = {
  below: finite.optional(),
  above: finite.optional(),
};

const hasBound = (c: { below?: number; above?: number }) => c.below !== undefined || c.above !== undefined;
const boundMessage = { error: 'needs a threshold: "below", "above" or both' };

export const gradientRatioSchema = z
  .strictObject({
    kind: z.literal('gradientRatio'),
    at: rowSchema.default('first'),
    numerator: layerRefSchema.default('firstHidden'),
    denominator: layerRefSchema.default('lastHidden'),
    /** 'weight': ||dL/dW|| of the layer's main weight (out_grad_norm for a node without one); 'output': ||dL/d(output)||. */
    metric: z.enum(['weight', 'output'], { error: 'must be "weight" or "output"' }).default('weight'),
    ...bounds,
  })
  .refine(hasBound, boundMessage);

export const lossRatioSchema = z
  .strictObject({
    kind: z.literal('lossRatio'),
    /** The later window starts at this training step. */
    after: z.number({ error: 'must be a whole number, 0 or more' }).int({ error: 'must be a whole number, 0 or more' }).min(0, { error: 'must be a whole number, 0 or more' }),
    /** Steps averaged at each end (single batches are noisy). */
    window: z.number({ error: 'must be a whole number from 1' }).int({ error: 'must be a whole number from 1' }).min(1, { error: 'must be a whole number from 1' }).default(20),
    ...bounds,
  })
  .refine(hasBound, boundMessage);

export const lossSchema = z
  .strictObject({
    kind: z.literal('loss'),
    after: z.number({ error: 'must be a whole number, 0 or more' }).int({ error: 'must be a whole number, 0 or more' }).min(0, { error: 'must be a whole number, 0 or more' }),
    window: z.number({ error: 'must be a whole number from 1' }).int({ error: 'must be a whole number from 1' }).min(1, { error: 'must be a whole number from 1' }).default(20),
    ...bounds,
  })
  .refine(hasBound, boundMessage);

export const saturationSchema = z
  .strictObject({
    kind: z.literal('saturation'),
    /** "any": the most saturated (or most dead) layer; "mean": the mean over the layers that record it; or a node id. */
    layer: z.string({ error: 'must be "any", "mean" or a node id' }).min(1, { error: 'must not be empty' }).default('any'),
    at: rowSchema.default('last'),
    ...bounds,
  })
  .refine(hasBound, boundMessage);

export const timestepRatioSchema = z
  .strictObject({
    kind: z.literal('timestepRatio'),
    /** A recurrent node id; the first recurrent node when absent. */
    node: z.string({ error: 'must be a node id' }).min(1, { error: 'must not be empty' }).optional(),
    at: rowSchema.default('first'),
    ...bounds,
  })
  .refine(hasBound, boundMessage);

export const divergedSchema = z.strictObject({
  kind: z.literal('diverged'),
  expected: z.boolean({ error: 'must be true or false' }),
});

export type GradientRatioCondition = z.output<typeof gradientRatioSchema>;
export type LossRatioCondition = z.output<typeof lossRatioSchema>;
export type LossCondition = z.output<typeof lossSchema>;
export type SaturationCondition = z.output<typeof saturationSchema>;
export type TimestepRatioCondition = z.output<typeof timestepRatioSchema>;
export type DivergedCondition = z.output<typeof divergedSchema>;
export type MeasureCondition =
  | GradientRatioCondition
  | LossRatioCondition
  | LossCondition
  | SaturationCondition
  | TimestepRatioCondition
  | DivergedCondition;
export type Condition = MeasureCondition | { all: Condition[] } | { any: Condition[] };

export const CONDITION_KINDS = ['gradientRatio', 'lossRatio', 'loss', 'saturation', 'timestepRatio', 'diverged'] as const;

const KIND_SCHEMAS = {
  gradientRatio: gradientRatioSchema,
  lossRatio: lossRatioSchema,
  loss: lossSchema,
  saturation: saturationSchema,
  timestepRatio: timestepRatioSchema,
  diverged: divergedSchema,
} as const;

/** Combinators nest at most this deep; parsing and judging conditions recurse, and a hostile file must not exhaust the stack. */
export const MAX_CONDITION_DEPTH = 16;

/** How deep `all` / `any` lists nest in a raw condition, counted without recursion and capped just past the limit. */
function combinatorDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_CONDITION_DEPTH) return deepest;
    for (const key of ['all', 'any']) {
      const list = (v as Record<string, unknown>)[key];
      if (Array.isArray(list)) for (const x of list) stack.push([x, depth + 1]);
    }
  }
  return deepest;
}

/**
 * A condition: one measurement ({"kind": ...}) or a combinator {"all": [...]} /
 * {"any": [...]}. Dispatched by hand rather than by a zod union, so an error names
 * the field of the kind the author meant instead of "no branch fits".
 */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.unknown().transform((value, ctx): Condition => {
    const fail = (message: string): Condition => {
      ctx.issues.push({ code: 'custom', input: value, message });
      return z.NEVER;
    };
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return fail('must be a condition: {"kind": ...}, {"all": [...]} or {"any": [...]}');
    }
    if (combinatorDepth(value) > MAX_CONDITION_DEPTH) {
      return fail(`nests "all" / "any" more than ${MAX_CONDITION_DEPTH} levels deep; flatten it`);
    }
    const obj = value as Record<string, unknown>;
    for (const key of ['all', 'any'] as const) {
      if (!(key in obj)) continue;
      const extra = Object.keys(obj).filter((k) => k !== key);
      if (extra.length > 0) return fail(`has "${key}" and also ${extra.map((k) => `"${k}"`).join(', ')}; a combinator holds only its list`);
      const parsed = z
        .array(conditionSchema, { error: 'must be a list of conditions' })
        .min(1, { error: 'must hold at least one condition' })
        .safeParse(obj[key]);
      if (!parsed.success) {
        for (const i of parsed.error.issues) ctx.issues.push({ ...i, input: value, path: [key, ...i.path] } as never);
        return z.NEVER;
      }
      return key === 'all' ? { all: parsed.data } : { any: parsed.data };
    }
    const kind = obj.kind;
    if (typeof kind !== 'string' || !(CONDITION_KINDS as readonly string[]).includes(kind)) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        path: ['kind'],
        message: `must be one of ${CONDITION_KINDS.join(', ')} (or use "all" / "any")`,
      });
      return z.NEVER;
    }
    const parsed = KIND_SCHEMAS[kind as keyof typeof KIND_SCHEMAS].safeParse(value);
    if (!parsed.success) {
      for (const i of parsed.error.issues) ctx.issues.push({ ...i, input: value } as never);
      return z.NEVER;
    }
    return parsed.data;
  }),
);

// ---- the lab -------------------------------------------------------------------------------

export const stepSchema = z.strictObject({
  /** What the student reads and does in this step. */
  text: text(),
  /** The network, data set and settings this step loads into the designer. */
  preset: presetSchema.optional(),
});

export const questionSchema = z.strictObject({
  id: idSchema,
  prompt: text(),
  /** The answer key, shown in teacher mode only. */
  answer: text().optional(),
});

export const checkpointSchema = z.strictObject({
  id: idSchema,
  /** What the checkpoint checks, in the student's words. */
  description: text(),
  /** Ids of the presets whose runs it judges (a student's run started from one of them). */
  presets: z.array(idSchema, { error: 'must be a list of preset ids' }).min(1, { error: 'must name at least one preset' }),
  condition: conditionSchema,
  /**
   * For the lab's own tests: what the checkpoint should say on each preset's
   * untouched run. A lab shows both sides, so at least one preset is expected to
   * pass and, where the lab has a broken network, one to fail.
   */
  expect: z.record(z.string(), z.enum(EXPECTATIONS, { error: 'must be "pass" or "fail"' })).optional(),
});

export const locksSchema = z.strictObject({
  /** The node types the palette offers (all when absent). */
  nodeTypes: z.array(z.enum(NODE_TYPE_LIST, { error: `must be one of ${NODE_TYPE_LIST.join(', ')}` })).optional(),
  /** 'readonly': the network loads as it is and cannot be changed. */
  network: z.enum(['readonly', 'editable'], { error: 'must be "readonly" or "editable"' }).default('editable'),
  /** 'readonly': the training settings cannot be changed. */
  settings: z.enum(['readonly', 'editable'], { error: 'must be "readonly" or "editable"' }).default('editable'),
});

export const labSchema = z
  .strictObject({
    format: z.literal(LAB_FORMAT, { error: `must be "${LAB_FORMAT}"` }),
    id: idSchema,
    /** BCP 47 tag of the texts' language. */
    language: z.string({ error: 'must be a language tag such as "en"' }).regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'must be a language tag such as "en"' }).default('en'),
    title: text(),
    summary: text(),
    objectives: z.array(text(), { error: 'must be a list of texts' }).min(1, { error: 'must hold at least one objective' }),
    steps: z.array(stepSchema, { error: 'must be a list of steps' }).min(1, { error: 'must hold at least one step' }),
    questions: z.array(questionSchema, { error: 'must be a list of questions' }).default([]),
    checkpoints: z.array(checkpointSchema, { error: 'must be a list of checkpoints' }).default([]),
    locks: locksSchema.optional(),
    /** Notes for the teacher on the lab as a whole: what students should take away. Teacher mode only. */
    answerKey: text().optional(),
  })
  .check((ctx) => {
    const lab = ctx.value;
    const issue = (path: PropertyKey[], message: string) => ctx.issues.push({ code: 'custom', input: lab, path, message });
    const presets = new Map<string, number>();
    lab.steps.forEach((s, i) => {
      if (!s.preset) return;
      if (presets.has(s.preset.id)) issue(['steps', i, 'preset', 'id'], `"${s.preset.id}" is already the id of the preset of step ${presets.get(s.preset.id)}`);
      else presets.set(s.preset.id, i);
    });
    const unique = (list: { id: string }[], key: 'questions' | 'checkpoints') => {
      const seen = new Set<string>();
      list.forEach((q, i) => {
        if (seen.has(q.id)) issue([key, i, 'id'], `"${q.id}" is used twice`);
        seen.add(q.id);
      });
    };
    unique(lab.questions, 'questions');
    unique(lab.checkpoints, 'checkpoints');
    lab.checkpoints.forEach((c, i) => {
      c.presets.forEach((p, j) => {
        if (!presets.has(p)) issue(['checkpoints', i, 'presets', j], `names no preset of this lab ("${p}"); the presets are ${[...presets.keys()].map((k) => `"${k}"`).join(', ') || 'none'}`);
      });
      for (const p of Object.keys(c.expect ?? {})) {
        if (!c.presets.includes(p)) issue(['checkpoints', i, 'expect', p], `"${p}" is not one of this checkpoint's presets`);
      }
    });
  });

/** A parsed lab, defaults filled in. */
export type Lab = z.output<typeof labSchema>;
/** A lab as written. */
export type LabInput = z.input<typeof labSchema>;
export type LabStep = Lab['steps'][number];
export type LabPreset = z.output<typeof presetSchema>;
export type LabQuestion = Lab['questions'][number];
export type LabCheckpoint = Lab['checkpoints'][number];
export type LabLocks = z.output<typeof locksSchema>;
export type TemplateNetwork = z.output<typeof templateNetworkSchema>;
export type PresetNetwork = z.output<typeof presetNetworkSchema>;
