// The ONE definition of the project file `vglab-project/1` (a `.vglab` file): the
// network, the data set choice, the training settings and the runs with their
// traces. zod only, no Node imports, so the renderer can read a project too.
//
// The network and the settings reuse the schemas of core/network/spec.ts and
// core/training/settings.ts; the traces are the column-wise TraceColumns of
// core/traces/metrics.ts, each typed array stored as base64 of its little-endian
// bytes (see traceCodec.ts, which encodes and decodes them).
//
// Adding a field that old files lack: give it a default here (an optional field
// is still version 1). Renaming, removing or reshaping a field: bump
// PROJECT_VERSION and add a step to MIGRATIONS in migrate.ts.
import { z } from 'zod';

import { isDatasetName, DATASET_NAMES, DATASETS } from '../datasets/catalog.ts';
import { RECURRENT_TYPES, networkSpecSchema } from '../network/spec.ts';
import { trainingSettingsSchema } from '../training/settings.ts';
import {
  HIST_STRIDE,
  RECURRENT_METRICS,
  TRACE_METRICS,
  type RecurrentMetricId,
  type TraceMetricId,
} from '../traces/metrics.ts';
import { EVALUATION_METRICS, type EvaluationMetricId } from '../traces/evaluation.ts';

/** The current version; parseProject migrates older files up to it and refuses newer ones. */
export const PROJECT_VERSION = 1;
export const PROJECT_FORMAT_PREFIX = 'vglab-project/';
export const PROJECT_FORMAT = `${PROJECT_FORMAT_PREFIX}${PROJECT_VERSION}` as const;
/** The file name extension of a project (with its dot). */
export const PROJECT_EXTENSION = '.vglab';

// ---- encoded typed arrays --------------------------------------------------------------

export const ENCODED_ARRAY_TYPES = ['float32', 'int32', 'uint32'] as const;
export type EncodedArrayType = (typeof ENCODED_ARRAY_TYPES)[number];

