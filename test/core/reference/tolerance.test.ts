import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { expectedResults, parseReferenceCase, type ResultValues } from '../../../core/reference/case.ts';
import { compareWithExpected } from '../../../core/reference/tolerance.ts';

const tol = { rtol: 1e-3, atol_rel_to_max: 1e-4, zero_atol: {} };

describe('rule 1: arrays scale the absolute part by the array maximum', () => {
  // M = 100, so element 0 (e = 1) may differ by 1e-3 * 1 + 1e-4 * 100 = 0.011.
  it('passes inside rtol|e| + atol_rel_to_max * max|e|', () => {
    const r = compareWithExpected(tol, { output: [1, 100] }, { output: [1.0109, 100] });
    expect(r.pass).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.worstRatio).toBeCloseTo(0.0109 / 0.011, 6);
  });

  it('fails outside it, naming the key, index, expected, actual and allowed', () => {
    const r = compareWithExpected(tol, { output: [1, 100] }, { output: [1.02, 100] });
    expect(r.pass).toBe(false);
    expect(r.failures).toEqual(['output[0]: expected 1, got 1.02, allowed difference 1.100e-2 (off by 2.000e-2)']);
    expect(r.worstRatio).toBeCloseTo(0.02 / 0.011, 6);
  });

  it('takes the maximum per array, not across arrays', () => {
    const expected: ResultValues = { param_grads: { '0.weight': [1, 100], '0.bias': [1, 1] } };
    const r = compareWithExpected(tol, expected, { param_grads: { '0.weight': [1.0109, 100], '0.bias': [1.0109, 1] } });
    expect(r.failures).toEqual(['param_grads.0.bias[0]: expected 1, got 1.0109, allowed difference 1.100e-3 (off by 1.090e-2)']);
  });

  it('flattens nested arrays and accepts typed arrays on either side', () => {
    const expected: ResultValues = { input_grad: [[1, 2], [3, 4]] };
    expect(compareWithExpected(tol, expected, { input_grad: Float32Array.of(1, 2, 3, 4) }).pass).toBe(true);
    const r = compareWithExpected(tol, expected, { input_grad: [[1, 2], [3, 5]] });
    expect(r.failures[0]).toMatch(/^input_grad\[3\]: expected 4, got 5/);
  });

  it('reports a length mismatch', () => {
    const r = compareWithExpected(tol, { output: [1, 2, 3] }, { output: [1, 2] });
    expect(r.pass).toBe(false);
    expect(r.failures).toEqual(['output: expected 3 values, got 2']);
    expect(r.worstRatio).toBe(Number.POSITIVE_INFINITY);
  });

  it('compares running statistics as arrays under their layer path', () => {
    const expected: ResultValues = { running_stats: { 'running_mean.2.body.1': [0.5, 0.01] } };
    const ok = compareWithExpected(tol, expected, { running_stats: { 'running_mean.2.body.1': [0.5004, 0.01] } });
    expect(ok.pass).toBe(true);
    const bad = compareWithExpected(tol, expected, { running_stats: { 'running_mean.2.body.1': [0.5, 0.02] } });
    expect(bad.failures[0]).toMatch(/^running_mean\.2\.body\.1\[1\]: expected 0\.01, got 0\.02/);
  });
});

describe('rule 2: scalars and each element of the norm lists, relative to that element', () => {
  it('checks the loss against (rtol + atol_rel_to_max)|e|', () => {
    expect(compareWithExpected(tol, { loss: 2 }, { loss: 2.0021 }).pass).toBe(true);
    const r = compareWithExpected(tol, { loss: 2 }, { loss: 2.0023 });
    expect(r.pass).toBe(false);
    expect(r.failures[0]).toMatch(/^loss: expected 2, got 2\.0023, allowed difference 2\.200e-3/);
  });

  it('checks param_grad_norms one by one', () => {
    const r = compareWithExpected(tol, { param_grad_norms: { '0.weight': 1e-8, '1.weight': 3 } }, { param_grad_norms: { '0.weight': 1.01e-8, '1.weight': 3 } });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatch(/^param_grad_norms\.0\.weight: expected 1e-8, got 1\.01e-8/);
  });

  it('never uses the largest entry of a norm profile as the scale', () => {
    const expected: ResultValues = { layer_output_grad_norms: [1e-20, 1e-10, 1] };
    // Off by 2x at 1e-20: tiny next to 1e-4 * 1, but must still fail.
    const r = compareWithExpected(tol, expected, { layer_output_grad_norms: [2e-20, 1e-10, 1] });
    expect(r.pass).toBe(false);
    expect(r.failures).toEqual(['layer_output_grad_norms[0]: expected 1e-20, got 2e-20, allowed difference 1.100e-23 (off by 1.000e-20)']);
    expect(compareWithExpected(tol, expected, { layer_output_grad_norms: [1.0009e-20, 1.0009e-10, 1.0009] }).pass).toBe(true);
  });

  it('checks each timestep of each recurrent layer', () => {
    const expected: ResultValues = { timestep_hidden_grad_norms: { '0': [1e-6, 1e-3, 0.1] } };
    const r = compareWithExpected(tol, expected, { timestep_hidden_grad_norms: { '0': [1e-6, 1.002e-3, 0.1] } });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatch(/^timestep_hidden_grad_norms\.0\[1\]: expected 0\.001, got 0\.001002/);
  });
});

