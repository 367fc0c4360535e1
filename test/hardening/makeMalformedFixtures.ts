// Writes the hand-made corpus of broken files in test/fixtures/malformed/ (projects,
// network specs, CSV files, lab files). Run once by hand and commit the output; the
// test (malformedFiles.test.ts) reads the files, and its table says what each must
// produce. Every file is made from a valid one by one named kind of damage, so a
// failure points at the damage.
//   node --import tsx test/hardening/makeMalformedFixtures.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'test', 'fixtures', 'malformed');

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Seeded bytes (xorshift32): "binary garbage" that is the same on every machine. */
function garbage(n: number, seed: number): Buffer {
  let s = seed >>> 0 || 1;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 255;
  }
  return out;
}

const deepArrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObjects = (n: number, leaf = '1') => `${'{"a":'.repeat(n)}${leaf}${'}'.repeat(n)}`;

const project = readFileSync(join(ROOT, 'test', 'fixtures', 'projects', 'v1-full.vglab'), 'utf8');
const minimal = readFileSync(join(ROOT, 'test', 'fixtures', 'projects', 'v1-minimal.vglab'), 'utf8');
const network = readFileSync(join(ROOT, 'test', 'fixtures', 'deep-sigmoid.json'), 'utf8');
const labPath = join(ROOT, 'labs', '01-see-the-vanishing.json');
const lab = existsSync(labPath) ? readFileSync(labPath, 'utf8') : null;
const csv = 'x1,x2,label\n0.5,-1.25,0\n1.5,2,1\n-0.25,0.75,0\n3,1e-3,1\n';

/** `text` with the JSON value at key path `path` (of the parsed document) replaced by raw JSON text. */
function withRaw(text: string, path: (string | number)[], raw: string): string {
  const doc = JSON.parse(text) as Record<string, unknown>;
  let at: Record<string | number, unknown> = doc;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path.at(-1)!] = '@@RAW@@';
  return JSON.stringify(doc, null, 1).replace('"@@RAW@@"', raw);
}

