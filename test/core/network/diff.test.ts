// The Compare view's diff: only the settings fields that differ, and network
// changes matched by node id ("sigmoid3: type sigmoid → relu", "dense1.init: ...").
import { describe, expect, it } from 'vitest';

import {
  diffFields,
  diffNetworks,
  diffSettings,
  formatDiffValue,
  groupedNetworkDiffLines,
  isSameNetwork,
  networkDiffLines,
} from '../../../core/network/diff.ts';
import { networkSpecSchema, type NetworkSpec } from '../../../core/network/spec.ts';
import { trainingSettingsSchema, type TrainingSettings } from '../../../core/training/settings.ts';

function settings(patch: Record<string, unknown> = {}): TrainingSettings {
  return trainingSettingsSchema.parse({ optimizer: { type: 'sgd', lr: 0.1 }, batch_size: 64, ...patch });
}

/** input -> dense1 -> sigmoid1 -> dense2 -> sigmoid2 -> logits */
function mlp(edit: (spec: NetworkSpec) => NetworkSpec = (s) => s): NetworkSpec {
  return edit(
    networkSpecSchema.parse({
      format: 'vglab-network/1',
      nodes: [
        { id: 'x', type: 'input', params: { features: 2 } },
        { id: 'dense1', type: 'dense', params: { units: 8 } },
        { id: 'sigmoid1', type: 'sigmoid', params: {} },
        { id: 'dense2', type: 'dense', params: { units: 8 } },
        { id: 'sigmoid2', type: 'sigmoid', params: {} },
        { id: 'logits', type: 'dense', params: { units: 2 } },
      ],
      edges: [
        { from: 'x', to: 'dense1' },
        { from: 'dense1', to: 'sigmoid1' },
        { from: 'sigmoid1', to: 'dense2' },
        { from: 'dense2', to: 'sigmoid2' },
        { from: 'sigmoid2', to: 'logits' },
      ],
      loss: { type: 'softmax_cross_entropy' },
    }),
  );
}

describe('diffSettings', () => {
  it('lists nothing for equal settings', () => {
    expect(diffSettings(settings(), settings())).toEqual([]);
  });

  it('lists only the fields that differ, with dotted paths, in settings order', () => {
    const a = settings();
    const b = settings({ optimizer: { type: 'adam', lr: 0.01 }, batch_size: 128 });
    expect(diffSettings(a, b)).toEqual([
      { field: 'optimizer.type', before: 'sgd', after: 'adam' },
      { field: 'optimizer.lr', before: 0.1, after: 0.01 },
      { field: 'batch_size', before: 64, after: 128 },
    ]);
  });

  it('shows a field present on one side only as absent on the other (clipping turned on)', () => {
    const d = diffSettings(settings(), settings({ clip_norm: 1 }));
    expect(d).toEqual([{ field: 'clip_norm', before: undefined, after: 1 }]);
    expect(formatDiffValue(d[0].before)).toBe('–');
  });

  it('diffs any plain object the same way (the data set)', () => {
    expect(diffFields({ name: 'spiral', options: { n: 400 } }, { name: 'spiral', options: { n: 800 } })).toEqual([
      { field: 'options.n', before: 400, after: 800 },
    ]);
  });
});

