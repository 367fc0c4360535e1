// Saving under fire: a child process saves a project over and over the way the
// service's project.save does (ProjectSession.save: serialize, temp file, fsync,
// rename) and is killed with SIGKILL at a random moment, 200 times. After every kill the file must open whole, holding the last version
// the child reported saved or the one it was writing (never a half-written file).
// Then the temp files the kills left are cleaned up at the next start: by the
// service's open of the project (its folder), and its constructor (its data folder),
// once they are old enough not to be another window's save in progress.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodeTraces } from '../../core/project/traceCodec.ts';
import { TRACE_METRICS, type TraceColumns } from '../../core/traces/metrics.ts';
import { openProject, saveProject, TEMP_FILE_PREFIX } from '../../electron/project/projectFile.ts';
import { LabService } from '../../electron/service/labService.ts';
import { filledColumns, makeProject } from '../core/project/helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const KILLS = 200;
/** The kill lands this long (uniformly random) after the child says it is ready. */
const MAX_DELAY_MS = 60;

let work: string;
let child: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'vglab-fire-'));
  child = join(work, 'saveUnderFireChild.cjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'saveUnderFireChild.ts')],
    outfile: child,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['*.node'],
    logLevel: 'error',
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts the child, kills it `delayMs` after "ready"; resolves with the last version it reported saved. */
function saveUntilKilled(target: string, dataDir: string, first: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, target, dataDir, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stderr.on('data', (d) => (err += d));
    proc.stdout.on('data', (d) => {
      out += d;
      if (!timer && out.includes('ready\n')) timer = setTimeout(() => proc.kill('SIGKILL'), delayMs);
    });
    proc.on('error', reject);
    // 'close' comes after stdout is drained: every "saved" line written has been read.
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`the saving child ended by itself (code ${code}): ${err}`));
      const saved = [...out.matchAll(/^saved (\d+)$/gm)].map((m) => Number(m[1]));
      resolve(saved.length > 0 ? saved[saved.length - 1]! : first - 1);
    });
  });
}

function expectSameTraces(expected: TraceColumns, got: TraceColumns, what: string): void {
  for (const m of TRACE_METRICS) {
    const a = expected.metrics[m.id];
    const b = got.metrics[m.id];
    expect(Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength)), `${what} ${m.id}`).toBe(true);
  }
}

const tempFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith(TEMP_FILE_PREFIX));

/** Kills in parallel lanes, each on a project of its own: startup, not saving, is most of a kill's time. */
const LANES = 8;

interface Lane {
  folder: string;
  target: string;
  traces: TraceColumns;
  current: number;
  afterRename: number;
}

async function runLane(lane: Lane, dataDir: string, kills: number): Promise<void> {
  for (let k = 0; k < kills; k++) {
    const lastSaved = await saveUntilKilled(lane.target, dataDir, lane.current + 1, Math.random() * MAX_DELAY_MS);
    const opened = openProject(lane.target);
    if (!opened.ok) throw new Error(`${lane.target}, kill ${k}: the project no longer opens: ${opened.error}`);
    const version = Number(/^v(\d+)$/.exec(opened.project.name)?.[1] ?? (opened.project.name === 'project v0' ? 0 : NaN));
    // The last version reported saved, or the next one when the kill fell between its rename and the report.
    expect([Math.max(lastSaved, lane.current), lastSaved + 1], `${lane.target}, kill ${k}`).toContain(version);
    if (version === lastSaved + 1) lane.afterRename++;
    expectSameTraces(lane.traces, decodeTraces(opened.project.runs[0]!.traces!), `${lane.target}, kill ${k}`);
    lane.current = version;
  }
}

describe('saving a project under SIGKILL', () => {
  it(`leaves a whole file after each of ${KILLS} kills, and the leftovers go at the next start`, async () => {
    const dataDir = join(work, 'data');
    mkdirSync(join(dataDir, 'recovery'), { recursive: true });
    const lanes: Lane[] = Array.from({ length: LANES }, (_, i) => {
      const folder = join(work, `project-${i}`);
      mkdirSync(folder);
      const target = join(folder, 'fire.vglab');
      // About 100 KB with a run's traces: a save takes long enough for kills to land inside it.
      saveProject(target, makeProject(0, filledColumns(6, 300, i + 1)));
      const first = openProject(target);
      if (!first.ok) throw new Error(first.error);
      return { folder, target, traces: decodeTraces(first.project.runs[0]!.traces!), current: 0, afterRename: 0 };
    });

    const started = Date.now();
    await Promise.all(lanes.map((lane) => runLane(lane, dataDir, KILLS / LANES)));
    const seconds = (Date.now() - started) / 1000;
    const leftovers = lanes.map((l) => tempFiles(l.folder));
    console.log(
      `${KILLS} kills in ${seconds.toFixed(1)} s (${LANES} lanes): 0 corrupt files; versions reached ${lanes.map((l) => l.current).join(', ')}; ` +
        `${lanes.reduce((n, l) => n + l.afterRename, 0)} kills fell after a rename but before its report; ` +
        `${leftovers.flat().length} temp files left mid-save`,
    );

    // A stale leftover in the data folder and its recovery folder, too.
    const old = new Date(Date.now() - 5 * 60_000);
    const dataLeftovers = [join(dataDir, `${TEMP_FILE_PREFIX}recent.json-1-1`), join(dataDir, 'recovery', `${TEMP_FILE_PREFIX}untitled-x.vglab.recovery-1-1`)];
    for (const f of dataLeftovers) {
      writeFileSync(f, 'half');
      utimesSync(f, old, old);
    }
    const [lane] = lanes as [Lane];

    // The next start, right away: fresh leftovers may be another window's save in progress, so they stay.
    const soon = new LabService({ mode: 'headless', dataDir, autosaveMs: 0 });
    expect(tempFiles(dataDir)).toEqual([]);
    expect(tempFiles(join(dataDir, 'recovery'))).toEqual([]);
    await soon.dispatch('project.open', { path: lane.target });
    expect(tempFiles(lane.folder).sort()).toEqual(leftovers[0]!.sort());
    await soon.dispose();

    // A start minutes later: opening a project sweeps its folder.
    const later = new LabService({ mode: 'headless', dataDir, autosaveMs: 0 });
    for (const [i, l] of lanes.entries()) {
      for (const n of leftovers[i]!) utimesSync(join(l.folder, n), old, old);
      const state = await later.dispatch('project.open', { path: l.target });
      expect(state.project.name).toBe(l.current === 0 ? 'project v0' : `v${l.current}`);
      expect(readdirSync(l.folder)).toEqual(['fire.vglab']);
    }
    await later.dispose();
  }, 150_000);
});
