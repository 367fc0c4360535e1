import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ProjectError } from '../../../core/project/migrate.ts';
import { decodeTraces, storedTraces } from '../../../core/project/traceCodec.ts';
import { RECURRENT_METRICS, TRACE_METRICS } from '../../../core/traces/metrics.ts';
import {
  cleanStaleTempFiles,
  discardRecovery,
  openProject,
  readRecovery,
  recoveryPath,
  saveProject,
  writeRecovery,
} from '../../../electron/project/projectFile.ts';
import { filledColumns, makeProject } from '../../core/project/helpers.ts';

const fixture = (name: string) => new URL(`../../fixtures/projects/${name}`, import.meta.url);
const bits = (a: Float32Array | Int32Array | Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-project-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Bytes and modification time, to prove a failed open wrote nothing. */
function snapshot(path: string): { bytes: Buffer; mtimeMs: number } {
  return { bytes: readFileSync(path), mtimeMs: statSync(path).mtimeMs };
}

describe('saveProject / openProject', () => {
  it('round-trips a project with traces on a real file, as stored bit for bit, leaving no temp file', () => {
    const recurrent = [{ nodeId: 'l', type: 'lstm' as const, time: 4, gates: ['i', 'f', 'g', 'o'] }];
    const live = filledColumns(3, 40, 11, { histogram: true, recurrent, stepCount: 80 });
    const path = join(dir, 'lab.vglab');
    saveProject(path, makeProject(1, live));
    // Compact storage rounds per-layer statistics to bfloat16; the rest stays exact (see traceCodec.ts).
    const cols = storedTraces(live);
    expect(readdirSync(dir)).toEqual(['lab.vglab']);
    const opened = openProject(path);
    if (!opened.ok) throw new Error(opened.error);
    expect(opened.project.name).toBe('project v1');
    const back = decodeTraces(opened.project.runs[0].traces!);
    expect(bits(back.steps).equals(bits(cols.steps))).toBe(true);
    for (const m of TRACE_METRICS) expect(bits(back.metrics[m.id]).equals(bits(cols.metrics[m.id])), m.id).toBe(true);
    expect(bits(back.histogram).equals(bits(cols.histogram))).toBe(true);
    for (const m of RECURRENT_METRICS) {
      expect(bits(back.recurrent!.metrics[m.id]).equals(bits(cols.recurrent!.metrics[m.id])), m.id).toBe(true);
    }
  });

  it('replaces an existing file', () => {
    const path = join(dir, 'lab.vglab');
    saveProject(path, makeProject(1));
    saveProject(path, makeProject(2));
    expect(openProject(path)).toMatchObject({ ok: true, project: { name: 'project v2' } });
  });

  it('refuses an invalid project before touching the file', () => {
    const path = join(dir, 'lab.vglab');
    saveProject(path, makeProject(1));
    const before = snapshot(path);
    expect(() => saveProject(path, { ...makeProject(2), settings: { optimizer: { type: 'sgd', lr: 0 } } })).toThrow(ProjectError);
    expect(snapshot(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['lab.vglab']);
  });

  it('reports a missing file, a folder and a file that is not text', () => {
    expect(openProject(join(dir, 'nope.vglab'))).toMatchObject({ ok: false, reason: 'missing' });
    mkdirSync(join(dir, 'folder.vglab'));
    expect(openProject(join(dir, 'folder.vglab'))).toMatchObject({ ok: false, reason: 'not-project' });
    writeFileSync(join(dir, 'bin.vglab'), Uint8Array.from([0x7b, 0xff, 0xfe, 0x00]));
    expect(openProject(join(dir, 'bin.vglab'))).toMatchObject({ ok: false, reason: 'corrupt', error: expect.stringMatching(/not valid UTF-8/) });
  });

  it('reports a corrupt (cut short) file with its name and where, and leaves it as it was', () => {
    const path = join(dir, 'cut.vglab');
    saveProject(path, makeProject(1, filledColumns(2, 10, 1)));
    writeFileSync(path, readFileSync(path).subarray(0, 3000));
    const before = snapshot(path);
    const r = openProject(path);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(!r.ok && r.error).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the file is not valid JSON \\(line \\d+, column \\d+`));
    expect(snapshot(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['cut.vglab']);
  });

  it('refuses a project from a newer version without changing it', () => {
    const path = join(dir, 'newer.vglab');
    writeFileSync(path, readFileSync(fixture('newer-version.vglab')));
    const before = snapshot(path);
    const r = openProject(path);
    expect(r).toMatchObject({ ok: false, reason: 'newer', error: expect.stringMatching(/saved by a newer version/) });
    expect(snapshot(path)).toEqual(before);
  });

  it('refuses a network spec opened as a project', () => {
    const path = join(dir, 'net.vglab');
    writeFileSync(path, readFileSync(new URL('../../fixtures/deep-sigmoid.json', import.meta.url)));
    expect(openProject(path)).toMatchObject({ ok: false, reason: 'not-project', error: expect.stringMatching(/network spec/) });
  });
});

describe('recovery files', () => {
  it('sit beside the project as <name>.vglab.recovery', () => {
    expect(recoveryPath('/home/ada/labs/deep.vglab')).toBe('/home/ada/labs/deep.vglab.recovery');
  });

  it('are written, read back (newer than the project) and discarded', () => {
    const path = join(dir, 'lab.vglab');
    expect(readRecovery(path)).toBeNull();
    saveProject(path, makeProject(1));
    utimesSync(path, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
    writeRecovery(path, makeProject(2, filledColumns(1, 5, 2)));
    expect(readdirSync(dir).sort()).toEqual(['lab.vglab', 'lab.vglab.recovery']);
    const rec = readRecovery(path);
    expect(rec).toMatchObject({ ok: true, project: { name: 'project v2' }, newerThanProject: true });
    expect(openProject(path)).toMatchObject({ ok: true, project: { name: 'project v1' } });
    discardRecovery(path);
    expect(readRecovery(path)).toBeNull();
    expect(() => discardRecovery(path)).not.toThrow();
  });

  it('exist for an untitled project that was never saved', () => {
    const path = join(dir, 'untitled-1.vglab');
    writeRecovery(path, makeProject(5));
    expect(readRecovery(path)).toMatchObject({ ok: true, newerThanProject: true, project: { name: 'project v5' } });
  });

  it('report a damaged recovery file as an error rather than a project', () => {
    const path = join(dir, 'lab.vglab');
    writeFileSync(recoveryPath(path), '{"format": "vglab-project/1", ');
    expect(readRecovery(path)).toMatchObject({ ok: false, reason: 'corrupt' });
  });
});

describe('cleanStaleTempFiles', () => {
  it('removes temp files older than a minute and keeps fresh ones and everything else', () => {
    const old = join(dir, '.vglab-tmp-lab.vglab-123-1700000000000');
    const fresh = join(dir, '.vglab-tmp-lab.vglab-456-1700000001000');
    for (const f of [old, fresh, join(dir, 'lab.vglab'), join(dir, 'notes.txt')]) writeFileSync(f, 'x');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    utimesSync(old, twoMinutesAgo, twoMinutesAgo);
    expect(cleanStaleTempFiles(dir)).toEqual([old]);
    expect(readdirSync(dir).sort()).toEqual(['.vglab-tmp-lab.vglab-456-1700000001000', 'lab.vglab', 'notes.txt']);
  });

  it('returns nothing for a folder that does not exist', () => {
    expect(cleanStaleTempFiles(join(dir, 'missing'))).toEqual([]);
  });
});
