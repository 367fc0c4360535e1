import { describe, expect, it } from 'vitest';

import { trainingSettingsSchema, validateTrainingSettings } from '../../../core/training/settings.ts';

function messages(input: unknown): string[] {
  const result = validateTrainingSettings(input);
  return result.ok ? [] : result.errors.map((e) => e.message);
}

describe('training settings', () => {
  it('fills the documented defaults', () => {
    expect(trainingSettingsSchema.parse({ optimizer: { type: 'adam', lr: 0.001 } })).toEqual({
      optimizer: { type: 'adam', lr: 0.001, momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0 },
      batch_size: 32,
      steps: 1000,
      trace_every: 1,
      seed: 0,
      histogram: true,
      activation_stats: true,
      test_fraction: 0,
    });
  });

  it('keeps clip_norm optional and positive', () => {
    const ok = validateTrainingSettings({ optimizer: { type: 'sgd', lr: 0.1 }, clip_norm: 1 });
    expect(ok.ok && ok.settings.clip_norm).toBe(1);
    expect(messages({ optimizer: { type: 'sgd', lr: 0.1 }, clip_norm: 0 })).toEqual([
      'clip_norm must be a positive number (leave it out for no clipping)',
    ]);
  });

  it('names the field of every bad value', () => {
    const result = validateTrainingSettings({
      optimizer: { type: 'rmsprop', lr: -1, momentum: 1, beta2: 1.5, eps: 0, weight_decay: -0.1 },
      batch_size: 0,
      steps: 1.5,
      trace_every: 0,
      seed: -3,
      histogram: 'yes',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { field: 'optimizer.type', message: 'optimizer.type must be one of sgd, momentum, adam' },
      { field: 'optimizer.lr', message: 'optimizer.lr must be a positive number (the step size, e.g. 0.01)' },
      { field: 'optimizer.momentum', message: 'optimizer.momentum must be a number from 0 up to (not including) 1' },
      { field: 'optimizer.beta2', message: 'optimizer.beta2 must be a number from 0 up to (not including) 1' },
      { field: 'optimizer.eps', message: 'optimizer.eps must be a positive number' },
      { field: 'optimizer.weight_decay', message: 'optimizer.weight_decay must be a number, 0 or more' },
      { field: 'batch_size', message: 'batch_size must be an integer from 1 to 65,536' },
      { field: 'steps', message: 'steps must be an integer from 1 to 10,000,000' },
      { field: 'trace_every', message: 'trace_every must be an integer, 1 or more' },
      { field: 'seed', message: 'seed must be a whole number, 0 or more' },
      { field: 'histogram', message: 'histogram must be true or false' },
    ]);
  });

  it('says what is missing and what is unknown', () => {
    expect(messages({})).toEqual(['optimizer is missing; it must be an object such as {"type": "sgd", "lr": 0.1}']);
    expect(messages({ optimizer: { type: 'sgd' } })).toEqual([
      'optimizer.lr is missing; it must be a positive number (the step size, e.g. 0.01)',
    ]);
    expect(messages({ optimizer: { type: 'sgd', lr: 0.1, learning_rate: 1 }, epochs: 3 })).toEqual([
      'unknown field "learning_rate" in optimizer',
      'unknown field "epochs" in the training settings',
    ]);
    expect(messages(null)).toEqual(['the training settings must be an object']);
  });

  it('rejects non-finite numbers', () => {
    expect(messages({ optimizer: { type: 'sgd', lr: Number.POSITIVE_INFINITY } })).toEqual([
      'optimizer.lr must be a positive number (the step size, e.g. 0.01)',
    ]);
    expect(messages({ optimizer: { type: 'sgd', lr: Number.NaN } })).toHaveLength(1);
  });
});