describe('rule 3: zero_atol labels replace rules 1 and 2', () => {
  const zeroTol = { ...tol, zero_atol: { 'param_grads.0.bias': 5e-6, 'param_grad_norms.0.bias': 1e-5 } };
  const expected: ResultValues = { param_grads: { '0.bias': [0, 0, 0] }, param_grad_norms: { '0.bias': 0 } };

  it('accepts round-off up to the bound where the array rule would allow nothing', () => {
    const actual: ResultValues = { param_grads: { '0.bias': [1e-6, -4e-6, 0] }, param_grad_norms: { '0.bias': 4.2e-6 } };
    const r = compareWithExpected(zeroTol, expected, actual);
    expect(r.pass).toBe(true);
    expect(r.worstRatio).toBeCloseTo(0.8, 6);
    // Without the labels, M = 0 and the allowed difference is exactly 0.
    expect(compareWithExpected(tol, expected, actual).pass).toBe(false);
  });

  it('fails past the bound, naming the key and index', () => {
    const r = compareWithExpected(zeroTol, expected, { param_grads: { '0.bias': [0, 6e-6, 0] }, param_grad_norms: { '0.bias': 2e-5 } });
    expect(r.failures).toEqual([
      'param_grads.0.bias[1]: expected 0 (structural zero), got 0.000006, allowed 5.000e-6',
      'param_grad_norms.0.bias: expected 0 (structural zero), got 0.00002, allowed 1.000e-5',
    ]);
  });
});

describe('what is compared', () => {
  it('compares only keys present in expected', () => {
    const r = compareWithExpected(tol, { loss: 1 }, { loss: 1, output: [Number.NaN], param_grads: { x: [1] } });
    expect(r.pass).toBe(true);
  });

  it('fails when a key of expected is missing from the results', () => {
    const r = compareWithExpected(tol, { loss: 1, param_grads: { '0.weight': [1] } }, { loss: 1 });
    expect(r.failures).toEqual(['param_grads.0.weight: missing from the results']);
    expect(r.worstRatio).toBe(Number.POSITIVE_INFINITY);
  });

  it('fails on NaN', () => {
    const r = compareWithExpected(tol, { output: [1, 2] }, { output: [Number.NaN, 2] });
    expect(r.pass).toBe(false);
    expect(r.worstRatio).toBe(Number.POSITIVE_INFINITY);
  });

  it('lists a handful of failures per key and counts the rest', () => {
    const e = Array.from({ length: 20 }, (_, i) => i + 1);
    const r = compareWithExpected(tol, { output: e }, { output: e.map((v) => v + 1) });
    expect(r.failures).toHaveLength(9);
    expect(r.failures.at(-1)).toBe('output: 12 more elements out of tolerance (20 in all)');
  });
});

describe('the shipped reference cases', () => {
  const dir = '/work/shared/reference-cases';
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

  it.each(files)('%s: its expected values, rounded to fp32, pass their own tolerance', (file) => {
    const parsed = parseReferenceCase(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const expected = expectedResults(parsed.case);
    const rounded = JSON.parse(JSON.stringify(expected), (_k, v) => (typeof v === 'number' ? Math.fround(v) : v)) as ResultValues;
    const r = compareWithExpected(parsed.case.tolerance, expected, rounded);
    expect(r.failures).toEqual([]);
    expect(r.worstRatio).toBeLessThan(0.01);
  });

  it('p07 carries the running statistics of its three batchnorm layers', () => {
    const parsed = parseReferenceCase(JSON.parse(readFileSync(join(dir, files.find((f) => f.startsWith('p07'))!), 'utf8')));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(Object.keys(expectedResults(parsed.case).running_stats ?? {})).toEqual([
      'running_mean.1',
      'running_var.1',
      'running_mean.4',
      'running_var.4',
      'running_mean.7',
      'running_var.7',
    ]);
  });
});
