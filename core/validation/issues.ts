// zod's issues as the messages the lab shows: a dotted path with [index] for
// arrays, and for a union the branch that came closest instead of "no branch fits".
import type { z } from 'zod';

export interface FlatIssue {
  path: PropertyKey[];
  message: string;
  code: string;
  keys?: string[];
}

/** "runs[0].traces.metrics.loss" from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** The issue to report from a zod union: the branch that came closest (fewest issues). */
export function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(...flattenIssues(closest, path));
    } else if (issue.code === 'unrecognized_keys') {
      out.push({ path, message: issue.message, code: issue.code, keys: issue.keys });
    } else {
      out.push({ path, message: issue.message, code: issue.code });
    }
  }
  return out;
}

