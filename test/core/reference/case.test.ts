import { describe, expect, it } from 'vitest';

import { expectedResults, flattenNumbers, forEachLayer, parseReferenceCase, shapeOf } from '../../../core/reference/case.ts';

const minimal = {
  format: 'vglab-reference-case/1',
  name: 'tiny',
  description: 'one dense layer',
  tolerance: { rtol: 1e-3, atol_rel_to_max: 1e-4, zero_atol: {} },
  layers: [{ type: 'dense', in: 2, out: 1, weight: [[0.5, -0.5]], bias: [0] }],
  loss: { type: 'mse', reduction: 'mean' },
  input: [[1, 2]],
  target: [[0]],
  expected: { loss: 0.25 },
};

describe('parseReferenceCase', () => {
  it('accepts a minimal case and ignores keys it does not know', () => {
    const parsed = parseReferenceCase({
      ...minimal,
      future_key: 1,
      layers: [{ ...minimal.layers[0], init: 'something new' }],
      expected: { ...minimal.expected, new_metric: [1, 2] },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.case.layers[0]).not.toHaveProperty('init');
    expect(parsed.case.expected).toEqual({ loss: 0.25 });
  });

  it('fills layer defaults (leaky_relu slope, elu alpha, batchnorm eps and momentum)', () => {
    const parsed = parseReferenceCase({
      ...minimal,
      layers: [{ type: 'leaky_relu' }, { type: 'elu' }, { type: 'batchnorm', features: 1, gamma: [1], beta: [0] }],
    });
    expect(parsed.ok && parsed.case.layers).toEqual([
      { type: 'leaky_relu', slope: 0.01 },
      { type: 'elu', alpha: 1 },
      { type: 'batchnorm', features: 1, eps: 1e-5, momentum: 0.1, gamma: [1], beta: [0] },
    ]);
  });

  it('reads nested residual bodies', () => {
    const parsed = parseReferenceCase({
      ...minimal,
      layers: [{ type: 'residual', body: [{ type: 'relu' }, { type: 'residual', body: [{ type: 'tanh' }] }] }],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const paths: string[] = [];
    forEachLayer(parsed.case.layers, (layer, path) => paths.push(`${path}:${layer.type}`));
    expect(paths).toEqual(['0:residual', '0.body.0:relu', '0.body.1:residual', '0.body.1.body.0:tanh']);
  });

  it('rejects a wrong format, an unknown layer type and a bad tolerance, with paths', () => {
    const parsed = parseReferenceCase({
      ...minimal,
      format: 'other/1',
      layers: [{ type: 'conv' }],
      tolerance: { rtol: -1, atol_rel_to_max: 1e-4 },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.split(':')[0])).toEqual(['format', 'tolerance.rtol', 'layers.0.type']);
  });

  it('collects the running statistics of nested batchnorm layers', () => {
    const parsed = parseReferenceCase({
      ...minimal,
      layers: [
        {
          type: 'residual',
          body: [{ type: 'batchnorm', features: 1, gamma: [1], beta: [0], expected_running_mean: [0.1], expected_running_var: [0.9] }],
        },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    expect(expectedResults(parsed.case).running_stats).toEqual({
      'running_mean.0.body.0': [0.1],
      'running_var.0.body.0': [0.9],
    });
  });
});

describe('nested array helpers', () => {
  it('shapeOf gives dimensions, or null for ragged arrays', () => {
    expect(shapeOf([[1, 2, 3], [4, 5, 6]])).toEqual([2, 3]);
    expect(shapeOf([1])).toEqual([1]);
    expect(shapeOf(3)).toEqual([]);
    expect(shapeOf([[1, 2], [3]])).toBeNull();
  });

  it('flattenNumbers is row-major', () => {
    expect(flattenNumbers([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(flattenNumbers(Float32Array.of(1, 2))).toEqual([1, 2]);
  });
});