const projects: Record<string, Buffer> = {
  'truncated.vglab': utf8(project.slice(0, Math.floor(project.length / 2))),
  'truncated-in-base64.vglab': utf8(project.slice(0, project.indexOf('"base64"') + 40)),
  'wrong-types.vglab': utf8(withRaw(withRaw(withRaw(minimal, ['name'], '42'), ['settings'], '"fast"'), ['createdAt'], 'true')),
  'runs-not-a-list.vglab': utf8(withRaw(minimal, ['runs'], '{"0": {}}')),
  'huge-numbers.vglab': utf8(withRaw(withRaw(minimal, ['settings', 'optimizer', 'lr'], '1e999'), ['settings', 'steps'], '1e308')),
  'huge-length.vglab': utf8(withRaw(project, ['runs', 0, 'traces', 'steps', 'length'], '1e300')),
  'negative-zero-seed.vglab': utf8(withRaw(project, ['runs', 0, 'seed'], '-1e-400')),
  'deep-nesting.vglab': utf8(withRaw(minimal, ['description'], deepArrays(100_000))),
  'deep-nesting-options.vglab': utf8(withRaw(minimal, ['dataset', 'options'], deepObjects(20_000))),
  'deep-nesting-unclosed.vglab': utf8(`{"format": "vglab-project/1", "name": ${'['.repeat(100_000)}`),
  'future-version.vglab': utf8(minimal.replace('"vglab-project/1"', '"vglab-project/7"')),
  'wrong-format.vglab': utf8(minimal.replace('"vglab-project/1"', '"vglab-projekt/1"')),
  'no-format.vglab': utf8(withRaw(minimal, ['format'], 'null')),
  'network-file.vglab': utf8(network),
  'binary-garbage.vglab': garbage(4096, 7),
  'nul-bytes.vglab': utf8(minimal.replace('"Minimal"', '"Mini\u0000mal"')),
  'nul-only.vglab': Buffer.alloc(1024),
  'invalid-utf8.vglab': Buffer.concat([utf8(minimal.slice(0, minimal.indexOf('Minimal'))), Buffer.from([0xc3, 0x28, 0xff]), utf8(minimal.slice(minimal.indexOf('Minimal')))]),
  'utf16.vglab': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(minimal, 'utf16le')]),
  'bom-truncated.vglab': Buffer.concat([BOM, utf8(minimal.slice(0, 200))]),
  'empty.vglab': Buffer.alloc(0),
  'whitespace.vglab': utf8(' \r\n\t \n'),
  'json-array.vglab': utf8('[]'),
  'json-null.vglab': utf8('null'),
  'json-string.vglab': utf8('"vglab-project/1"'),
  'unknown-field.vglab': utf8(withRaw(minimal, ['extra'], '{"x": 1}')),
  'proto-pollution.vglab': utf8(withRaw(withRaw(minimal, ['__proto__'], '{"polluted": true}'), ['dataset', 'options'], '{"__proto__": {"polluted": true}}')),
  'damaged-traces.vglab': utf8(
    (() => {
      const doc = JSON.parse(project) as { runs: { traces: { metrics: Record<string, { base64: string }> } }[] };
      const m = doc.runs[0]!.traces.metrics.loss!;
      // Valid base64 characters, a deflate stream that is not.
      m.base64 = `AAAA${m.base64.slice(4)}`;
      return JSON.stringify(doc, null, 1);
    })(),
  ),
  'bad-base64.vglab': utf8(
    (() => {
      const doc = JSON.parse(project) as { runs: { traces: { steps: { base64: string } } }[] };
      doc.runs[0]!.traces.steps.base64 = '!!!!';
      return JSON.stringify(doc, null, 1);
    })(),
  ),
  'trace-lengths-disagree.vglab': utf8(withRaw(project, ['runs', 0, 'traces', 'metrics', 'grad_norm', 'length'], '7')),
  'weights-rounded.vglab': utf8(
    (() => {
      const doc = JSON.parse(project) as { runs: { weights: Record<string, { encoding: string }> }[] };
      for (const w of Object.values(doc.runs[0]!.weights)) w.encoding = 'bfloat16';
      return JSON.stringify(doc, null, 1);
    })(),
  ),
  // Damage that is only on the surface: these open.
  'bom.vglab': Buffer.concat([BOM, utf8(minimal)]),
  'crlf.vglab': utf8(minimal.replace(/\n/g, '\r\n')),
};

const networks: Record<string, Buffer> = {
  'truncated.json': utf8(network.slice(0, Math.floor(network.length / 2))),
  'wrong-types.json': utf8(withRaw(withRaw(network, ['nodes'], '"x,d0,s0"'), ['edges'], '7')),
  'node-wrong-types.json': utf8(withRaw(withRaw(network, ['nodes', 1, 'params', 'units'], '"sixteen"'), ['nodes', 2, 'type'], '3')),
  'huge-numbers.json': utf8(withRaw(network, ['nodes', 1, 'params', 'units'], '1e308')),
  'huge-units.json': utf8(withRaw(network, ['nodes', 1, 'params', 'units'], '2147483647')),
  'negative-units.json': utf8(withRaw(network, ['nodes', 1, 'params', 'units'], '-16')),
  'deep-nesting.json': utf8(withRaw(network, ['nodes', 1, 'params'], deepArrays(100_000))),
  'deep-nesting-objects.json': utf8(withRaw(network, ['nodes', 1, 'params', 'init'], deepObjects(20_000))),
  'future-version.json': utf8(network.replace('"vglab-network/1"', '"vglab-network/2"')),
  'cycle.json': utf8(withRaw(network, ['edges', 0], '{"from": "s0", "to": "d0"}')),
  'dangling-edge.json': utf8(withRaw(network, ['edges', 0], '{"from": "x", "to": "nowhere"}')),
  'unknown-node-type.json': utf8(withRaw(network, ['nodes', 2, 'type'], '"softplus9000"')),
  'no-loss.json': utf8(withRaw(network, ['loss'], 'null')),
  'binary-garbage.json': garbage(2048, 11),
  'nul-bytes.json': utf8(network.replace('"d0"', '"d\u00000"')),
  'invalid-utf8.json': Buffer.concat([utf8(network.slice(0, 40)), Buffer.from([0xe2, 0x82]), utf8(network.slice(40))]),
  'empty.json': Buffer.alloc(0),
  'bom.json': Buffer.concat([BOM, utf8(network)]),
  'crlf.json': utf8(network.replace(/\n/g, '\r\n')),
};

