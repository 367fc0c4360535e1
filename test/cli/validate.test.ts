// `vglab validate` as a subprocess: exit 0 and a summary for valid files, exit 1 with
// messages naming the node and field for invalid ones.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');

function vglab(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'vglab.mjs'), ...args], { encoding: 'utf8' });
}

function writeJson(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vglab-validate-')), 'file.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('vglab validate', () => {
  it.each(['deep-sigmoid.json', 'lstm-seq8.json'])('accepts the network %s', (name) => {
    const r = vglab(['validate', join(ROOT, 'test', 'fixtures', name)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a valid network \(\d+ nodes, [\d,]+ parameters\)/);
  });

  it.each(['deep-sigmoid-mlp', 'deep-relu-he', 'lstm-adding', 'rnn-adding'])('accepts the example project %s', (name) => {
    const r = vglab(['validate', join(ROOT, 'examples', `${name}.vglab`)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a valid project ".+" \(\d+ nodes, [\d,]+ parameters; data set \w+; 0 runs\)/);
  });

  it('refuses a project saved by a newer version', () => {
    const r = vglab(['validate', join(ROOT, 'test', 'fixtures', 'projects', 'newer-version.vglab')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/newer version/);
  });

  it('refuses a project whose network does not fit its data set', () => {
    const project = JSON.parse(readFileSync(join(ROOT, 'examples', 'lstm-adding.vglab'), 'utf8')) as {
      network: { nodes: { params?: Record<string, unknown> }[] };
    };
    project.network.nodes[0].params!.sequence_length = 40;
    const r = vglab(['validate', writeJson(project)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/node "x": sequence_length is 40; the "adding" data set has sequences of 50 steps/);
  });

  it('accepts a reference case', () => {
    const r = vglab(['validate', resolve(ROOT, '..', 'shared', 'reference-cases', 'p08_residual_mlp_3blocks_ce.json')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a valid reference case/);
  });

  it('names the node and field of an invalid network', () => {
    const net = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'deep-sigmoid.json'), 'utf8')) as {
      nodes: { id: string; params?: Record<string, unknown> }[];
      edges: { from: string; to: string }[];
    };
    net.nodes[3].params = { units: 16, in_features: 4 };
    net.edges.push({ from: 's5', to: 'nowhere' });
    const r = vglab(['validate', writeJson(net)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/"to" names an unknown node "nowhere"/);
  });

  it.each([
    ['not JSON', '{"format": ', /line 1, column/],
    ['an unknown format', { format: 'something/9' }, /"format" is "something\/9"/],
    ['a missing file', null, /cannot read/],
  ])('exits 1 for %s', (_what, content, message) => {
    const path = content === null ? join(tmpdir(), 'vglab-does-not-exist.json') : writeJson(content);
    const r = vglab(['validate', path]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message as RegExp);
  });
});
