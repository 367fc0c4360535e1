/**
 * Writes the example projects in examples/ (run: npx tsx scripts/make-examples.ts).
 * Kept as code so the examples always follow the current schema; the .vglab files
 * are committed so the app and the CLI can open them without running this.
 */
import { join, resolve } from 'node:path';

import { saveProject } from '../electron/project/projectFile.ts';
import type { ProjectInput } from '../core/project/schema.ts';

const root = resolve(import.meta.dirname, '..', 'examples');
const now = '2026-11-29T00:00:00.000Z';

function mlp(act: string, init: string, depth: number, width: number) {
  const nodes: { id: string; type: string; params?: Record<string, unknown> }[] = [
    { id: 'x', type: 'input', params: { features: 2 } },
  ];
  const edges: { from: string; to: string }[] = [];
  let prev = 'x';
  for (let i = 1; i <= depth; i++) {
    nodes.push({ id: `dense${i}`, type: 'dense', params: { units: width, init } }, { id: `${act}${i}`, type: act });
    edges.push({ from: prev, to: `dense${i}` }, { from: `dense${i}`, to: `${act}${i}` });
    prev = `${act}${i}`;
  }
  nodes.push({ id: 'logits', type: 'dense', params: { units: 2, init } });
  edges.push({ from: prev, to: 'logits' });
  return { format: 'vglab-network/1', nodes, edges, loss: { type: 'softmax_cross_entropy' } };
}

function project(name: string, description: string, network: unknown, dataset: unknown, settings: unknown): ProjectInput {
  return { format: 'vglab-project/1', name, description, createdAt: now, savedAt: now, network, dataset, settings, runs: [] } as ProjectInput;
}

const spiral = { name: 'spiral', options: { n: 400, noise: 0.05, seed: 1 } };
const sgd = { optimizer: { type: 'sgd', lr: 0.1 }, steps: 2000, batch_size: 64, trace_every: 10, seed: 0 };

saveProject(
  join(root, 'deep-sigmoid-mlp.vglab'),
  project(
    'Deep sigmoid MLP (vanishing gradients)',
    'Ten sigmoid layers on the spiral. Each sigmoid passes back at most a quarter of the gradient it receives, ' +
      'so the first layers hear almost nothing and barely learn.',
    mlp('sigmoid', 'xavier_uniform', 10, 32), spiral, sgd),
);
saveProject(
  join(root, 'deep-relu-he.vglab'),
  project(
    'The same MLP with ReLU and He initialisation',
    'The same ten layers with ReLU, whose slope is 1 wherever it is active, and weights scaled for it: ' +
      'the gradient reaches the first layer at about the size it left the last.',
    mlp('relu', 'he_normal', 10, 32), spiral, sgd),
);
const recurrent = (type: 'lstm' | 'rnn', params: Record<string, unknown>) => ({
  format: 'vglab-network/1',
  nodes: [
    { id: 'x', type: 'input', params: { features: 2, sequence_length: 50 } },
    { id: type, type, params: { hidden_size: 32, ...params } },
    { id: 'sum', type: 'dense', params: { units: 1 } },
  ],
  edges: [
    { from: 'x', to: type },
    { from: type, to: 'sum' },
  ],
  loss: { type: 'mse' },
});
const adding = { name: 'adding', options: { n: 1000, length: 50, seed: 1 } };
const adam = { optimizer: { type: 'adam', lr: 0.01 }, steps: 1500, batch_size: 32, trace_every: 10, seed: 0, clip_norm: 1 };
saveProject(join(root, 'lstm-adding.vglab'), project(
    'LSTM on the adding problem (T = 50)',
    'Add the two marked numbers of a 50-step sequence. The LSTM cell carries the gradient back through time ' +
      'along its additive cell state, so the early marker can still be learned.',
    recurrent('lstm', { forget_bias: 1 }), adding, adam));
saveProject(join(root, 'rnn-adding.vglab'), project(
    'Plain tanh RNN on the adding problem (T = 50)',
    'The same task for a plain tanh RNN: the gradient is multiplied by the recurrent Jacobian at every step ' +
      'and fades long before it reaches the first marker.',
    recurrent('rnn', {}), adding, adam));
