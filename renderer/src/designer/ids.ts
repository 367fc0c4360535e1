// Node ids the designer makes up: valid by NODE_ID_PATTERN and unused, numbered
// like the examples ("dense1", "dense2", ...), so a student can read them in traces.
import { NODE_ID_PATTERN } from '../../../core/network/spec.ts';

const MAX_ID_LENGTH = 64;

/** The id's stem: allowed characters only, trailing digits dropped ("dense12" -> "dense"). */
export function idStem(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/\d+$/, '');
  return clean === '' ? 'node' : clean;
}

/**
 * The first of stem1, stem2, ... that is not in `taken`. The stem is cut so the
 * number always fits into 64 characters.
 */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const stem = idStem(base);
  for (let n = 1; ; n++) {
    const suffix = String(n);
    const id = stem.slice(0, MAX_ID_LENGTH - suffix.length) + suffix;
    if (!taken.has(id) && NODE_ID_PATTERN.test(id)) return id;
  }
}

/** Why `id` cannot name node `current` (its present id), or null when it can. */
export function idProblem(id: string, taken: ReadonlySet<string>, current: string): string | null {
  if (!NODE_ID_PATTERN.test(id)) return 'id must be 1 to 64 letters, digits, "_", "." or "-"';
  if (id !== current && taken.has(id)) return `id "${id}" is already used by another node`;
  return null;
}
