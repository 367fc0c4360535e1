// `vglab run LAB.json` and `vglab validate LAB.json` as subprocesses: a lab runs
// every preset, writes checkpoints.json, each preset's traces and a report whose
// checkpoint results and charts are there; an invalid lab exits 1 naming the field.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const LAB1 = join(ROOT, 'labs', '01-see-the-vanishing.json');

function vglab(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'vglab.mjs'), ...args], { encoding: 'utf8' });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vglab-lab-'));
}

describe('vglab run LAB.json', () => {
  it('runs every preset, judges the checkpoints and writes results, traces and a report', () => {
    const out = join(tempDir(), 'out');
    const r = vglab(['run', LAB1, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ lab: 'see-the-vanishing', presets: 2, checkpoints: 6, passed: 3, failed: 3, unexpected: 0, out });

    const results = JSON.parse(readFileSync(join(out, 'checkpoints.json'), 'utf8')) as {
      format: string;
      runs: { preset: string; stopped: string }[];
      checkpoints: { checkpointId: string; presetId: string; passed: boolean; explanation: string }[];
    };
    expect(results.format).toBe('vglab-lab-results/1');
    expect(results.runs.map((x) => [x.preset, x.stopped])).toEqual([
      ['deep-sigmoid', 'completed'],
      ['shallow-sigmoid', 'completed'],
    ]);
    expect(results.checkpoints.find((c) => c.checkpointId === 'vanishes-at-start' && c.presetId === 'deep-sigmoid')?.passed).toBe(true);
    for (const preset of ['deep-sigmoid', 'shallow-sigmoid']) {
      for (const f of ['traces.json', 'steps.csv', 'nodes.csv', 'params.csv']) expect(existsSync(join(out, preset, f)), `${preset}/${f}`).toBe(true);
    }

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const window = new Window();
    window.document.write(html);
    const doc = window.document;
    expect(doc.querySelector('h1')?.textContent).toBe('Lab 1: See the gradient vanish');
    expect(doc.querySelectorAll('table.checkpoints tr.pass')).toHaveLength(3);
    expect(doc.querySelectorAll('table.checkpoints tr.fail')).toHaveLength(3);
    // Counted in the text: happy-dom's parser does not nest every inline SVG.
    expect(html.match(/<svg[\s>]/g)?.length ?? 0).toBeGreaterThanOrEqual(8);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    // Without --teacher the answer key stays out of the report.
    expect(html).not.toContain('Answer:');
  });

  it('puts the answers in the report with --teacher', () => {
    const out = join(tempDir(), 'out');
    const r = vglab(['run', LAB1, '--out', out, '--teacher']);
    expect(r.status).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Answer:');
    expect(html).toContain('Notes for the teacher');
  });

  it('exits 1 for an invalid lab, naming the field, and writes nothing', () => {
    const dir = tempDir();
    const lab = JSON.parse(readFileSync(LAB1, 'utf8')) as { steps: { preset?: { settings: { optimizer: { lr: unknown } } } }[] };
    lab.steps[1].preset!.settings.optimizer.lr = 'fast';
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify(lab));
    const r = vglab(['run', path]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('steps[1].preset.settings.optimizer.lr must be a positive number');
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(join(dir, 'broken-run'))).toBe(false);
  });

  it('exits 1 for broken JSON in a .json file, with its line, and for --steps on a lab', () => {
    const path = join(tempDir(), 'half.json');
    writeFileSync(path, '{"format": "vglab-lab/1",\n "id": ');
    const r = vglab(['run', path]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not valid JSON at line 2/);
    const steps = vglab(['run', LAB1, '--steps', '10']);
    expect(steps.status).toBe(1);
    expect(steps.stderr).toContain('--steps does not apply to a lab');
  });
});

describe('vglab validate LAB.json', () => {
  it('accepts a bundled lab, checking every preset against its data set', () => {
    const r = vglab(['validate', join(ROOT, 'labs', '07-through-time.json')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a valid lab "through-time" \(5 steps, 5 presets, 3 questions, 4 checkpoints\)/);
  });

  it('exits 1 naming the field of a checkpoint that names a missing preset, and a preset whose data set does not fit', () => {
    const dir = tempDir();
    const lab = JSON.parse(readFileSync(LAB1, 'utf8')) as {
      checkpoints: { presets: string[] }[];
      steps: { preset?: { dataset: { name: string } } }[];
    };
    lab.checkpoints[0].presets = ['deep-sigmoid', 'nowhere'];
    writeFileSync(join(dir, 'a.json'), JSON.stringify(lab));
    const a = vglab(['validate', join(dir, 'a.json')]);
    expect(a.status).toBe(1);
    expect(a.stderr).toContain('checkpoints[0].presets[1] names no preset of this lab ("nowhere")');

    const fixed = JSON.parse(readFileSync(LAB1, 'utf8')) as typeof lab;
    fixed.steps[0].preset!.dataset.name = 'adding';
    writeFileSync(join(dir, 'b.json'), JSON.stringify(fixed));
    const b = vglab(['validate', join(dir, 'b.json')]);
    expect(b.status).toBe(1);
    expect(b.stderr).toContain('preset "deep-sigmoid"');
  });
});
