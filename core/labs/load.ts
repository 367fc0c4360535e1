// Reading a lab file: JSON, then the schema, then what a schema cannot see (every
// preset's network validates; the layers a checkpoint names exist in the networks
// it judges). Every problem comes back with the field's path, so an author can go
// straight to it: `steps[1].preset.settings.optimizer.lr must be a positive number`.
import { flattenIssues, formatPath } from '../validation/issues.ts';
import { jsonErrorOffset } from '../project/jsonError.ts';
import { resolveNetwork } from './presets.ts';
import { LAB_FORMAT, LAB_FORMAT_PREFIX, labSchema, type Condition, type Lab } from './schema.ts';
import type { NetworkSpec } from '../network/spec.ts';

export interface LabError {
  /** Dotted path of the field ("steps[1].preset.settings.optimizer.lr"); "" for the file as a whole. */
  field: string;
  /** One line naming the field. */
  message: string;
}

export type LoadLabResult = { ok: true; lab: Lab } | { ok: false; errors: LabError[] };

/** True when a parsed JSON value says it is a lab (its "format" starts with "vglab-lab/"). */
export function isLabDocument(json: unknown): boolean {
  const format = json !== null && typeof json === 'object' ? (json as { format?: unknown }).format : undefined;
  return typeof format === 'string' && format.startsWith(LAB_FORMAT_PREFIX);
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function withField(field: string, message: string): LabError {
  return { field, message: field ? `${field} ${message}` : message };
}

/** The layers a condition names (node ids; the special words left out), with the path of the field. */
function namedLayers(c: Condition, path: PropertyKey[]): { id: string; path: PropertyKey[] }[] {
  if ('all' in c) return c.all.flatMap((x, i) => namedLayers(x, [...path, 'all', i]));
  if ('any' in c) return c.any.flatMap((x, i) => namedLayers(x, [...path, 'any', i]));
  switch (c.kind) {
    case 'gradientRatio':
      return (['numerator', 'denominator'] as const)
        .filter((k) => c[k] !== 'firstHidden' && c[k] !== 'lastHidden')
        .map((k) => ({ id: c[k], path: [...path, k] }));
    case 'saturation':
      return c.layer === 'any' || c.layer === 'mean' ? [] : [{ id: c.layer, path: [...path, 'layer'] }];
    case 'timestepRatio':
      return c.node === undefined ? [] : [{ id: c.node, path: [...path, 'node'] }];
    default:
      return [];
  }
}

function checkNetworks(lab: Lab): LabError[] {
  const errors: LabError[] = [];
  const specs = new Map<string, NetworkSpec>();
  lab.steps.forEach((step, i) => {
    if (!step.preset) return;
    const r = resolveNetwork(step.preset.network, step.preset.settings);
    const field = formatPath(['steps', i, 'preset', 'network']);
    if (r.ok) specs.set(step.preset.id, r.spec);
    else for (const e of r.errors) errors.push({ field: e.field ? `${field}.${e.field}` : field, message: `${field}: ${e.message}` });
  });
  lab.checkpoints.forEach((cp, i) => {
    for (const { id, path } of namedLayers(cp.condition, ['checkpoints', i, 'condition'])) {
      for (const presetId of cp.presets) {
        const spec = specs.get(presetId);
        if (spec && !spec.nodes.some((n) => n.id === id)) {
          errors.push(withField(formatPath(path), `names node "${id}", which the network of preset "${presetId}" does not have`));
        }
      }
    }
  });
  return errors;
}

/**
 * Parses a lab from its JSON text (or an already parsed value). Returns the lab with
 * defaults filled in, or every problem found, each naming its field.
 */
export function loadLab(input: string | unknown): LoadLabResult {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      const at = jsonErrorOffset(input);
      const where = at >= 0 ? ` at ${lineAndColumn(input, at)}` : '';
      return { ok: false, errors: [{ field: '', message: `the lab is not valid JSON${where}: ${(e as Error).message}` }] };
    }
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const format = (json as { format?: unknown }).format;
    if (typeof format === 'string' && format.startsWith(LAB_FORMAT_PREFIX) && format !== LAB_FORMAT) {
      return { ok: false, errors: [withField('format', `is "${format}"; this version reads "${LAB_FORMAT}"`)] };
    }
  }
  const parsed = labSchema.safeParse(json);
  if (!parsed.success) {
    const errors = flattenIssues(parsed.error.issues).map((i) => {
      const field = formatPath(i.path);
      if (i.code === 'unrecognized_keys' && i.keys) {
        const keys = i.keys.map((k) => `"${k}"`).join(', ');
        return { field, message: `unknown field ${keys}${field ? ` in ${field}` : ' in the lab'}` };
      }
      if (field === '') return { field, message: `the lab ${i.message.startsWith('must') ? i.message : `must be an object with "format": "${LAB_FORMAT}"`}` };
      const missing = i.code === 'invalid_type' && valueAt(json, i.path) === undefined;
      return withField(field, missing ? `is missing; it ${i.message}` : i.message);
    });
    return { ok: false, errors: dedupe(errors) };
  }
  const errors = checkNetworks(parsed.data);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, lab: parsed.data };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);
}

function dedupe(errors: LabError[]): LabError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}
