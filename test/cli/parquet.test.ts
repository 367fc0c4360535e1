// `vglab train --parquet` and `vglab run --parquet` as subprocesses: the Parquet
// tables sit beside the CSV files and hold the same float32 values as traces.json
// (whose numbers are those float32 values printed exactly).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');

function vglab(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'vglab.mjs'), ...args], { encoding: 'utf8' });
}

async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  const bytes = readFileSync(path);
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
}

interface TracesJson {
  nodeIds: string[];
  steps: number[];
  metrics: Record<string, (number | null)[]>;
  recurrent?: { nodes: { nodeId: string; time: number }[]; metrics: Record<string, (number | null)[]> };
}

describe('trace tables as Parquet from the command line', () => {
  it('vglab train --parquet: steps.parquet and nodes.parquet match traces.json value for value', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vglab-parquet-'));
    const r = vglab(['train', join(ROOT, 'test', 'fixtures', 'deep-sigmoid.json'), '--data', 'n=200,seed=2', '--steps', '60', '--trace-every', '10', '--out', out, '--parquet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const traces = JSON.parse(readFileSync(join(out, 'traces.json'), 'utf8')) as TracesJson;
    const steps = await readParquet(join(out, 'steps.parquet'));
    expect(steps.map((s) => s.step)).toEqual([...Array(60).keys()]);
    expect(steps.map((s) => s.loss)).toEqual(traces.metrics.loss);
    const nodes = await readParquet(join(out, 'nodes.parquet'));
    expect(nodes).toHaveLength(traces.steps.length * traces.nodeIds.length);
    expect(nodes.map((n) => n.out_grad_norm)).toEqual(traces.metrics.out_grad_norm);
    expect(nodes.slice(0, traces.nodeIds.length).map((n) => n.node)).toEqual(traces.nodeIds);
    expect(existsSync(join(out, 'params.parquet'))).toBe(true);
    expect(existsSync(join(out, 'steps.csv'))).toBe(true);
  });

  it('vglab run --parquet on the LSTM example adds timesteps.parquet and gates.parquet', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vglab-parquet-')), 'out');
    const r = vglab(['run', join(ROOT, 'examples', 'lstm-adding.vglab'), '--steps', '20', '--out', out, '--parquet']);
    expect(r.status).toBe(0);
    const traces = JSON.parse(readFileSync(join(out, 'traces.json'), 'utf8')) as TracesJson;
    const timesteps = await readParquet(join(out, 'timesteps.parquet'));
    expect(timesteps.map((t) => t.timestep_grad_norm)).toEqual(traces.recurrent!.metrics.timestep_grad_norm);
    const gates = await readParquet(join(out, 'gates.parquet'));
    expect(gates.length).toBeGreaterThan(0);
    expect(new Set(gates.map((g) => g.gate))).toEqual(new Set(['i', 'f', 'g', 'o']));
  });

  it('without --parquet, no Parquet file is written', () => {
    const out = mkdtempSync(join(tmpdir(), 'vglab-parquet-'));
    const r = vglab(['train', join(ROOT, 'test', 'fixtures', 'deep-sigmoid.json'), '--steps', '5', '--out', out]);
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'steps.csv'))).toBe(true);
    expect(existsSync(join(out, 'steps.parquet'))).toBe(false);
  });
});
