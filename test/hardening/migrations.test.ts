// Every shape a project file has been written in opens, and survives save + open
// with its meaning unchanged; a file from a newer version is refused, never read
// as an older one. Only vglab-project/1 exists so far, but its optional fields
// changed: the fixtures (test/fixtures/projects/v1-*.vglab, written by
// makeV1Fixtures.ts) hold runs without their own network, data set or weights,
// arrays without the `encoding` field, the bare minimum, and a full file of today.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { LabError, type ProjectState, type RunSummary } from '../../core/api/labApi.ts';
import { MIGRATIONS, OLDEST_READABLE_VERSION, parseProject } from '../../core/project/migrate.ts';
import { PROJECT_VERSION, type Project } from '../../core/project/schema.ts';
import { decodeTraces, decodeTypedArray, storedTraces } from '../../core/project/traceCodec.ts';
import { RECURRENT_METRICS, TRACE_METRICS, type TraceColumns } from '../../core/traces/metrics.ts';
import { LabService } from '../../electron/service/labService.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'projects');
const V1 = readdirSync(FIXTURES).filter((n) => /^v1-.*\.vglab$/.test(n)).sort();

let dir: string;
let service: LabService;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-migrations-'));
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0 });
});
afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function expectSameBits(a: ArrayBufferView, b: ArrayBufferView, what: string): void {
  expect(bytesOf(b).equals(bytesOf(a)), what).toBe(true);
}

function expectSameTraces(a: TraceColumns, b: TraceColumns, what: string): void {
  expect(b.nodeIds, what).toEqual(a.nodeIds);
  expect(b.paramNames, what).toEqual(a.paramNames);
  expectSameBits(a.steps, b.steps, `${what} steps`);
  expectSameBits(a.histogram, b.histogram, `${what} histogram`);
  for (const m of TRACE_METRICS) expectSameBits(a.metrics[m.id], b.metrics[m.id], `${what} ${m.id}`);
  expect(b.recurrent?.nodes, what).toEqual(a.recurrent?.nodes);
  if (a.recurrent) for (const m of RECURRENT_METRICS) expectSameBits(a.recurrent.metrics[m.id], b.recurrent!.metrics[m.id], `${what} ${m.id}`);
}

async function tracesOf(runs: RunSummary[]): Promise<Map<string, TraceColumns | null>> {
  const out = new Map<string, TraceColumns | null>();
  for (const r of runs) out.set(r.id, (await service.dispatch('runs.traces', { runId: r.id })).traces);
  return out;
}

