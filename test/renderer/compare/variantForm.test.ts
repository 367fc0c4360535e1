// The duplicate form's fields: empty keeps the run's value, a value equal to the
// run's own is no change, and a bad number is a message on its own field.
import { describe, expect, it } from 'vitest';

import { trainingSettingsSchema } from '../../../core/training/settings.ts';
import { changesFromFields, emptyFields } from '../../../renderer/src/views/compare/variantForm.ts';

const run = { settings: trainingSettingsSchema.parse({ optimizer: { type: 'sgd', lr: 0.1 }, batch_size: 64, steps: 2000, clip_norm: 5 }) };

describe('changesFromFields', () => {
  it('asks for nothing when every field is empty', () => {
    expect(changesFromFields(emptyFields(), run)).toEqual({ changes: [], errors: {} });
  });

  it('turns each filled field into its change, in form order', () => {
    const f = { activation: 'relu', init: 'he_normal', lr: '0.01', optimizer: 'adam', batch_size: '128', steps: '500', clip_norm: '0' };
    expect(changesFromFields(f, run).changes).toEqual([
      { kind: 'activation', to: 'relu' },
      { kind: 'init', to: 'he_normal' },
      { kind: 'lr', to: 0.01 },
      { kind: 'optimizer', to: 'adam' },
      { kind: 'batch_size', to: 128 },
      { kind: 'steps', to: 500 },
      { kind: 'clip_norm', to: null },
    ]);
  });

  it('skips values equal to the run\'s own', () => {
    const f = { ...emptyFields(), lr: '0.1', optimizer: 'sgd', batch_size: '64', clip_norm: '5' };
    expect(changesFromFields(f, run).changes).toEqual([]);
  });

  it('puts a message on each field that is not a valid value', () => {
    const f = { ...emptyFields(), lr: '-1', batch_size: '1.5', steps: 'many', clip_norm: '-2' };
    const { changes, errors } = changesFromFields(f, run);
    expect(changes).toEqual([]);
    expect(Object.keys(errors)).toEqual(['lr', 'batch_size', 'steps', 'clip_norm']);
  });
});
