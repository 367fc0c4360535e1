// Training settings: the optimiser and the loop around it. One zod schema, the
// types inferred from it, and a validator whose messages name the field.
import { z } from 'zod';

export const OPTIMIZER_TYPES = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerType = (typeof OPTIMIZER_TYPES)[number];

export const MAX_BATCH_SIZE = 65_536;
export const MAX_STEPS = 10_000_000;

/** 65536 -> "65,536", the same on every locale. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function number(msg: string) {
  return z.number({ error: msg });
}

function positive(msg = 'must be a positive number') {
  return number(msg).gt(0, { error: msg });
}

function fraction(msg = 'must be a number from 0 up to (not including) 1') {
  return number(msg).min(0, { error: msg }).lt(1, { error: msg });
}

function integer(min: number, max: number, msg: string) {
  return number(msg).int({ error: msg }).min(min, { error: msg }).max(max, { error: msg });
}

export const optimizerSchema = z.strictObject(
  {
    type: z.enum(OPTIMIZER_TYPES, { error: `must be one of ${OPTIMIZER_TYPES.join(', ')}` }),
    /** Learning rate: the step size. */
    lr: positive('must be a positive number (the step size, e.g. 0.01)'),
    /** Momentum coefficient (used by 'momentum'). */
    momentum: fraction().default(0.9),
    /** Nesterov look-ahead (used by 'momentum'). */
    nesterov: z.boolean({ error: 'must be true or false' }).default(false),
    /** Adam's decay rates of the first and second moment estimates. */
    beta1: fraction().default(0.9),
    beta2: fraction().default(0.999),
    /** Added to Adam's denominator so it never divides by zero. */
    eps: positive().default(1e-8),
    /** L2 penalty added to the gradient (decay * w); 0 turns it off. */
    weight_decay: number('must be a number, 0 or more').min(0, { error: 'must be a number, 0 or more' }).default(0),
  },
  { error: 'must be an object such as {"type": "sgd", "lr": 0.1}' },
);

export const trainingSettingsSchema = z.strictObject(
  {
    optimizer: optimizerSchema,
    /** Rescale the whole gradient to this L2 norm when it is larger; absent: no clipping. */
    clip_norm: positive('must be a positive number (leave it out for no clipping)').optional(),
    batch_size: integer(1, MAX_BATCH_SIZE, `must be an integer from 1 to ${grouped(MAX_BATCH_SIZE)}`).default(32),
    steps: integer(1, MAX_STEPS, `must be an integer from 1 to ${grouped(MAX_STEPS)}`).default(1000),
    /** Record traces every this many steps (1: every step). */
    trace_every: integer(1, MAX_STEPS, 'must be an integer, 1 or more').default(1),
    /** Seeds weight initialisation, batch order and dropout. */
    seed: integer(0, Number.MAX_SAFE_INTEGER, 'must be a whole number, 0 or more').default(0),
    /** Record the log10|g| histogram of every parameter tensor. */
    histogram: z.boolean({ error: 'must be true or false' }).default(true),
    /** Record activation mean, spread and saturation per layer (off: gradient norms only, cheaper). */
    activation_stats: z.boolean({ error: 'must be true or false' }).default(true),
    /**
     * Share of the data set's rows held out for testing (0: train on every row). The
     * split is drawn with the run's seed, so a run and its duplicate test on the same rows.
     */
    test_fraction: number('must be a number from 0 up to 0.9')
      .min(0, { error: 'must be a number from 0 up to 0.9' })
      .max(0.9, { error: 'must be a number from 0 up to 0.9' })
      .default(0),
  },
  { error: 'must be an object' },
);

/** Parsed settings, defaults filled in. */
export type TrainingSettings = z.output<typeof trainingSettingsSchema>;
/** Settings as written (everything but optimizer.type and optimizer.lr may be left out). */
export type TrainingSettingsInput = z.input<typeof trainingSettingsSchema>;
export type OptimizerSettings = TrainingSettings['optimizer'];

export interface SettingsError {
  /** Dotted path of the field, e.g. "optimizer.lr". */
  field: string;
  message: string;
}

export type SettingsResult = { ok: true; settings: TrainingSettings } | { ok: false; errors: SettingsError[] };

/** Checks training settings; messages read like `optimizer.lr must be a positive number`. */
export function validateTrainingSettings(input: unknown): SettingsResult {
  const parsed = trainingSettingsSchema.safeParse(input, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? 'unknown' : 'has a value that is not allowed'),
  });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors = parsed.error.issues.map((issue): SettingsError => {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const where = field ? `in ${field}` : 'in the training settings';
      return { field, message: `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} ${where}` };
    }
    if (!field) return { field, message: `the training settings ${issue.message}` };
    const value = issue.path.reduce<unknown>(
      (v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
      input,
    );
    const message = value === undefined ? `${field} is missing; it ${issue.message}` : `${field} ${issue.message}`;
    return { field, message };
  });
  return { ok: false, errors };
}
