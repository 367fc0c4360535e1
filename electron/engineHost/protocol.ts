/**
 * The messages between the lab (the parent) and an engine host process, one zod
 * schema each. They cross a process boundary, so each side validates what it
 * receives: the host every command, the parent every message the host sends.
 * Messages are structured-cloned (Node's 'advanced' serialization, or Electron's
 * MessagePort), so typed arrays arrive as typed arrays.
 *
 *   parent -> host   start {job}   train {steps?}   pause   stop   exit
 *                    predict {id, x, rows}   jacobian {id, x, samples}   weights {id}
 *   host -> parent   ready {layout}   chunk {chunk, stepsDone}   state {state, ..., weights?}   error {code, message}
 *                    prediction {id, output}   spectra {id, spectra}   weights {id, params}   refused {id, code, message}
 *
 * A chunk may carry evaluations of the run's held-out test rows (test_fraction > 0,
 * core/traces/evaluation.ts), and may carry only those: the one before the first step.
 *
 * A run's life in messages: start -> ready; train -> chunk* -> state 'paused'
 * (asked for steps done, or a pause) | 'completed' | 'cancelled' (after stop) |
 * 'diverged'. A final state (the last three) carries the network's weights, so the
 * lab keeps them without another round trip; after it, or an error, the parent
 * sends exit.
 *
 * Queries (predict, jacobian, weights) ask the trained network a question; each is
 * answered by one message carrying its id. The host answers them only while it is
 * not training (paused, or after a final state): otherwise 'refused' with code
 * 'conflict'. The host handles commands in order, one at a time: a command that
 * arrives while a jacobian is being computed waits for it (the engine allows one
 * call at a time). A job with `weights` starts from those weights instead of fresh
 * ones: how the lab asks questions of a run whose own host has already exited.
 */
import { z } from 'zod';

import { RECURRENT_TYPES } from '../../core/network/spec.ts';
import { csvDatasetSchema, MAX_CSV_BYTES } from '../../core/project/schema.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import { EVALUATION_METRIC_IDS } from '../../core/traces/evaluation.ts';
import { RECURRENT_METRIC_IDS, TRACE_METRIC_IDS } from '../../core/traces/metrics.ts';
import { MAX_STEPS } from '../../core/training/settings.ts';

// ---- parent -> host ------------------------------------------------------------------------

// z.custom rather than z.instanceof: the engine's arrays are typed over ArrayBufferLike.
const float32 = z.custom<Float32Array>((v) => v instanceof Float32Array, { error: 'must be a Float32Array' });
const float64 = z.custom<Float64Array>((v) => v instanceof Float64Array, { error: 'must be a Float64Array' });
/** Parameter tensors by name ("<node id>.<weight>"), as the engine's getParams() gives them. */
export const weightsSchema = z.record(z.string(), float32);
export type Weights = z.output<typeof weightsSchema>;

/**
 * A data set choice: a CSV file, or a built-in set whose name and options the host
 * checks with makeDataset (core/datasets/catalog.ts), whose messages name the set
 * and the option ("spiral: classes must be an integer from 2 to 8 (got 99)").
 */
const jobDatasetSchema = z.union([
  csvDatasetSchema,
  z.strictObject({ name: z.string(), options: z.record(z.string(), z.unknown()).default({}) }),
]);

/**
 * What to train. The network and the settings are checked by the host's trainer
 * (core/network/validate.ts, core/training/settings.ts), whose messages name the
 * node and the field; this schema only checks the envelope.
 */
export const engineJobSchema = z.strictObject({
  network: z.unknown(),
  settings: z.unknown(),
  dataset: jobDatasetSchema,
  /** Where the CSV file of a `{csv: ...}` data set is on disk (a project that names a file beside it). */
  csvPath: z.string().min(1).optional(),
  /** The text of a `{csv: ...}` data set the project embeds (instead of csvPath). */
  csvText: z.string().max(MAX_CSV_BYTES).optional(),
  memoryCapBytes: z.number().int().positive().optional(),
  /** Weights to load after compiling (every parameter, exactly its size): a finished run, asked questions. */
  weights: weightsSchema.optional(),
});

/** A query's id: the parent pairs the answer with the question by it. */
const queryId = z.number().int().min(0);

export const hostCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), job: engineJobSchema }),
  /** Trains this many more steps (absent: up to settings.steps), then reports 'paused' or 'completed'. */
  z.strictObject({ type: z.literal('train'), steps: z.number().int().min(1).max(MAX_STEPS).optional() }),
  /** Stops between steps; the host answers state 'paused'. */
  z.strictObject({ type: z.literal('pause') }),
  /** Stops for good; the host answers state 'cancelled' (or the final state it already reached). */
  z.strictObject({ type: z.literal('stop') }),
  /** Ends the host process (after a final state or an error). */
  z.strictObject({ type: z.literal('exit') }),
  /** The network's outputs for `rows` rows of x (evaluation mode): answered by 'prediction'. */
  z.strictObject({ type: z.literal('predict'), id: queryId, x: float32, rows: z.number().int().min(1).max(100_000_000) }),
  /** Singular values of the Jacobians at `samples` rows of x: answered by 'spectra'. */
  z.strictObject({ type: z.literal('jacobian'), id: queryId, x: float32, samples: z.number().int().min(1).max(256) }),
  /** Every parameter tensor: answered by 'weights'. */
  z.strictObject({ type: z.literal('weights'), id: queryId }),
]);