/** The weights a file stores, decoded, by run id. */
function weightsIn(text: string): Map<string, Record<string, Float32Array>> {
  const parsed = parseProject(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return new Map(
    parsed.project.runs
      .filter((r) => r.weights)
      .map((r) => [r.id, Object.fromEntries(Object.entries(r.weights!).map(([k, e]) => [k, decodeTypedArray(e, 'float32', k)]))]),
  );
}

const withoutSavedAt = (s: ProjectState) => ({ ...s, project: { ...s.project, savedAt: 'x' }, path: 'x' });

describe('the version table', () => {
  it('version 1 is the only one, and the oldest still read', () => {
    expect(PROJECT_VERSION).toBe(1);
    expect(Object.keys(MIGRATIONS)).toEqual([]);
    expect(OLDEST_READABLE_VERSION).toBe(1);
    expect(V1).toEqual(['v1-full.vglab', 'v1-minimal.vglab', 'v1-raw-arrays.vglab', 'v1-runs-without-network.vglab']);
  });
});

describe.each(V1)('%s', (name) => {
  it('opens through the service, unmigrated, and is never written to', async () => {
    const path = join(dir, name);
    copyFileSync(join(FIXTURES, name), path);
    const before = readFileSync(path);
    const state = await service.dispatch('project.open', { path });
    expect(state.migratedFrom).toBeUndefined();
    expect(state.dirty).toBe(false);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('round-trips save + open unchanged in meaning, and a second save changes nothing', async () => {
    const path = join(dir, name);
    copyFileSync(join(FIXTURES, name), path);
    const original = readFileSync(path, 'utf8');
    const first = await service.dispatch('project.open', { path });
    const firstTraces = await tracesOf(first.runs);

    const saved = join(dir, `saved-${name}`);
    await service.dispatch('project.saveAs', { path: saved });
    await service.dispatch('project.new', {});
    const second = await service.dispatch('project.open', { path: saved });
    expect(withoutSavedAt(second)).toEqual(withoutSavedAt(first));
    const secondTraces = await tracesOf(second.runs);
    for (const [id, t] of firstTraces) {
      if (t === null) expect(secondTraces.get(id), id).toBeNull();
      // Per-layer statistics are kept compact (bfloat16) on save; everything else exactly.
      else expectSameTraces(storedTraces(t), secondTraces.get(id)!, id);
    }
    // Weights are stored exactly, whatever encoding the file had.
    const w0 = weightsIn(original);
    const w1 = weightsIn(readFileSync(saved, 'utf8'));
    expect([...w1.keys()]).toEqual([...w0.keys()]);
    for (const [id, ws] of w0) for (const [k, a] of Object.entries(ws)) expectSameBits(a, w1.get(id)![k]!, `${id} ${k}`);

    // A fixed point: saving what was opened again writes the same file (but for savedAt).
    const again = join(dir, `again-${name}`);
    await service.dispatch('project.saveAs', { path: again });
    const strip = (t: string) => ({ ...(JSON.parse(t) as Project), savedAt: 'x' });
    expect(strip(readFileSync(again, 'utf8'))).toEqual(strip(readFileSync(saved, 'utf8')));
  });

  it('a copy labelled vglab-project/2 is refused as newer, never read as version 1', async () => {
    await service.dispatch('project.update', { name: 'Open before' });
    const before = await service.dispatch('project.get', {});
    const newer = readFileSync(join(FIXTURES, name), 'utf8').replace('"vglab-project/1"', '"vglab-project/2"');
    const path = join(dir, `newer-${name}`);
    writeFileSync(path, newer);
    const refusal = await service.dispatch('project.open', { path }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(LabError);
    expect((refusal as LabError).code).toBe('invalid-input');
    expect((refusal as LabError).message).toMatch(/newer version of Vanishing Gradient Lab \(format "vglab-project\/2"/);
    await expect(service.dispatch('project.openText', { text: newer, fileName: 'n.vglab' })).rejects.toThrow(/newer version/);
    expect(await service.dispatch('project.get', {})).toEqual(before);
    expect(readFileSync(path, 'utf8')).toBe(newer);
  });
});

describe('what each old shape means once opened', () => {
  const open = async (name: string) => {
    const path = join(dir, name);
    copyFileSync(join(FIXTURES, name), path);
    return service.dispatch('project.open', { path });
  };

  it('a run without its own network and data set trains the project\'s; a run saved while training opens cancelled', async () => {
    const s = await open('v1-runs-without-network.vglab');
    for (const r of s.runs) {
      expect(r.network, r.id).toEqual(s.project.network);
      expect(r.dataset, r.id).toEqual(s.project.dataset);
    }
    expect(Object.fromEntries(s.runs.map((r) => [r.id, r.state]))).toEqual({
      'r-completed': 'completed',
      'r-created': 'created',
      'r-failed': 'failed',
      'r-diverged': 'diverged',
      'r-running': 'cancelled',
    });
    expect(s.runs.find((r) => r.id === 'r-failed')!.error).toMatch(/SIGSEGV/);
    expect(s.runs.find((r) => r.id === 'r-diverged')!.divergence).toMatch(/NaN at step 41/);
  });

  it('arrays without an encoding field are read as raw bytes, exactly', async () => {
    const text = readFileSync(join(FIXTURES, 'v1-raw-arrays.vglab'), 'utf8');
    const doc = JSON.parse(text) as { runs: { traces: { steps: Record<string, unknown> } }[] };
    expect(doc.runs[0]!.traces.steps).not.toHaveProperty('encoding');
    const parsed = parseProject(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const fromFile = decodeTraces(parsed.project.runs[0]!.traces!);
    const s = await open('v1-raw-arrays.vglab');
    const live = (await service.dispatch('runs.traces', { runId: s.runs[0]!.id })).traces!;
    expectSameTraces(fromFile, live, 'raw');
    expect(live.histogram.length).toBeGreaterThan(0);
  });

  it('the minimal file gets every default filled in', async () => {
    const s = await open('v1-minimal.vglab');
    expect(s.project.description).toBe('');
    expect(s.project.dataset).toEqual({ name: 'spiral', options: {} });
    expect(s.project.designer).toBeUndefined();
    expect(s.runs).toEqual([]);
    expect(s.project.settings.steps).toBeGreaterThan(0);
  });

  it('the full file keeps its designer layout, recurrent traces and CSV run', async () => {
    const s = await open('v1-full.vglab');
    expect(s.project.designer?.positions.sum).toEqual({ x: 400, y: 10.5 });
    const lstm = s.runs.find((r) => r.id === 'r-lstm')!;
    expect(lstm.layout?.recurrent).toEqual([{ nodeId: 'lstm', type: 'lstm', time: 5, gates: ['i', 'f', 'g', 'o'] }]);
    expect(s.runs.find((r) => r.id === 'r-csv')!.dataset).toEqual({ csv: { fileName: 'points.csv', target: 'label', standardize: true } });
  });
});

describe('format labels that are not version 1', () => {
  const doc = readFileSync(join(FIXTURES, 'v1-minimal.vglab'), 'utf8');
  it.each([
    ['vglab-project/2', 'newer', /newer version/],
    ['vglab-project/10', 'newer', /newer version/],
    ['vglab-project/999999999999999999999', 'newer', /newer version/],
    ['vglab-project/0', 'not-project', /unknown project format/],
    ['vglab-project/01', 'not-project', /unknown project format/],
    ['vglab-project/1.5', 'not-project', /unknown project format/],
    ['vglab-project/', 'not-project', /unknown project format/],
  ])('%s is refused (%s)', (format, reason, message) => {
    const r = parseProject(doc.replace('"vglab-project/1"', JSON.stringify(format)));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.error).toMatch(message);
    }
  });
});
