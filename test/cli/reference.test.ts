// `vglab reference` as a subprocess: the JSON it prints has exactly the case's
// expected keys, VGLAB_ISA selects the kernels, and bad input exits 1 with a message.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadAddon } from '../../electron/engine/addon.ts';

const ROOT = resolve(__dirname, '..', '..');
const CASES = resolve(ROOT, '..', 'shared', 'reference-cases');

function vglab(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'vglab.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('vglab reference', () => {
  it('prints the expected keys of a case, computed by the engine', () => {
    const path = join(CASES, 'p01_sigmoid_d6_w8_ce.json');
    const r = vglab(['reference', path]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    const expected = (JSON.parse(readFileSync(path, 'utf8')) as { expected: Record<string, unknown> }).expected;
    expect(Object.keys(printed).sort()).toEqual(Object.keys(expected).sort());
    expect(printed.loss as number).toBeCloseTo(expected.loss as number, 5);
  });

  // Every public case, feed-forward and recurrent, through the command itself under every ISA level.
  const cases = readdirSync(CASES).filter((f) => f.endsWith('.json')).sort();
  const supported = loadAddon().supportedIsas();
  it.each(['scalar', 'avx2', 'avx512'])('--check passes every public case under VGLAB_ISA=%s', (isa) => {
    expect(cases.length).toBeGreaterThanOrEqual(11);
    // The level asked for, or the best below it that this CPU has.
    const expectedIsa = supported.includes(isa as never) ? isa : supported[supported.length - 1];
    for (const name of cases) {
      const r = vglab(['reference', '--check', join(CASES, name)], { VGLAB_ISA: isa });
      expect({ name, status: r.status, stderr: r.stderr }).toEqual({ name, status: 0, stderr: '' });
      expect(JSON.parse(r.stdout)).toMatchObject({ pass: true, failures: [], isa: expectedIsa });
    }
  });

  it('prints timestep_hidden_grad_norms for a recurrent case', () => {
    const path = join(CASES, 'p11_gru_T10_bce.json');
    const r = vglab(['reference', path]);
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as { timestep_hidden_grad_norms: Record<string, number[]> };
    const expected = (JSON.parse(readFileSync(path, 'utf8')) as { expected: { timestep_hidden_grad_norms: Record<string, number[]> } })
      .expected.timestep_hidden_grad_norms;
    expect(Object.keys(printed.timestep_hidden_grad_norms)).toEqual(Object.keys(expected));
    const [key] = Object.keys(expected);
    printed.timestep_hidden_grad_norms[key].forEach((v, t) => expect(Math.abs(v - expected[key][t])).toBeLessThan(1.1e-3 * expected[key][t]));
  });

  it('exits 1 naming the problem for a file that is not a case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-ref-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'vglab-reference-case/1', name: 'x' }));
    const r = vglab(['reference', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^vglab: not a valid reference case/);
    const missing = vglab(['reference', join(dir, 'missing.json')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read/);
  });

  it('exits 1 for a case whose weights do not fit its layers', () => {
    const json = JSON.parse(readFileSync(join(CASES, 'p02_tanh_d4_w10_ce.json'), 'utf8')) as {
      layers: { weight?: number[][] }[];
    };
    json.layers[0].weight = json.layers[0].weight!.slice(1);
    const dir = mkdtempSync(join(tmpdir(), 'vglab-ref-'));
    const bad = join(dir, 'short.json');
    writeFileSync(bad, JSON.stringify(json));
    const r = vglab(['reference', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/weight/);
  });
});
