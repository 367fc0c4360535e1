// Seeded mutations of valid files, for malformedFiles.test.ts: byte flips,
// truncation at every Nth byte, field deletions, type swaps, extreme numbers and
// stray bytes (BOM, NUL, invalid UTF-8) inserted. The same seed gives the same
// variants, so a failure found in CI is replayed with VGLAB_HARDENING_SEED=<seed>.

export interface Variant {
  /** What was done, e.g. "flip 3 bytes at 120, 800, 1013" or "delete runs[0].traces.steps". */
  name: string;
  bytes: Uint8Array;
}

/** A small PRNG (mulberry32): uniform in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every path to a value in `doc` (the root excluded), depth first. */
function paths(doc: Json, prefix: Path = []): Path[] {
  if (doc === null || typeof doc !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(doc) ? doc.map((v, i) => [i, v]) : Object.entries(doc);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function get(doc: Json, path: Path): Json {
  return path.reduce<Json>((at, k) => (at as Record<string | number, Json>)[k]!, doc);
}

function set(doc: Json, path: Path, value: Json | undefined): void {
  const parent = get(doc, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const key = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete (parent as Record<string, Json>)[key];
  } else (parent as Record<string | number, Json>)[key] = value;
}

const show = (p: Path) => p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '');
const enc = new TextEncoder();

/** Numbers no file of ours holds, written as JSON text (1e999 parses to Infinity). */
const EXTREMES = ['1e308', '-1e308', '1e999', '-1e999', '-0', '4294967297', '9007199254740993', '1e-320', '-1', '0', '2147483648', '0.5'];
/** Values of every JSON type, to put where another type belongs. */
const OTHER_TYPES: Json[] = [null, true, 0, -1, 'x', '', [], {}, [1, 2], { a: 1 }];

/**
 * About 70 variants of one valid file (more for longer files' truncations):
 * truncations at every Nth byte (N = length / 20), byte flips, field deletions,
 * type swaps, extreme numbers, stray bytes.
 */
export function mutate(original: Uint8Array, seed: number): Variant[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Variant[] = [];
  const n = original.length;

  const step = Math.max(1, Math.ceil(n / 20));
  for (let at = 0; at < n; at += step) out.push({ name: `truncate at byte ${at}`, bytes: original.slice(0, at) });

  for (let i = 0; i < 15; i++) {
    const bytes = original.slice();
    const count = 1 + Math.floor(rnd() * 8);
    const where: number[] = [];
    for (let j = 0; j < count; j++) {
      const at = Math.floor(rnd() * n);
      bytes[at] = bytes[at]! ^ (1 + Math.floor(rnd() * 255));
      where.push(at);
    }
    out.push({ name: `flip ${count} bytes at ${where.join(', ')}`, bytes });
  }

  const text = new TextDecoder().decode(original);
  const doc = JSON.parse(text) as Json;
  const all = paths(doc);
  const numeric = all.filter((p) => typeof get(doc, p) === 'number');
  const json = (d: Json) => enc.encode(JSON.stringify(d, null, 1));

  for (let i = 0; i < 10 && all.length > 0; i++) {
    const d = structuredClone(doc);
    const p = pick(all);
    set(d, p, undefined);
    out.push({ name: `delete ${show(p)}`, bytes: json(d) });
  }
  for (let i = 0; i < 10 && all.length > 0; i++) {
    const d = structuredClone(doc);
    const p = pick(all);
    const was = get(d, p);
    const replacement = pick(OTHER_TYPES.filter((v) => typeof v !== typeof was || Array.isArray(v) !== Array.isArray(was)));
    set(d, p, replacement);
    out.push({ name: `${show(p)} := ${JSON.stringify(replacement)}`, bytes: json(d) });
  }
  for (let i = 0; i < 8 && numeric.length > 0; i++) {
    const d = structuredClone(doc);
    const p = pick(numeric);
    const value = pick(EXTREMES);
    set(d, p, '@@EXTREME@@');
    out.push({ name: `${show(p)} := ${value}`, bytes: enc.encode(JSON.stringify(d, null, 1).replace('"@@EXTREME@@"', value)) });
  }
  const stray: [string, number[]][] = [
    ['a BOM', [0xef, 0xbb, 0xbf]],
    ['a NUL', [0]],
    ['invalid UTF-8', [0xc3, 0x28]],
    ['a lone 0xFF', [0xff]],
    ['a CR', [13]],
  ];
  for (const [what, insert] of stray) {
    const at = Math.floor(rnd() * n);
    const bytes = new Uint8Array(n + insert.length);
    bytes.set(original.subarray(0, at));
    bytes.set(insert, at);
    bytes.set(original.subarray(at), at + insert.length);
    out.push({ name: `${what} inserted at byte ${at}`, bytes });
  }
  return out;
}
