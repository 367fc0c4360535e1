// The Labs view's side of LabService, with the real addon in real engine host
// processes: the bundled labs are listed and open; a lab file with mistakes is
// refused naming each field; lab 01's presets train to completion as tagged runs,
// and its checkpoints judge them as the lab file expects (the deep network fails
// to learn, the shallow one learns); answers and verdicts are kept with the
// project across save and reopen; the report carries the answers, escaped.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LabError, type LabEvents, type RunSummary } from '../../../core/api/labApi.ts';
import { LabService } from '../../../electron/service/labService.ts';

const LAB = 'see-the-vanishing';
const LAB_FILE = new URL('../../../labs/01-see-the-vanishing.json', import.meta.url);

let dir: string;
let service: LabService;

function start(): LabService {
  return new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0 });
}

async function rejection(p: Promise<unknown>): Promise<LabError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LabError);
    return e as LabError;
  }
  throw new Error('expected the call to fail');
}

const FINAL = ['completed', 'diverged', 'failed', 'cancelled'];

/** Resolves with the run's summary once it reaches a final state (it may have already). */
function finished(runId: string, timeoutMs = 50_000): Promise<RunSummary> {
  return new Promise((resolve, reject) => {
    void service.dispatch('runs.list', {}).then((list) => {
      const run = list.find((r) => r.id === runId);
      if (run && FINAL.includes(run.state)) {
        clearTimeout(timer);
        off();
        resolve(run);
      }
    });
    const timer = setTimeout(() => {
      off();
      reject(new Error(`run ${runId} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = service.subscribe((event, payload) => {
      if (event !== 'run.updated') return;
      const run = payload as LabEvents['run.updated'];
      if (run.id === runId && FINAL.includes(run.state)) {
        clearTimeout(timer);
        off();
        resolve(run);
      }
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-labs-'));
  service = start();
});

afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('labs.list and labs.open', () => {
  it('lists the seven bundled labs with their titles, and opens one by id', async () => {
    const list = await service.dispatch('labs.list', {});
    expect(list).toHaveLength(7);
    expect(list.every((l) => l.source === 'bundled' && l.title.length > 0 && l.summary.length > 0)).toBe(true);
    expect(list.map((l) => l.id)).toContain(LAB);
    const lab = await service.dispatch('labs.open', { id: LAB });
    expect(lab.title).toBe('Lab 1: See the gradient vanish');
    expect(lab.steps.filter((s) => s.preset).map((s) => s.preset!.id)).toEqual(['deep-sigmoid', 'shallow-sigmoid']);
    expect((await rejection(service.dispatch('labs.open', { id: 'no-such-lab' }))).code).toBe('not-found');
  });

  it('opens a lab from a file, lists it as a file, and refuses a broken one naming each field', async () => {
    const own = JSON.parse(readFileSync(LAB_FILE, 'utf8'));
    own.id = 'my-own-lab';
    own.title = 'My own lab';
    const lab = await service.dispatch('labs.openText', { text: JSON.stringify(own), fileName: 'mine.json' });
    expect(lab.id).toBe('my-own-lab');
    const list = await service.dispatch('labs.list', {});
    expect(list.find((l) => l.id === 'my-own-lab')).toMatchObject({ title: 'My own lab', source: 'file' });

    own.steps[0].preset.settings.optimizer.lr = -1;
    own.checkpoints[0].presets = ['nobody'];
    const e = await rejection(service.dispatch('labs.openText', { text: JSON.stringify(own), fileName: 'broken.json' }));
    expect(e.code).toBe('invalid-input');
    expect(e.message).toMatch(/^broken\.json: /);
    expect(e.message).toContain('steps[0].preset.settings.optimizer.lr');
    expect(e.message).toContain('checkpoints[0].presets[0]');
    const garbage = await rejection(service.dispatch('labs.openText', { text: '{"format": ', fileName: 'g.json' }));
    expect(garbage.message).toMatch(/not valid JSON/);
  });
});

describe('a lab worked through', () => {
  it('says "not yet" for every checkpoint before a preset has run', async () => {
    const results = await service.dispatch('labs.checkpoints', { labId: LAB });
    expect(results).toHaveLength(6);
    expect(results.every((r) => r.verdict === 'not-yet' && r.runId === null && r.measured === null)).toBe(true);
    expect(results[0].explanation).toMatch(/train it first/);
  });

  it('runs both presets of lab 01 as tagged runs, and judges them as the lab file expects', async () => {
    const deep = await service.dispatch('labs.startPreset', { labId: LAB, presetId: 'deep-sigmoid' });
    const shallow = await service.dispatch('labs.startPreset', { labId: LAB, presetId: 'shallow-sigmoid' });
    expect(deep).toMatchObject({ label: '10 sigmoid layers', lab: { labId: LAB, presetId: 'deep-sigmoid' }, steps: 400 });
    expect(shallow).toMatchObject({ label: '3 sigmoid layers', lab: { labId: LAB, presetId: 'shallow-sigmoid' } });
    expect(deep.network.nodes.filter((n) => n.type === 'sigmoid')).toHaveLength(10);
    expect(deep.dataset).toEqual({ name: 'spiral', options: { n: 400 } });
    const [d, s] = await Promise.all([finished(deep.id), finished(shallow.id)]);
    expect([d.state, s.state]).toEqual(['completed', 'completed']);

    const results = await service.dispatch('labs.checkpoints', { labId: LAB });
    const lab = await service.dispatch('labs.open', { id: LAB });
    for (const r of results) {
      const expected = lab.checkpoints.find((c) => c.id === r.checkpointId)!.expect![r.presetId];
      expect(`${r.checkpointId} on ${r.presetId}: ${r.verdict}`).toBe(`${r.checkpointId} on ${r.presetId}: ${expected === 'pass' ? 'passed' : 'failed'}`);
      expect(r.runId).toBe(r.presetId === 'deep-sigmoid' ? deep.id : shallow.id);
      expect(r.explanation.length).toBeGreaterThan(0);
    }
    const ratio = results.find((r) => r.checkpointId === 'vanishes-at-start' && r.presetId === 'deep-sigmoid')!;
    expect(ratio.measured).toBeLessThan(1e-3);
    // The verdicts are kept in the project.
    const state = await service.dispatch('project.get', {});
    expect(state.project.labProgress?.[LAB]?.checkpointResults).toHaveLength(6);
  });

  it('refuses a preset the lab does not have, and answers to questions it does not ask', async () => {
    expect((await rejection(service.dispatch('labs.startPreset', { labId: LAB, presetId: 'nope' }))).code).toBe('not-found');
    const e = await rejection(service.dispatch('labs.saveAnswers', { labId: LAB, answers: { 'not-a-question': 'x' } }));
    expect(e.code).toBe('invalid-input');
    expect(e.message).toContain('"not-a-question"');
  });

  it('saves answers in the project, keeps them and the run tags across save and reopen', async () => {
    const answers = { 'where-smallest': 'dense1, about 1e-6 of dense10', 'why-flat': '<script>alert("x")</script> & ln 2' };
    const state = await service.dispatch('labs.saveAnswers', { labId: LAB, answers });
    expect(state.dirty).toBe(true);
    expect(state.project.labProgress?.[LAB]?.answers).toEqual(answers);
    const path = join(dir, 'lab1.vglab');
    await service.dispatch('project.saveAs', { path });

    await service.dispatch('project.new', {});
    expect((await service.dispatch('project.get', {})).project.labProgress).toBeUndefined();
    const reopened = await service.dispatch('project.open', { path });
    expect(reopened.project.labProgress?.[LAB]?.answers).toEqual(answers);
    expect(reopened.project.labProgress?.[LAB]?.checkpointResults).toHaveLength(6);
    expect(reopened.runs.map((r) => r.lab?.presetId)).toEqual(['deep-sigmoid', 'shallow-sigmoid']);
    // The stored traces judge the same after reopening.
    const results = await service.dispatch('labs.checkpoints', { labId: LAB });
    expect(results.filter((r) => r.verdict === 'passed').map((r) => `${r.checkpointId}/${r.presetId}`).sort()).toEqual([
      'deep-is-stuck/deep-sigmoid',
      'shallow-learns/shallow-sigmoid',
      'vanishes-at-start/deep-sigmoid',
    ]);
  });

  it('exports a report with the answers escaped, and the answer key only for the teacher', async () => {
    const student = await service.dispatch('labs.exportReport', { labId: LAB });
    expect(student.fileName).toBe(`${LAB}-report.html`);
    expect(student.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ln 2');
    expect(student.html).not.toMatch(/<script/i);
    expect(student.html).toContain('dense1, about 1e-6 of dense10');
    expect(student.html).toContain('Not answered.');
    expect(student.html).toContain('Run: 10 sigmoid layers');
    expect(student.html).not.toContain('Notes for the teacher');
    const teacher = await service.dispatch('labs.exportReport', { labId: LAB, teacher: true });
    expect(teacher.fileName).toBe(`${LAB}-report-teacher.html`);
    expect(teacher.html).toContain('Notes for the teacher');
    expect(teacher.html).toContain('<strong>Answer:</strong>');
  });
});
