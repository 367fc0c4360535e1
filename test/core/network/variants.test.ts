// "Duplicate with one change": each transform changes exactly what it says, keeps
// node ids (so the copy lines up with the original), and yields a network and
// settings the lab's own validators accept.
import { describe, expect, it } from 'vitest';

import { diffNetworks, diffSettings, networkDiffLines } from '../../../core/network/diff.ts';
import { networkSpecSchema, type NetworkSpec } from '../../../core/network/spec.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import {
  HIDDEN_ACTIVATIONS,
  MAX_LABEL_LENGTH,
  applyChanges,
  hiddenActivationIds,
  makeVariant,
  variantLabel,
  withDenseInit,
  withHiddenActivation,
  type RunChange,
} from '../../../core/network/variants.ts';
import { trainingSettingsSchema, validateTrainingSettings, type TrainingSettings } from '../../../core/training/settings.ts';

/** x -> dense1 -> sigmoid1 -> dense2 -> tanh2 -> out (dense) -> sigmoid_out (the output keeps its function). */
function net(): NetworkSpec {
  return networkSpecSchema.parse({
    format: 'vglab-network/1',
    nodes: [
      { id: 'x', type: 'input', params: { features: 2 } },
      { id: 'dense1', type: 'dense', params: { units: 4 }, weights: { bias: [0, 0, 0, 0] } },
      { id: 'sigmoid1', type: 'sigmoid', params: {} },
      { id: 'dense2', type: 'dense', params: { units: 4 } },
      { id: 'tanh2', type: 'tanh', params: {} },
      { id: 'out', type: 'dense', params: { units: 1 } },
      { id: 'sigmoid_out', type: 'sigmoid', params: {} },
    ],
    edges: [
      { from: 'x', to: 'dense1' },
      { from: 'dense1', to: 'sigmoid1' },
      { from: 'sigmoid1', to: 'dense2' },
      { from: 'dense2', to: 'tanh2' },
      { from: 'tanh2', to: 'out' },
      { from: 'out', to: 'sigmoid_out' },
    ],
    loss: { type: 'mse' },
  });
}

const settings: TrainingSettings = trainingSettingsSchema.parse({ optimizer: { type: 'sgd', lr: 0.1 }, clip_norm: 5 });

describe('hidden activations', () => {
  it('are the activation nodes other than the output, in plan order', () => {
    expect(hiddenActivationIds(net())).toEqual(['sigmoid1', 'tanh2']);
  });

  it.each(HIDDEN_ACTIVATIONS)('all become %s, ids kept, the output untouched, and the spec validates', (kind) => {
    const spec = withHiddenActivation(net(), kind);
    expect(validateNetwork(spec).ok).toBe(true);
    const types = Object.fromEntries(spec.nodes.map((n) => [n.id, n.type]));
    expect(types).toMatchObject({ sigmoid1: kind, tanh2: kind, sigmoid_out: 'sigmoid' });
    expect(spec.nodes.map((n) => n.id)).toEqual(net().nodes.map((n) => n.id));
  });

  it('gives leaky ReLU its default slope and leaves the input spec alone', () => {
    const before = net();
    const spec = withHiddenActivation(before, 'leaky_relu');
    expect(spec.nodes.find((n) => n.id === 'sigmoid1')).toEqual({ id: 'sigmoid1', type: 'leaky_relu', params: { slope: 0.01 } });
    expect(before).toEqual(net());
  });

  it('returns the same spec when nothing changes', () => {
    const relu = withHiddenActivation(net(), 'relu');
    expect(withHiddenActivation(relu, 'relu')).toBe(relu);
  });
});

describe('withDenseInit', () => {
  it('sets every dense layer\'s scheme, keeps init_scale, and drops explicit weights so the scheme draws them', () => {
    const spec = withDenseInit(net(), 'he_normal');
    expect(validateNetwork(spec).ok).toBe(true);
    const dense = spec.nodes.filter((n) => n.type === 'dense');
    expect(dense.map((n) => n.params)).toEqual([
      { units: 4, bias: true, init: 'he_normal', init_scale: 1 },
      { units: 4, bias: true, init: 'he_normal', init_scale: 1 },
      { units: 1, bias: true, init: 'he_normal', init_scale: 1 },
    ]);
    expect(dense.every((n) => n.weights === undefined)).toBe(true);
    expect(networkDiffLines(diffNetworks(net(), spec))).toContain('dense2.init: xavier_uniform → he_normal');
  });
});

describe('settings changes', () => {
  const cases: [RunChange, string, unknown][] = [
    [{ kind: 'lr', to: 0.01 }, 'optimizer.lr', 0.01],
    [{ kind: 'optimizer', to: 'adam' }, 'optimizer.type', 'adam'],
    [{ kind: 'batch_size', to: 128 }, 'batch_size', 128],
    [{ kind: 'steps', to: 500 }, 'steps', 500],
    [{ kind: 'clip_norm', to: 1 }, 'clip_norm', 1],
    [{ kind: 'clip_norm', to: null }, 'clip_norm', undefined],
  ];
  it.each(cases)('%o changes only %s', (change, field, value) => {
    const out = applyChanges({ network: net(), settings }, [change]);
    expect(diffSettings(settings, out.settings)).toEqual([{ field, before: expect.anything(), after: value }]);
    expect(validateTrainingSettings(out.settings).ok).toBe(true);
    expect(out.network).toEqual(net());
  });
});

describe('makeVariant', () => {
  it('labels the copy after its changes and validates network and settings', () => {
    const v = makeVariant({ label: 'Run 1', network: net(), settings }, [
      { kind: 'activation', to: 'relu' },
      { kind: 'init', to: 'he_normal' },
    ]);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.label).toBe('Run 1 (relu, he_normal init)');
    expect(validateNetwork(v.recipe.network).ok).toBe(true);
    expect(variantLabel('Run 1', [{ kind: 'lr', to: 0.01 }])).toBe('Run 1 (lr 0.01)');
  });

  it('refuses no change at all, and settings the lab would reject, with readable messages', () => {
    expect(makeVariant({ label: 'a', network: net(), settings }, [])).toEqual({ ok: false, errors: ['Choose at least one thing to change.'] });
    const bad = makeVariant({ label: 'a', network: net(), settings }, [{ kind: 'lr', to: -1 }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toContain('optimizer.lr');
  });

  it('keeps labels within what runs.create accepts', () => {
    const label = variantLabel('x'.repeat(300), [{ kind: 'steps', to: 10 }]);
    expect(label.length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
    expect(label.endsWith(' (10 steps)')).toBe(true);
  });
});
