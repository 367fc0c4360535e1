// `vglab run` as a subprocess: trains a saved project with its own settings and writes
// traces and an HTML report; a damaged project exits 1 with the reason.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');

function vglab(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'vglab.mjs'), ...args], { encoding: 'utf8' });
}

function svgCount(html: string): number {
  return html.match(/<svg[\s>]/g)?.length ?? 0;
}

describe('vglab run', () => {
  it('trains the deep sigmoid example and writes traces, CSV tables and a report with charts', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vglab-run-')), 'out');
    const r = vglab(['run', join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), '--steps', '40', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 40, stopped: 'completed', out });
    const traces = JSON.parse(readFileSync(join(out, 'traces.json'), 'utf8')) as { format: string; metrics: { loss: unknown[] } };
    expect(traces.format).toBe('vglab-traces/1');
    expect(traces.metrics.loss).toHaveLength(40);
    for (const f of ['steps.csv', 'nodes.csv', 'params.csv']) expect(existsSync(join(out, f))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // the network diagram, then loss, per-layer norms and the profile at the first and last traced step
    expect(svgCount(html)).toBe(5);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Deep sigmoid MLP');
  });

  it('stops a project at --time-cap, writes the traces and report so far, and exits 4', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vglab-run-')), 'out');
    const r = vglab(['run', join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), '--steps', '1000000', '--time-cap', '0.005', '--out', out]);
    expect(r.status).toBe(4);
    const summary = JSON.parse(r.stdout) as { steps: number; stop_reason: string };
    expect(summary.stop_reason).toMatch(/^Stopped at the time cap of 0\.3 s after step [\d,]+ of 1,000,000;/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });

  it('trains the LSTM example and adds its gradient-through-time charts', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vglab-run-')), 'out');
    const r = vglab(['run', join(ROOT, 'examples', 'lstm-adding.vglab'), '--steps', '40', '--out', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 40, stopped: 'completed' });
    JSON.parse(readFileSync(join(out, 'traces.json'), 'utf8'));
    expect(existsSync(join(out, 'timesteps.csv'))).toBe(true);
    expect(svgCount(readFileSync(join(out, 'report.html'), 'utf8'))).toBe(7);
  });

  it('writes beside the project, into <name>-run, when no --out is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-run-'));
    const project = join(dir, 'mine.vglab');
    writeFileSync(project, readFileSync(join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab')));
    const r = vglab(['run', project, '--steps', '10']);
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'mine-run', 'report.html'))).toBe(true);
  });

  it('exits 1 with the reason for a corrupt project', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-run-'));
    const project = join(dir, 'broken.vglab');
    writeFileSync(project, '{"format": "vglab-project/1", "name": ');
    const r = vglab(['run', project, '--steps', '10']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('broken.vglab');
    expect(r.stderr).not.toContain('    at ');
    expect(existsSync(join(dir, 'broken-run'))).toBe(false);
  });

  it('exits 1 for a missing project or a bad --steps', () => {
    expect(vglab(['run', join(tmpdir(), 'no-such-project.vglab')]).status).toBe(1);
    const r = vglab(['run', join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), '--steps', 'many']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--steps');
  });

  it('exits 1 for a CSV project without --csv, naming the file it needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-run-'));
    const project = JSON.parse(readFileSync(join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), 'utf8')) as Record<string, unknown>;
    project.dataset = { csv: { fileName: 'points.csv' } };
    writeFileSync(join(dir, 'csv.vglab'), JSON.stringify(project));
    const r = vglab(['run', join(dir, 'csv.vglab'), '--steps', '10']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('points.csv');
    expect(r.stderr).toContain('--csv');
  });

  it('trains a CSV project on the file given with --csv, read with the project\'s CSV settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-run-'));
    const project = JSON.parse(readFileSync(join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), 'utf8')) as Record<string, unknown>;
    project.dataset = { csv: { fileName: 'points.csv', target: 'label' } };
    writeFileSync(join(dir, 'csv.vglab'), JSON.stringify(project));
    const lines = ['a,b,label'];
    for (let i = 0; i < 100; i++) lines.push(`${(i % 10) / 10},${Math.floor(i / 10) / 10},${i % 2 ? 'yes' : 'no'}`);
    writeFileSync(join(dir, 'points.csv'), `${lines.join('\n')}\n`);
    const r = vglab(['run', join(dir, 'csv.vglab'), '--csv', join(dir, 'points.csv'), '--steps', '20']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 20 });
    expect(existsSync(join(dir, 'csv-run', 'report.html'))).toBe(true);
  });

  it('trains a project on the CSV text it embeds (an imported file), no --csv needed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-run-'));
    const project = JSON.parse(readFileSync(join(ROOT, 'examples', 'deep-sigmoid-mlp.vglab'), 'utf8')) as Record<string, unknown>;
    const lines = ['a,b,label'];
    for (let i = 0; i < 100; i++) lines.push(`${(i % 10) / 10},${Math.floor(i / 10) / 10},${i % 2 ? 'yes' : 'no'}`);
    const text = `${lines.join('\r\n')}\r\n`;
    const sha256 = createHash('sha256').update(text).digest('hex');
    project.dataset = { csv: { fileName: 'points.csv', sha256, target: 'label' } };
    project.csvTexts = { [sha256]: text };
    writeFileSync(join(dir, 'embedded.vglab'), JSON.stringify(project));
    const r = vglab(['run', join(dir, 'embedded.vglab'), '--steps', '15']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 15 });
  });
});