/** Characters of base64 (with `=` padding) for `bytes` bytes. */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * How an array's bytes are stored. 'raw': its little-endian bytes. 'deflate': the
 * same bytes split into byte planes (all first bytes, then all second bytes...),
 * deflated; exact, and the planes holding signs and exponents shrink to almost
 * nothing. 'bfloat16' (float32 only): each value rounded to its top 16 bits
 * (float32's range, 8 significant bits: at most 0.4% off), two planes, deflated;
 * what long traces of per-layer statistics use, so a 10,000-step trace of a
 * 20-layer network stays a few MB.
 */
export const ARRAY_ENCODINGS = ['raw', 'deflate', 'bfloat16'] as const;
export type ArrayEncoding = (typeof ARRAY_ENCODINGS)[number];

/** More elements than any trace holds (2^28: 1 GiB of float32); a larger length is a damaged file. */
export const MAX_ENCODED_LENGTH = 2 ** 28;

/**
 * One typed array: `length` elements of `type`, `base64` holding its bytes as
 * `encoding` says. The type is fixed per field (steps int32, metrics float32,
 * histogram uint32), so the schema takes it as a literal.
 */
function encodedArraySchema<T extends EncodedArrayType>(type: T) {
  const count = 'must be a whole number from 0 to 268,435,456';
  return z
    .strictObject(
      {
        type: z.literal(type, { error: `must be "${type}"` }),
        length: z.number({ error: count }).int({ error: count }).min(0, { error: count }).max(MAX_ENCODED_LENGTH, { error: count }),
        encoding: z.enum(ARRAY_ENCODINGS, { error: `must be one of ${ARRAY_ENCODINGS.join(', ')}` }).default('raw'),
        base64: z
          .string({ error: 'must be a base64 string' })
          .regex(BASE64_PATTERN, { error: 'must be a base64 string (A-Z, a-z, 0-9, "+", "/", "=" padding)' }),
      },
      { error: `must be an encoded ${type} array {"type", "length", "base64"}` },
    )
    .check((ctx) => {
      const { length, base64, encoding } = ctx.value;
      const issue = (path: string, message: string) => ctx.issues.push({ code: 'custom', input: ctx.value, path: [path], message });
      if (encoding === 'bfloat16' && type !== 'float32') issue('encoding', `bfloat16 holds float32 values, not ${type}`);
      // Compressed sizes are only known after inflating (decodeTypedArray checks them).
      if (encoding !== 'raw') return;
      const expected = base64Length(length * 4);
      if (base64.length !== expected) issue('base64', `holds ${base64.length} characters; ${length} ${type} values need ${expected}`);
    });
}

export const encodedFloat32Schema = encodedArraySchema('float32');
export const encodedInt32Schema = encodedArraySchema('int32');
export const encodedUint32Schema = encodedArraySchema('uint32');
export type EncodedArray = z.output<typeof encodedFloat32Schema | typeof encodedInt32Schema | typeof encodedUint32Schema>;

const stringList = (what: string) => z.array(z.string({ error: `must be a ${what} (a string)` }), { error: `must be a list of ${what}s` });

export const recurrentLayoutSchema = z.strictObject({
  nodeId: z.string({ error: 'must be a node id (a string)' }),
  type: z.enum(RECURRENT_TYPES, { error: `must be one of ${RECURRENT_TYPES.join(', ')}` }),
  time: z.number({ error: 'must be a whole number, 0 or more' }).int().min(0, { error: 'must be a whole number, 0 or more' }),
  gates: stringList('gate name'),
});

const metricsShape = Object.fromEntries(TRACE_METRICS.map((m) => [m.id, encodedFloat32Schema])) as {
  [K in TraceMetricId]: typeof encodedFloat32Schema;
};
const recurrentMetricsShape = Object.fromEntries(RECURRENT_METRICS.map((m) => [m.id, encodedFloat32Schema])) as {
  [K in RecurrentMetricId]: typeof encodedFloat32Schema;
};

const evaluationMetricsShape = Object.fromEntries(EVALUATION_METRICS.map((m) => [m.id, encodedFloat32Schema])) as {
  [K in EvaluationMetricId]: typeof encodedFloat32Schema;
};

/**
 * A run's TraceColumns as stored (see TraceColumns for the shapes). The lengths
 * are checked against each other here, so a file whose arrays do not fit its
 * node and parameter lists is refused with the field's path.
 */
export const encodedTracesSchema = z
  .strictObject({
    steps: encodedInt32Schema,
    nodeIds: stringList('node id'),
    paramNames: stringList('parameter name'),
    metrics: z.strictObject(metricsShape),
    histogram: encodedUint32Schema,
    recurrent: z
      .strictObject({ nodes: z.array(recurrentLayoutSchema), metrics: z.strictObject(recurrentMetricsShape) })
      .optional(),
    /** The held-out test part's evaluations (core/traces/evaluation.ts); absent in files from before them. */
    evaluation: z.strictObject({ steps: encodedInt32Schema, metrics: z.strictObject(evaluationMetricsShape) }).optional(),
  })
  .check((ctx) => {
    const t = ctx.value;
    const rows = t.steps.length;
    const issue = (path: PropertyKey[], message: string) =>
      ctx.issues.push({ code: 'custom', input: t, path, message });
    const stepCount = t.metrics.loss.length;
    for (const m of TRACE_METRICS) {
      const width = m.scope === 'node' ? t.nodeIds.length : m.scope === 'param' ? t.paramNames.length : 1;
      const expected = m.scope === 'step' ? stepCount : rows * width;
      const what =
        m.scope === 'step'
          ? `the ${expected} steps of loss`
          : `${rows} traced rows x ${width} ${m.scope === 'node' ? 'nodes' : 'parameter tensors'}`;
      if (t.metrics[m.id].length !== expected) {
        issue(['metrics', m.id, 'length'], `is ${t.metrics[m.id].length}; ${what} need ${expected}`);
      }
    }
    const histogram = rows * t.paramNames.length * HIST_STRIDE;
    if (t.histogram.length !== 0 && t.histogram.length !== histogram) {
      issue(['histogram', 'length'], `is ${t.histogram.length}; it must be 0 (no histograms) or ${histogram}`);
    }
    if (t.recurrent) {
      const nodes = t.recurrent.nodes;
      for (const m of RECURRENT_METRICS) {
        const width = nodes.reduce(
          (sum, n) => sum + (m.scope === 'timestep' ? n.time : m.scope === 'gate' ? n.gates.length : 1),
          0,
        );
        if (t.recurrent.metrics[m.id].length !== rows * width) {
          issue(
            ['recurrent', 'metrics', m.id, 'length'],
            `is ${t.recurrent.metrics[m.id].length}; ${rows} traced rows x ${width} need ${rows * width}`,
          );
        }
      }
    }
    if (t.evaluation) {
      const evaluations = t.evaluation.steps.length;
      for (const m of EVALUATION_METRICS) {
        if (t.evaluation.metrics[m.id].length !== evaluations) {
          issue(['evaluation', 'metrics', m.id, 'length'], `is ${t.evaluation.metrics[m.id].length}; the ${evaluations} evaluations need ${evaluations}`);
        }
      }
    }
  });

export type EncodedTraces = z.output<typeof encodedTracesSchema>;

// ---- data set choice ---------------------------------------------------------------------

/** A built-in data set of core/datasets/catalog.ts, its options as written (checked against the set's schema). */
export const builtinDatasetSchema = z
  .strictObject({
    name: z.string({ error: `must be one of ${DATASET_NAMES.join(', ')}` }).refine(isDatasetName, {
      error: `must be one of ${DATASET_NAMES.join(', ')}`,
    }),
    options: z.record(z.string(), z.unknown(), { error: 'must be an object of options' }).default({}),
  })
  .check((ctx) => {
    const { name, options } = ctx.value;
    if (!isDatasetName(name)) return;
    const parsed = DATASETS[name].options.safeParse(options);
    if (parsed.success) return;
    for (const i of parsed.error.issues) {
      ctx.issues.push({ code: 'custom', input: options, path: ['options', ...i.path], message: i.message });
    }
  });

/**
 * The most bytes (UTF-8) of CSV text a project embeds: a classroom data set is a few
 * KB to a few MB; 32 MiB keeps a project (and its autosave) quick to write and well
 * under the browser server's message size.
 */
export const MAX_CSV_BYTES = 32 * 2 ** 20;

/** A SHA-256 in lowercase hex: the name of an embedded CSV text. */
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/**
 * A CSV data set: the file's name and how it was read. An imported file is embedded
 * in the project (`sha256` names its text in the project's `csvTexts`), so the
 * project is self-contained for a classroom and works in browser mode; the text is
 * kept once however many runs use it. Without `sha256` (projects written before
 * import existed) `fileName` is a file beside the project, read when a run starts.
 */
export const csvDatasetSchema = z.strictObject({
  csv: z.strictObject({
    fileName: z.string({ error: 'must be a file name' }).min(1, { error: 'must be a file name' }),
    /** The SHA-256 (hex) of the embedded text; absent: the file is read from beside the project. */
    sha256: z
      .string({ error: 'must be a SHA-256 in hex (64 characters 0-9, a-f)' })
      .regex(SHA256_PATTERN, { error: 'must be a SHA-256 in hex (64 characters 0-9, a-f)' })
      .optional(),
    /** Target column; absent: the last column. */
    target: z.string({ error: 'must be a column name' }).optional(),
    standardize: z.boolean({ error: 'must be true or false' }).default(false),
    /** Column numbering the timesteps of a long-layout sequence file (see core/datasets/table.ts). */
    sequenceColumn: z.string({ error: 'must be a column name' }).optional(),
  }),
});

/**
 * The CSV texts a project embeds, by the SHA-256 of each. The cap is on characters
 * here (a file's JSON has no bytes); the import checks the UTF-8 bytes.
 */
export const csvTextsSchema = z.record(
  z.string().regex(SHA256_PATTERN, { error: 'must be a SHA-256 in hex (64 characters 0-9, a-f)' }),
  z
    .string({ error: 'must be the text of a CSV file' })
    .max(MAX_CSV_BYTES, { error: `is longer than ${MAX_CSV_BYTES / 2 ** 20} MiB, the most a project embeds` }),
  { error: 'must map SHA-256 names to CSV texts' },
);
export type CsvTexts = z.output<typeof csvTextsSchema>;

export const projectDatasetSchema = z.union([builtinDatasetSchema, csvDatasetSchema], {
  error: 'must be {"name", "options"} (a built-in data set) or {"csv": {"fileName", ...}}',
});

// ---- runs and the project ---------------------------------------------------------------

/**
 * Where a run is in its life. 'created': configured, never started. 'running': the
 * project was saved (or autosaved) while it trained; it opens as 'paused'.
 * 'paused': stopped between steps, can go on. The last four are final (a run can
 * still be restarted from scratch, which makes it 'created' again).
 */
export const RUN_STATUSES = ['created', 'running', 'paused', 'completed', 'cancelled', 'diverged', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time, e.g. 2026-11-29T10:20:00Z' });

export const projectRunSchema = z.strictObject({
  id: z.string({ error: 'must be a run id (a string)' }).min(1, { error: 'must not be empty' }),
  label: z.string({ error: 'must be a string' }),
  createdAt: timestamp,
  /** The settings the run was started with (the project's settings may have changed since). */
  settings: trainingSettingsSchema,
  /** The network and data set the run trains (absent in older files: the project's). */
  network: networkSpecSchema.optional(),
  dataset: projectDatasetSchema.optional(),
  seed: z
    .number({ error: 'must be a whole number, 0 or more' })
    .int({ error: 'must be a whole number, 0 or more' })
    .min(0, { error: 'must be a whole number, 0 or more' }),
  status: z.enum(RUN_STATUSES, { error: `must be one of ${RUN_STATUSES.join(', ')}` }),
  /** Where training diverged (the engine's words), when status is 'diverged'. */
  divergence: z.string({ error: 'must be a string' }).optional(),
  /** Why the run failed, when status is 'failed'. */
  error: z.string({ error: 'must be a string' }).optional(),
  /** Why the lab stopped the run early (the time cap), when status is 'cancelled'. */
  stopReason: z.string({ error: 'must be a string' }).optional(),
  traces: encodedTracesSchema.optional(),
  /**
   * The trained network's parameter tensors by name ("<node id>.<weight>"), kept for
   * a finished run (completed, cancelled, diverged: a diverged run's are those before
   * the bad step) and for a run saved while paused (those of its last step), so that a
   * reopened project can still ask it questions and a student can export it. Stored exactly ('deflate': byte planes, deflated; never
   * 'bfloat16'), since exported weights must reproduce the run's outputs bit for
   * bit. Small: the example networks hold a few hundred to a few thousand values,
   * a few KB of base64 each.
   */
  weights: z
    .record(z.string(), encodedFloat32Schema, { error: 'must map parameter names to encoded float32 arrays' })
    .check((ctx) => {
      for (const [name, e] of Object.entries(ctx.value)) {
        if (e.encoding !== 'bfloat16') continue;
        const message = 'weights are stored exactly ("raw" or "deflate"), not rounded to bfloat16';
        ctx.issues.push({ code: 'custom', input: e, path: [name, 'encoding'], message });
      }
    })
    .optional(),
  /** The lab preset the run was made from (the Labs view's "Run this preset"). */
  lab: z
    .strictObject({
      labId: z.string({ error: 'must be a lab id (a string)' }).min(1, { error: 'must not be empty' }),
      presetId: z.string({ error: 'must be a preset id (a string)' }).min(1, { error: 'must not be empty' }),
    })
    .optional(),
});

const coordinate = z.number({ error: 'must be a number' }).finite({ error: 'must be a finite number' });

/** Canvas positions by node id (nodes without one are placed automatically). */
export const designerLayoutSchema = z.strictObject({
  positions: z.record(z.string(), z.strictObject({ x: coordinate, y: coordinate }), {
    error: 'must map node ids to {"x", "y"}',
  }),
});
export type DesignerLayout = z.output<typeof designerLayoutSchema>;

/**
 * A student's work on one lab: answers by question id, the checkpoint verdicts last
 * seen on finished runs (a summary; the report measures again from the runs), and
 * when either last changed.
 */
export const labProgressSchema = z.strictObject({
  answers: z.record(z.string(), z.string({ error: 'must be a string' }), { error: 'must map question ids to answers' }),
  checkpointResults: z
    .array(
      z.strictObject({
        checkpointId: z.string({ error: 'must be a checkpoint id' }),
        presetId: z.string({ error: 'must be a preset id' }),
        passed: z.boolean({ error: 'must be true or false' }),
        measured: z.number({ error: 'must be a number or null' }).nullable(),
      }),
      { error: 'must be a list of checkpoint results' },
    )
    .optional(),
  updatedAt: timestamp,
});
export type LabProgress = z.output<typeof labProgressSchema>;

export const projectSchema = z.strictObject(
  {
    format: z.literal(PROJECT_FORMAT, { error: `must be "${PROJECT_FORMAT}"` }),
    name: z.string({ error: 'must be a string' }),
    /** What the project is for, in a sentence or two (shown when opening an example). */
    description: z.string({ error: 'must be a string' }).default(''),
    createdAt: timestamp,
    savedAt: timestamp,
    network: networkSpecSchema,
    dataset: projectDatasetSchema,
    settings: trainingSettingsSchema,
    runs: z.array(projectRunSchema, { error: 'must be a list of runs' }).default([]),
    /** Where the designer drew each node; absent: laid out automatically. */
    designer: designerLayoutSchema.optional(),
    /** The student's work on each lab, by lab id. */
    labProgress: z.record(z.string(), labProgressSchema, { error: 'must map lab ids to lab progress' }).optional(),
    /** Imported CSV files, by the SHA-256 their data sets name (csvDatasetSchema). */
    csvTexts: csvTextsSchema.optional(),
  },
  { error: 'must be an object' },
).check((ctx) => {
  // Every embedded data set (the project's, each run's) must find its text in the file.
  const p = ctx.value;
  const texts = p.csvTexts ?? {};
  const need = (dataset: ProjectDataset | undefined, path: PropertyKey[]) => {
    if (!dataset || !('csv' in dataset) || dataset.csv.sha256 === undefined || Object.hasOwn(texts, dataset.csv.sha256)) return;
    const message = `names an embedded CSV ("${dataset.csv.fileName}") that is not in csvTexts; the file is damaged: import the CSV again`;
    ctx.issues.push({ code: 'custom', input: dataset, path: [...path, 'csv', 'sha256'], message });
  };
  need(p.dataset, ['dataset']);
  p.runs.forEach((r, i) => need(r.dataset, ['runs', i, 'dataset']));
});

/** A parsed project, defaults filled in. */
export type Project = z.output<typeof projectSchema>;
/** A project as written (defaults may be left out). */
export type ProjectInput = z.input<typeof projectSchema>;
export type ProjectRun = Project['runs'][number];
export type ProjectDataset = z.output<typeof projectDatasetSchema>;