export type HostCommand = z.infer<typeof hostCommandSchema>;

export type QueryCommand = Extract<HostCommand, { type: 'predict' | 'jacobian' | 'weights' }>;

// ---- host -> parent ------------------------------------------------------------------------

/** A TraceChunk: its metric keys come from the one list of metrics in core/traces/metrics.ts. */
export const traceChunkSchema = z.strictObject({
  stepFrom: z.number().int().min(0),
  rowFrom: z.number().int().min(0),
  steps: z.instanceof(Int32Array),
  metrics: z.strictObject({
    ...Object.fromEntries(TRACE_METRIC_IDS.map((id) => [id, float32])),
    ...Object.fromEntries(RECURRENT_METRIC_IDS.map((id) => [id, float32.optional()])),
  }),
  histogram: z.instanceof(Uint32Array),
  /** Held-out test evaluations since the previous chunk (core/traces/evaluation.ts). */
  evaluation: z
    .strictObject({
      from: z.number().int().min(0),
      steps: z.instanceof(Int32Array),
      metrics: z.strictObject(Object.fromEntries(EVALUATION_METRIC_IDS.map((id) => [id, float32]))),
    })
    .optional(),
}) as unknown as z.ZodType<TraceChunk>; // the spread keys are exactly TraceChunk['metrics'], which zod cannot infer

/** The RunLayout of core/api/labApi.ts. */
export const runLayoutSchema = z.strictObject({
  nodeIds: z.array(z.string()),
  paramNames: z.array(z.string()),
  recurrent: z.array(
    z.strictObject({
      nodeId: z.string(),
      type: z.enum(RECURRENT_TYPES),
      time: z.number().int().min(1),
      gates: z.array(z.string()),
    }),
  ),
  parameterCount: z.number().int().min(0),
});

/** Where the host's training stands, sent when it stops between steps or for good. */
export const HOST_RUN_STATES = ['paused', 'completed', 'cancelled', 'diverged'] as const;
export type HostRunState = (typeof HOST_RUN_STATES)[number];

/** Any number, NaN and infinities included: a diverged run's loss is one of those. */
const anyNumber = z.custom<number>((v) => typeof v === 'number', { error: 'must be a number' });
const stepCount = z.number().int().min(0);

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), layout: runLayoutSchema }),
  /** New traces since the previous chunk; at most MAX_RUN_MESSAGES_PER_SECOND of these a second. */
  z.strictObject({ type: z.literal('chunk'), chunk: traceChunkSchema, stepsDone: stepCount }),
  z.strictObject({
    type: z.literal('state'),
    state: z.enum(HOST_RUN_STATES),
    stepsDone: stepCount,
    lastLoss: anyNumber.optional(),
    divergence: z.string().optional(),
    /** The network's weights, with every final state (a diverged run's are those before the bad step). */
    weights: weightsSchema.optional(),
  }),
  /**
   * The job could not start ('invalid-input': the message names the node or field,
   * word for word as the trainer said it) or training broke ('internal').
   */
  z.strictObject({ type: z.literal('error'), code: z.enum(['invalid-input', 'internal']), message: z.string() }),
  /** Answers predict: (rows, outputs per row) row-major. */
  z.strictObject({ type: z.literal('prediction'), id: queryId, output: float32 }),
  /** Answers jacobian (the shape of the engine's NativeJacobianSpectra). */
  z.strictObject({
    type: z.literal('spectra'),
    id: queryId,
    spectra: z.strictObject({ samples: z.number().int().min(0), network: float64, nodes: z.record(z.string(), float64) }),
  }),
  /** Answers weights. */
  z.strictObject({ type: z.literal('weights'), id: queryId, params: weightsSchema }),
  /**
   * A query the host would not or could not answer: 'conflict' (it is training),
   * 'invalid-input' (the engine's words: x of the wrong size, a sequence network's
   * Jacobian), 'internal' (a bug). The run goes on either way.
   */
  z.strictObject({
    type: z.literal('refused'),
    id: queryId,
    code: z.enum(['conflict', 'invalid-input', 'internal']),
    message: z.string(),
  }),
]);

export type HostMessage = z.infer<typeof hostMessageSchema>;
/** What answers a query. */
export type QueryReply = Extract<HostMessage, { type: 'prediction' | 'spectra' | 'weights' | 'refused' }>;

/**
 * "dataset.name: must be a string; ..." for each problem of a message that failed its
 * schema; `skip` leading path parts left out (1 names a start command's fields from its job).
 */
export function describeIssues(error: z.ZodError, skip = 0): string {
  return error.issues
    .map((i) => {
      const field = i.path.slice(skip).map(String).join('.');
      return field ? `${field}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** A command as the parent writes it (defaults of the job's data set may be left out). */
export type HostCommandInput = z.input<typeof hostCommandSchema>;