describe('diffNetworks', () => {
  it('finds no difference between a network and itself', () => {
    const d = diffNetworks(mlp(), mlp());
    expect(isSameNetwork(d)).toBe(true);
    expect(networkDiffLines(d)).toEqual([]);
  });

  it('names a changed type and a changed param by node id', () => {
    const b = mlp((s) => ({
      ...s,
      nodes: s.nodes.map((n) => {
        if (n.id === 'sigmoid2') return { id: 'sigmoid2', type: 'relu', params: {} };
        if (n.type === 'dense' && n.id === 'dense1') return { ...n, params: { ...n.params, init: 'he_normal' } };
        return n;
      }),
    }));
    const d = diffNetworks(mlp(), b);
    expect(d.changed).toEqual([
      { id: 'dense1', field: 'init', before: 'xavier_uniform', after: 'he_normal' },
      { id: 'sigmoid2', field: 'type', before: 'sigmoid', after: 'relu' },
    ]);
    expect(networkDiffLines(d)).toEqual(['dense1.init: xavier_uniform → he_normal', 'sigmoid2: type sigmoid → relu']);
  });

  it('lists the params a new type brings (leaky ReLU slope) after the type', () => {
    const b = mlp((s) => ({
      ...s,
      nodes: s.nodes.map((n) => (n.id === 'sigmoid1' ? { id: 'sigmoid1', type: 'leaky_relu', params: { slope: 0.01 } } : n)),
    }));
    expect(networkDiffLines(diffNetworks(mlp(), b))).toEqual(['sigmoid1: type sigmoid → leaky_relu', 'sigmoid1.slope: – → 0.01']);
  });

  it('reports added and removed nodes and rewired edges (a skip connection)', () => {
    const b = mlp((s) => ({
      ...s,
      nodes: [...s.nodes, { id: 'add1', type: 'add', params: {} }],
      edges: [
        ...s.edges.filter((e) => e.to !== 'logits'),
        { from: 'sigmoid2', to: 'add1' },
        { from: 'sigmoid1', to: 'add1' },
        { from: 'add1', to: 'logits' },
      ],
    }));
    const d = diffNetworks(mlp(), b);
    expect(d.added).toEqual([{ id: 'add1', type: 'add' }]);
    expect(d.removed).toEqual([]);
    expect(d.edgesRemoved).toEqual([{ from: 'sigmoid2', to: 'logits' }]);
    expect(d.edgesAdded).toHaveLength(3);
    expect(networkDiffLines(diffNetworks(b, mlp()))).toContain('removed add1 (add)');
    expect(networkDiffLines(d)).toContain('edge sigmoid2 → logits removed');
  });

  it('tells explicit weights from drawn ones without printing them', () => {
    const b = mlp((s) => ({
      ...s,
      nodes: s.nodes.map((n) => (n.id === 'logits' && n.type === 'dense' ? { ...n, weights: { bias: [0, 0] } } : n)),
    }));
    expect(networkDiffLines(diffNetworks(mlp(), b))).toEqual(['logits.weights.bias: drawn from init → 2 given values']);
    const c = mlp((s) => ({
      ...s,
      nodes: s.nodes.map((n) => (n.id === 'logits' && n.type === 'dense' ? { ...n, weights: { bias: [0, 1] } } : n)),
    }));
    expect(networkDiffLines(diffNetworks(b, c))).toEqual(['logits.weights.bias: 2 given values → 2 other given values']);
    expect(isSameNetwork(diffNetworks(b, structuredClone(b)))).toBe(true);
  });

  it('reports a changed loss', () => {
    const b = mlp((s) => ({ ...s, loss: { type: 'mse' } }));
    expect(networkDiffLines(diffNetworks(mlp(), b))).toEqual(['loss: softmax_cross_entropy → mse']);
  });
});

describe('groupedNetworkDiffLines', () => {
  it('says the same change to many nodes in one line, and keeps single changes as they are', () => {
    const b = mlp((s) => ({
      ...s,
      nodes: [
        ...s.nodes.map((n): NetworkSpec['nodes'][number] => {
          if (n.type === 'sigmoid') return { id: n.id, type: 'relu', params: {} };
          if (n.type !== 'dense') return n;
          return { ...n, params: { ...n.params, init: n.id === 'logits' ? 'lecun_normal' : 'he_normal' } };
        }),
        { id: 'extra', type: 'relu', params: {} },
      ],
      edges: [...s.edges, { from: 'logits', to: 'extra' }],
    }));
    expect(groupedNetworkDiffLines(diffNetworks(mlp(), b))).toEqual([
      'added extra (relu)',
      'init xavier_uniform → he_normal: dense1, dense2',
      'type sigmoid → relu: sigmoid1, sigmoid2',
      'logits.init: xavier_uniform → lecun_normal',
      'edge logits → extra added',
    ]);
  });

  it('shortens long id lists', () => {
    const a = mlp();
    const many = { ...a, nodes: [...a.nodes, ...['s3', 's4', 's5'].map((id) => ({ id, type: 'sigmoid' as const, params: {} }))] };
    const relu = { ...many, nodes: many.nodes.map((n) => (n.type === 'sigmoid' ? { id: n.id, type: 'relu' as const, params: {} } : n)) };
    expect(groupedNetworkDiffLines(diffNetworks(many, relu))).toEqual(['type sigmoid → relu: sigmoid1, sigmoid2 … s5 (5 nodes)']);
  });
});
