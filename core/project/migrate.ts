// Opening a project: JSON text -> version check -> migrations up to the current
// version -> schema. Every refusal is a sentence a student can act on; a file from
// a newer version of the app is refused, never silently read as an older one
// (that would drop what the newer version stored).
import type { z } from 'zod';

import { flattenIssues, formatPath } from '../validation/issues.ts';
import { jsonErrorOffset } from './jsonError.ts';

export { formatPath };
import { PROJECT_FORMAT, PROJECT_FORMAT_PREFIX, PROJECT_VERSION, projectSchema, type Project, type ProjectInput } from './schema.ts';

/** Why a project could not be read. */
export type ProjectErrorReason = 'corrupt' | 'newer' | 'older' | 'not-project' | 'invalid';

export type ParseProjectResult =
  | { ok: true; project: Project; /** The version the file was written in, when it was migrated. */ migratedFrom?: number }
  | { ok: false; error: string; reason: ProjectErrorReason };

type JsonObject = Record<string, unknown>;

/**
 * MIGRATIONS[n] turns a parsed version-n document into version n+1 (it also sets
 * `format`). Version 1 is the first: the table is empty until version 2 exists.
 * A step takes plain JSON and returns plain JSON; the schema runs once, at the end.
 */
export const MIGRATIONS: Readonly<Record<number, (doc: JsonObject) => JsonObject>> = {};

/** The oldest version parseProject still opens (migrating it up). */
export const OLDEST_READABLE_VERSION = PROJECT_VERSION - Object.keys(MIGRATIONS).length;

export class ProjectError extends Error {
  override name = 'ProjectError';
  constructor(
    message: string,
    readonly reason: ProjectErrorReason,
  ) {
    super(message);
  }
}

/** Line and column (1-based) of character offset `at` in `text`. */
function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

function describeJsonError(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // V8 says "... in JSON at position 123" (or "(line 4 column 7)" in newer versions); end of input has no position.
  const lc = /line (\d+) column (\d+)/.exec(message);
  const pos = /position (\d+)/.exec(message);
  let where: { line: number; column: number };
  if (lc) where = { line: Number(lc[1]), column: Number(lc[2]) };
  else {
    const at = pos ? Number(pos[1]) : jsonErrorOffset(text);
    where = lineColumn(text, at < 0 ? text.length : at);
  }
  // Drop V8's own position and its quote of the text; the line and column say where.
  const reason = message
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/, ".*"(\.\.\.)? is not valid JSON$/s, '');
  return `the file is not valid JSON (line ${where.line}, column ${where.column}: ${reason}); it may be damaged or cut short`;
}

/** Schema issues as lines such as `runs[0].traces.metrics.loss.length: is 3; ...`. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = flattenIssues(issues).map((i) => {
    const field = formatPath(i.path) || 'the project';
    if (i.keys) return `${field}: unknown field ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${field}: ${i.message}`;
  });
  const shown = lines.slice(0, 10);
  if (lines.length > shown.length) shown.push(`... and ${lines.length - shown.length} more`);
  return `the project file has errors:\n${shown.join('\n')}`;
}

/** Reads, migrates and validates the text of a `.vglab` file. */
export function parseProject(text: string): ParseProjectResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    return { ok: false, reason: 'corrupt', error: describeJsonError(body, e) };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, reason: 'not-project', error: 'this is not a Vanishing Gradient Lab project (the file holds no JSON object)' };
  }
  const format = (doc as JsonObject).format;
  if (typeof format !== 'string' || !format.startsWith(PROJECT_FORMAT_PREFIX)) {
    const hint = typeof format === 'string' && format.startsWith('vglab-network/') ? ' It is a network spec: import it into a project instead.' : '';
    const found = typeof format === 'string' ? `its format is "${format}"` : 'it has no "format" field';
    return {
      ok: false,
      reason: 'not-project',
      error: `this is not a Vanishing Gradient Lab project: ${found}, expected "${PROJECT_FORMAT}".${hint}`,
    };
  }
  const version = /^[1-9]\d*$/.test(format.slice(PROJECT_FORMAT_PREFIX.length)) ? Number(format.slice(PROJECT_FORMAT_PREFIX.length)) : NaN;
  if (Number.isNaN(version)) {
    return { ok: false, reason: 'not-project', error: `unknown project format "${format}"; this version of the app reads "${PROJECT_FORMAT}"` };
  }
  if (version > PROJECT_VERSION) {
    return {
      ok: false,
      reason: 'newer',
      error:
        `this project was saved by a newer version of Vanishing Gradient Lab (format "${format}"; this version reads ` +
        `up to "${PROJECT_FORMAT}"). Update the app to open it; it has not been changed.`,
    };
  }
  let current = doc as JsonObject;
  for (let v = version; v < PROJECT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) {
      return {
        ok: false,
        reason: 'older',
        error: `this project is in the old format "${format}", which this version of the app can no longer open (it reads "${PROJECT_FORMAT}")`,
      };
    }
    current = step(current);
  }
  const parsed = projectSchema.safeParse(current);
  if (!parsed.success) return { ok: false, reason: 'invalid', error: describeIssues(parsed.error.issues) };
  return version < PROJECT_VERSION ? { ok: true, project: parsed.data, migratedFrom: version } : { ok: true, project: parsed.data };
}

/**
 * The text of a `.vglab` file for `project`, validated first (defaults filled in)
 * so the app never writes a file it could not open again. Throws ProjectError
 * naming the fields when the project is not valid.
 */
export function serializeProject(project: ProjectInput | Project): string {
  const parsed = projectSchema.safeParse(project);
  if (!parsed.success) throw new ProjectError(describeIssues(parsed.error.issues), 'invalid');
  // One space of indentation: readable and diffable, and cheap next to the base64 traces.
  return `${JSON.stringify(parsed.data, null, 1)}\n`;
}
