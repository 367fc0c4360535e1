/**
 * The benchmark workloads W1-W4 of shared/bench/WORKLOADS.md as our network specs,
 * optimisers and fixed batches (same shapes and distributions as torch_bench.py).
 */
import { Rng } from '../core/datasets/rng.ts';
import type { NativeOptimizer, NativeTargets } from '../electron/engine/addon.ts';

export interface Workload {
  id: string;
  title: string;
  spec: unknown;
  optimizer: NativeOptimizer;
  rows: number;
  x: Float32Array;
  targets: NativeTargets;
  /** Forward multiply-adds per step (WORKLOADS.md), to print GFLOP/s beside steps/s. */
  forwardMacs: number;
}

interface Node {
  id: string;
  type: string;
  params?: Record<string, number | string | boolean>;
}

class SpecBuilder {
  nodes: Node[] = [];
  edges: { from: string; to: string }[] = [];
  private last = '';

  constructor(features: number) {
    this.nodes.push({ id: 'x', type: 'input', params: { features } });
    this.last = 'x';
  }

  /** Appends a node fed by `from` (default: the previous node) and returns its id. */
  add(id: string, type: string, params?: Node['params'], from = this.last): string {
    this.nodes.push({ id, type, ...(params ? { params } : {}) });
    this.edges.push({ from, to: id });
    this.last = id;
    return id;
  }

  join(id: string, a: string, b: string): string {
    this.nodes.push({ id, type: 'add' });
    this.edges.push({ from: a, to: id }, { from: b, to: id });
    this.last = id;
    return id;
  }

  build(): unknown {
    return { format: 'vglab-network/1', nodes: this.nodes, edges: this.edges, loss: { type: 'softmax_cross_entropy' } };
  }
}

function mlp(input: number, width: number, hidden: number, classes: number, act: string, init: string): unknown {
  const b = new SpecBuilder(input);
  for (let i = 0; i < hidden; i++) {
    b.add(`d${i}`, 'dense', { units: width, init });
    b.add(`a${i}`, act);
  }
  b.add('logits', 'dense', { units: classes, init });
  return b.build();
}

function residualBn(): unknown {
  const b = new SpecBuilder(64);
  let h = b.add('stem', 'dense', { units: 128, init: 'he_normal' });
  for (let i = 0; i < 16; i++) {
    b.add(`b${i}.d1`, 'dense', { units: 128, init: 'he_normal' }, h);
    b.add(`b${i}.bn1`, 'batchnorm');
    b.add(`b${i}.r1`, 'relu');
    b.add(`b${i}.d2`, 'dense', { units: 128, init: 'he_normal' });
    const n2 = b.add(`b${i}.bn2`, 'batchnorm');
    b.join(`b${i}.skip`, n2, h);
    h = b.add(`b${i}.out`, 'relu');
  }
  b.add('logits', 'dense', { units: 10, init: 'he_normal' });
  return b.build();
}

/** The adding problem as WORKLOADS.md draws it, batch-major (B, T, 2), targets (B, 1). */
function addingBatch(T: number, B: number): Pick<Workload, 'x' | 'targets'> {
  const rng = new Rng(0);
  const x = new Float32Array(B * T * 2);
  const y = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) x[(b * T + t) * 2] = rng.uniform();
    const first = Math.floor(rng.uniform() * Math.floor(T / 2));
    const second = Math.floor(T / 2) + Math.floor(rng.uniform() * (T - Math.floor(T / 2)));
    x[(b * T + first) * 2 + 1] = 1;
    x[(b * T + second) * 2 + 1] = 1;
    y[b] = x[(b * T + first) * 2] + x[(b * T + second) * 2];
  }
  return { x, targets: { targets: y } };
}

function recurrentSpec(type: 'lstm' | 'gru' | 'rnn', T: number, hidden: number): unknown {
  return {
    format: 'vglab-network/1',
    nodes: [
      { id: 'x', type: 'input', params: { features: 2, sequence_length: T } },
      { id: 'cell', type, params: { hidden_size: hidden } },
      { id: 'head', type: 'dense', params: { units: 1, init: 'pytorch_default' } },
    ],
    edges: [
      { from: 'x', to: 'cell' },
      { from: 'cell', to: 'head' },
    ],
    loss: { type: 'mse' },
  };
}

/** W5-W7: a recurrent layer and a dense head on the adding problem, batch 32. */
function addingWorkload(
  id: string,
  label: string,
  type: 'lstm' | 'gru' | 'rnn',
  T: number,
  hidden: number,
  optimizer: NativeOptimizer,
): Workload {
  const gates = { lstm: 4, gru: 3, rnn: 1 }[type];
  return {
    id,
    title: `${label}, adding problem (T ${T}, H ${hidden})`,
    spec: recurrentSpec(type, T, hidden),
    optimizer,
    rows: 32,
    ...addingBatch(T, 32),
    forwardMacs: T * 32 * (2 + hidden) * gates * hidden,
  };
}

function batch(rows: number, features: number, classes: number, dist: 'normal' | 'uniform'): Pick<Workload, 'x' | 'targets'> {
  const rng = new Rng(0);
  const x = new Float32Array(rows * features);
  for (let i = 0; i < x.length; i++) x[i] = dist === 'normal' ? rng.normal() : rng.uniform();
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) labels[i] = Math.floor(rng.uniform() * classes);
  return { x, targets: { labels } };
}

export function workloads(): Workload[] {
  return [
    {
      id: 'W1',
      title: 'tiny deep sigmoid (10 x 32)',
      spec: mlp(2, 32, 10, 2, 'sigmoid', 'xavier_uniform'),
      optimizer: { type: 'sgd', lr: 0.1 },
      rows: 64,
      ...batch(64, 2, 2, 'normal'),
      forwardMacs: 64 * (2 * 32 + 9 * 32 * 32 + 32 * 2),
    },
    {
      id: 'W2',
      title: 'mid deep ReLU (20 x 256)',
      spec: mlp(64, 256, 20, 10, 'relu', 'he_normal'),
      optimizer: { type: 'adam', lr: 1e-3 },
      rows: 128,
      ...batch(128, 64, 10, 'normal'),
      forwardMacs: 128 * (64 * 256 + 19 * 256 * 256 + 256 * 10),
    },
    {
      id: 'W3',
      title: 'wide tanh (4 x 1024)',
      spec: mlp(784, 1024, 4, 10, 'tanh', 'xavier_uniform'),
      optimizer: { type: 'sgd', lr: 0.01 },
      rows: 256,
      ...batch(256, 784, 10, 'uniform'),
      forwardMacs: 256 * (784 * 1024 + 3 * 1024 * 1024 + 1024 * 10),
    },
    {
      id: 'W4',
      title: 'residual + batch norm (16 blocks x 128)',
      spec: residualBn(),
      optimizer: { type: 'momentum', lr: 0.01, momentum: 0.9 },
      rows: 128,
      ...batch(128, 64, 10, 'normal'),
      forwardMacs: 128 * (64 * 128 + 32 * 128 * 128 + 128 * 10),
    },
    addingWorkload('W5', 'LSTM', 'lstm', 100, 128, { type: 'adam', lr: 1e-3 }),
    addingWorkload('W6', 'GRU', 'gru', 200, 64, { type: 'adam', lr: 1e-3 }),
    addingWorkload('W7', 'tanh RNN', 'rnn', 100, 128, { type: 'sgd', lr: 0.01 }),
  ];
}