const csvs: Record<string, Buffer> = {
  'empty.csv': Buffer.alloc(0),
  'header-only.csv': utf8('x1,x2,label\n'),
  'header-only-no-newline.csv': utf8('x1,x2,label'),
  'truncated.csv': utf8(csv.slice(0, csv.length - 5)),
  'wrong-types.csv': utf8('x1,x2,label\n0.5,abc,0\n1,2,1\n'),
  'huge-numbers.csv': utf8('x1,x2,label\n1e999,2,0\n1,2,1\n'),
  'huge-but-finite.csv': utf8('x1,x2,label\n1e300,2,0\n1,2,1\n'),
  'nan.csv': utf8('x1,x2,label\nNaN,2,0\n1,inf,1\n'),
  'ragged.csv': utf8('x1,x2,label\n1,2\n3,4,1,9\n'),
  'nul-bytes.csv': utf8('x1,x2,label\n1,\u00002,0\n3,4,1\n'),
  'invalid-utf8.csv': Buffer.concat([utf8('x1,x'), Buffer.from([0xff, 0xc3]), utf8(',label\n1,2,0\n3,4,1\n')]),
  'utf16.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
  'binary-garbage.csv': garbage(2048, 13),
  'one-column.csv': utf8('label\n0\n1\n'),
  'duplicate-header.csv': utf8('x,x,label\n1,2,0\n3,4,1\n'),
  'long-cell.csv': utf8(`x1,x2,label\n${'9'.repeat(200_000)},2,0\n1,2,1\n`),
  'only-newlines.csv': utf8('\n\n\n\n'),
  // Surface only: these load.
  'bom.csv': Buffer.concat([BOM, utf8(csv)]),
  'crlf.csv': utf8(csv.replace(/\n/g, '\r\n')),
};

const labs: Record<string, Buffer> = {};
if (lab) {
  const deepCondition = (n: number) => `${'{"all": ['.repeat(n)}{"kind": "diverged"}${']}'.repeat(n)}`;
  const firstCheckpoint = (JSON.parse(lab) as { checkpoints?: unknown[] }).checkpoints?.length ? ['checkpoints', 0, 'condition'] : null;
  Object.assign(labs, {
    'truncated.json': utf8(lab.slice(0, Math.floor(lab.length / 2))),
    'wrong-types.json': utf8(withRaw(withRaw(lab, ['title'], '17'), ['steps'], '"read"')),
    'future-version.json': utf8(lab.replace(/"vglab-lab\/1"/, '"vglab-lab/2"')),
    'binary-garbage.json': garbage(2048, 17),
    'empty.json': Buffer.alloc(0),
    'deep-nesting.json': utf8(withRaw(lab, ['summary'], deepArrays(100_000))),
    ...(firstCheckpoint ? { 'deep-conditions.json': utf8(withRaw(lab, firstCheckpoint, deepCondition(5_000))) } : {}),
  });
}

for (const [folder, files] of Object.entries({ projects, networks, csv: csvs, labs })) {
  if (Object.keys(files).length === 0) continue;
  mkdirSync(join(OUT, folder), { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(OUT, folder, name), bytes);
  console.log(`${folder}: ${Object.keys(files).length} files`);
}
