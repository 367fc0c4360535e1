// `vglab train` as a subprocess: trains on a built-in set or a CSV, writes trace files,
// and refuses bad input with exit code 1 and a message naming the field.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const NETWORK = join(ROOT, 'test', 'fixtures', 'deep-sigmoid.json');

function vglab(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'vglab.mjs'), ...args], { encoding: 'utf8' });
}

describe('vglab train', () => {
  it('trains on a built-in data set and writes JSON and CSV traces', () => {
    const out = mkdtempSync(join(tmpdir(), 'vglab-train-'));
    const r = vglab(['train', NETWORK, '--dataset', 'spiral', '--data', 'n=200,seed=2', '--steps', '120', '--trace-every', '10', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { steps: number; stopped: string };
    expect(summary).toMatchObject({ steps: 120, stopped: 'completed' });
    const traces = JSON.parse(readFileSync(join(out, 'traces.json'), 'utf8')) as {
      format: string;
      nodeIds: string[];
      steps: number[];
      metrics: Record<string, (number | null)[]>;
    };
    expect(traces.format).toBe('vglab-traces/1');
    expect(traces.steps).toHaveLength(12);
    expect(traces.metrics.loss).toHaveLength(120);
    expect(traces.metrics.out_grad_norm).toHaveLength(12 * traces.nodeIds.length);
    // The deep sigmoid network's first layer receives a far smaller gradient than its last.
    const first = traces.metrics.out_grad_norm[traces.nodeIds.indexOf('d0')]!;
    const last = traces.metrics.out_grad_norm[traces.nodeIds.indexOf('d5')]!;
    expect(first).toBeLessThan(last / 10);
    const nodesCsv = readFileSync(join(out, 'nodes.csv'), 'utf8').split('\n');
    expect(nodesCsv[0]).toBe('step,node,out_grad_norm,act_mean,act_std,saturated_frac');
    expect(nodesCsv).toHaveLength(1 + 12 * traces.nodeIds.length + 1);
    expect(existsSync(join(out, 'params.csv'))).toBe(true);
  });

  it('trains on a CSV file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-train-'));
    const csv = join(dir, 'data.csv');
    const lines = ['a,b,label'];
    for (let i = 0; i < 100; i++) lines.push(`${(i % 10) / 10},${Math.floor(i / 10) / 10},${i % 2 ? 'yes' : 'no'}`);
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const r = vglab(['train', NETWORK, '--csv', csv, '--target', 'label', '--steps', '20']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ steps: 20 });
  });

  it('trains an LSTM on a sequence CSV in long layout and writes its per-timestep traces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-train-'));
    const csv = join(dir, 'seq.csv');
    const lines = ['seq,a,b,label'];
    for (let s = 0; s < 40; s++) for (let t = 0; t < 8; t++) lines.push(`${s},${(s * 7 + t) % 5},${t === 0 ? s % 2 : 0},${s % 2 ? 'up' : 'down'}`);
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const out = join(dir, 'out');
    const r = vglab(['train', join(ROOT, 'test', 'fixtures', 'lstm-seq8.json'), '--csv', csv, '--target', 'label', '--sequence-column', 'seq', '--steps', '30', '--trace-every', '10', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const traces = JSON.parse(readFileSync(join(out, 'traces.json'), 'utf8')) as { recurrent: { nodes: { nodeId: string; time: number }[]; metrics: Record<string, number[]> } };
    expect(traces.recurrent.nodes).toMatchObject([{ nodeId: 'lstm', time: 8 }]);
    expect(traces.recurrent.metrics.timestep_grad_norm).toHaveLength(3 * 8);
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'seq,a,label\n0,1,x\n0,2,x\n1,3,y\n');
    const bad = vglab(['train', join(ROOT, 'test', 'fixtures', 'lstm-seq8.json'), '--csv', ragged, '--sequence-column', 'seq']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/sequence 1 has 1 rows; the first sequence has 2/);
  });

  it.each([
    [['--dataset', 'galaxy'], /unknown data set "galaxy"/],
    [['--data', 'n=0'], /n must be an integer/],
    [['--lr', '-1'], /optimizer.lr must be a positive number/],
    [['--optimizer', 'rmsprop'], /optimizer.type/],
    [['--dataset', 'sine'], /node "x": the network takes 2 features; the "sine" data set has 1/],
    [['--steps', 'many'], /--steps: "many" is not a number/],
    [['--batch-size', '60000', '--memory-cap', '1'], /needs .* the memory limit is 1.0 MiB/],
    [['--time-cap', 'later'], /--time-cap: "later" is not a number of minutes from 0 to 10080 \(0: no cap\)/],
  ])('exits 1 for %j', (extra, message) => {
    const r = vglab(['train', NETWORK, '--steps', '5', ...(extra as string[])]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
  });

  it('stops at the time cap after a whole step, writes the traces so far, says why and exits 4', () => {
    const out = mkdtempSync(join(tmpdir(), 'vglab-train-'));
    // 0.005 min = 0.3 s of training; a million steps would take minutes.
    const r = vglab(['train', NETWORK, '--steps', '1000000', '--trace-every', '1', '--time-cap', '0.005', '--out', out]);
    expect(r.status).toBe(4);
    const summary = JSON.parse(r.stdout) as { steps: number; stopped: string; stop_reason: string };
    expect(summary.stopped).toBe('cancelled');
    expect(summary.steps).toBeGreaterThan(0);
    expect(summary.steps).toBeLessThan(1_000_000);
    const step = summary.steps.toLocaleString('en-US');
    expect(summary.stop_reason).toMatch(new RegExp(`^Stopped at the time cap of 0\\.3 s after step ${step} of 1,000,000;`));
    expect(r.stderr).toContain(`vglab: ${summary.stop_reason}`);
    const traces = JSON.parse(readFileSync(join(out, 'traces.json'), 'utf8')) as { metrics: { loss: unknown[] } };
    expect(traces.metrics.loss).toHaveLength(summary.steps);
  });

  it('exits 1 naming the node for an invalid network file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-train-'));
    const bad = JSON.parse(readFileSync(NETWORK, 'utf8')) as { nodes: { params?: Record<string, unknown> }[] };
    bad.nodes[1].params!.units = -3;
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(bad));
    const r = vglab(['train', path]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/node "d0"/);
  });

  it('exits 1 naming the line and column of a bad CSV', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-train-'));
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'a,b,label\n1,2,x\n3,oops,y\n');
    const r = vglab(['train', NETWORK, '--csv', csv]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 3/);
  });
});
