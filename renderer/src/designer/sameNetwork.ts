// Whether a network handed in by the parent is the one the designer already shows.
// The app's store may hand back a reactive proxy, a copy from the lab, or the same
// spec with defaults filled in; none of those is a new project, and treating one as
// such would wipe the undo history after every edit.
import { networkSpecSchema, type NetworkSpecInput } from '../../../core/network/spec.ts';

/** Structural equality of JSON-like values; keys holding undefined count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!deepEqual(ra[k], rb[k])) return false;
  return true;
}

/** True when `a` and `b` are the same network, as written or once defaults are filled in. */
export function sameNetwork(a: NetworkSpecInput, b: NetworkSpecInput): boolean {
  if (deepEqual(a, b)) return true;
  const pa = networkSpecSchema.safeParse(a);
  const pb = networkSpecSchema.safeParse(b);
  return pa.success && pb.success && deepEqual(pa.data, pb.data);
}
