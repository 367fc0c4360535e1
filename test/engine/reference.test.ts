// Every public PyTorch reference case (feed-forward and recurrent), through the real
// addon, under every ISA level this CPU has, within the case's own tolerance.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { loadAddon } from '../../electron/engine/addon.ts';
import { checkReferenceCase, parseCase } from '../../electron/engine/reference.ts';

export const CASES_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'reference-cases');
const RECURRENT = new Set(['rnn', 'lstm', 'gru']);

function allCases(): { name: string; json: { layers: { type: string }[] } }[] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f, json: JSON.parse(readFileSync(join(CASES_DIR, f), 'utf8')) as { layers: { type: string }[] } }));
}

const addon = loadAddon();
const initialIsa = addon.isa();
afterAll(() => addon.setIsa(initialIsa));

describe.each(addon.supportedIsas())('reference cases under %s', (isa) => {
  const cases = allCases();

  it('finds the public feed-forward and recurrent cases', () => {
    expect(cases.filter((c) => !c.json.layers.some((l) => RECURRENT.has(l.type))).length).toBeGreaterThanOrEqual(8);
    expect(cases.filter((c) => c.json.layers.some((l) => RECURRENT.has(l.type))).length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases.map((c) => [c.name, c.json] as const))('%s matches PyTorch within tolerance', (_name, json) => {
    addon.setIsa(isa);
    const { comparison } = checkReferenceCase(parseCase(json));
    expect(comparison.failures).toEqual([]);
    expect(comparison.pass).toBe(true);
  });
});
