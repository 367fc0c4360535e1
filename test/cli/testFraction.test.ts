// `vglab train --test-fraction` and `vglab run` of a project with test_fraction: the
// held-out rows' evaluations reach the summary and the trace files; a bad fraction
// exits 1 naming the option.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const NETWORK = join(ROOT, 'test', 'fixtures', 'deep-sigmoid.json');

function vglab(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'vglab.mjs'), ...args], { encoding: 'utf8' });
}

const TRAIN = ['train', NETWORK, '--dataset', 'spiral', '--data', 'n=200,seed=2', '--steps', '120', '--trace-every', '10'];

describe('vglab train --test-fraction', () => {
  it('holds the rows out, evaluates them up to the last step, and reports the final test loss and accuracy', () => {
    const out = mkdtempSync(join(tmpdir(), 'vglab-test-fraction-'));
    const r = vglab([...TRAIN, '--test-fraction', '0.25', '--out', out]);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { test_step: number; test_loss: number; test_accuracy: number };
    const lines = readFileSync(join(out, 'evaluations.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('step,test_loss,test_accuracy');
    expect(lines[1]).toMatch(/^0,/);
    const [step, loss, accuracy] = lines.at(-1)!.split(',').map(Number);
    expect(step).toBe(120);
    expect(summary.test_step).toBe(120);
    expect(summary.test_loss).toBeCloseTo(loss, 6);
    expect(summary.test_accuracy).toBeCloseTo(accuracy, 6);
    expect(accuracy).toBeGreaterThanOrEqual(0);
    const traces = JSON.parse(readFileSync(join(out, 'traces.json'), 'utf8')) as { evaluation: { steps: number[] } };
    expect(traces.evaluation.steps).toHaveLength(lines.length - 1);
  });

  it('trains as before without the option: no evaluations, no test figures', () => {
    const out = mkdtempSync(join(tmpdir(), 'vglab-test-fraction-'));
    const r = vglab([...TRAIN, '--out', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).not.toHaveProperty('test_loss');
  });

  it.each(['1', '-0.1', 'half', ''])('exits 1 naming the option for --test-fraction %j', (value) => {
    const r = vglab([...TRAIN, '--test-fraction', value]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--test-fraction: "${value}" is not a share of the rows from 0 to 0.9`);
  });
});

describe('vglab run of a project with test_fraction', () => {
  it('honours the setting: the traces hold the evaluations of the held-out rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-test-fraction-'));
    const project = JSON.parse(readFileSync(join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), 'utf8')) as { settings: Record<string, unknown> };
    project.settings.test_fraction = 0.2;
    const file = join(dir, 'held.vglab');
    writeFileSync(file, JSON.stringify(project));
    const r = vglab(['run', file, '--steps', '40', '--out', join(dir, 'out')]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 40, test_step: 40 });
    const traces = JSON.parse(readFileSync(join(dir, 'out', 'traces.json'), 'utf8')) as { evaluation: { steps: number[] } };
    expect(traces.evaluation.steps[0]).toBe(0);
    expect(traces.evaluation.steps.at(-1)).toBe(40);
  });
});
