// export.pytorch end to end: networks trained by LabService in real engine host
// processes, exported, and (where python3-torch is installed) run in PyTorch on a
// batch of their own data set. The module's outputs must match runs.predict's, and
// its loss_fn the engine's loss on the same batch, to 1e-4 relative. Without torch
// the files are checked for syntax only, and the test says so.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { LabError, type LabEvents, type RunState, type RunSummary } from '../../../core/api/labApi.ts';
import { makeDataset } from '../../../core/datasets/catalog.ts';
import type { Dataset } from '../../../core/datasets/dataset.ts';
import type { LossType, NetworkSpecInput } from '../../../core/network/spec.ts';
import { LabService } from '../../../electron/service/labService.ts';
import { TORCH_MISSING_NOTE, TORCH_PYTHON, maxRelativeError, pythonSyntaxError, runInTorch } from '../../core/export/python.ts';

let dir: string;
let service: LabService;

beforeAll(() => {
  if (!TORCH_PYTHON) console.warn(TORCH_MISSING_NOTE);
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-pytorch-export-'));
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0 });
});

afterEach(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function waitForState(runId: string, states: RunState[], timeoutMs = 60_000): Promise<LabEvents['run.updated']> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`run ${runId} reached none of ${states.join(', ')} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = service.subscribe((event, payload) => {
      const r = payload as RunSummary;
      if (event === 'run.updated' && r.id === runId && states.includes(r.state)) {
        clearTimeout(timer);
        off();
        resolve(r);
      }
    });
  });
}

// ---- the networks ------------------------------------------------------------------------------

type Node = NetworkSpecInput['nodes'][number];

/** A chain of nodes, each fed by the one before (ids given), plus extra edges. */
function chain(nodes: Node[], loss: LossType, extra: { from: string; to: string }[] = []): NetworkSpecInput {
  const edges = nodes.slice(1).map((n, i) => ({ from: nodes[i].id, to: n.id }));
  return { format: 'vglab-network/1', nodes, edges: [...edges, ...extra], loss: { type: loss } };
}

const dense = (id: string, units: number): Node => ({ id, type: 'dense', params: { units } });

interface Case {
  name: string;
  network: NetworkSpecInput;
  dataset: { name: string; options: Record<string, unknown> };
}

const CASES: Case[] = [
  {
    name: 'a deep sigmoid MLP (softmax cross-entropy, spiral)',
    dataset: { name: 'spiral', options: { n: 300, classes: 3, seed: 2 } },
    network: chain(
      [
        { id: 'in', type: 'input', params: { features: 2 } },
        ...[1, 2, 3, 4, 5].flatMap((k): Node[] => [dense(`d${k}`, 12), { id: `s${k}`, type: 'sigmoid' }]),
        dense('logits', 3),
      ],
      'softmax_cross_entropy',
    ),
  },
  {
    name: 'a ReLU + batch norm MLP, in eval mode with its running statistics (circles)',
    dataset: { name: 'circles', options: { n: 300, seed: 3 } },
    network: chain(
      [
        { id: 'in', type: 'input', params: { features: 2 } },
        dense('d1', 16),
        { id: 'bn1', type: 'batchnorm', params: { momentum: 0.2, eps: 1e-3 } },
        { id: 'r1', type: 'relu' },
        dense('d2', 16),
        { id: 'bn2', type: 'batchnorm' },
        { id: 'r2', type: 'relu' },
        dense('logits', 2),
      ],
      'softmax_cross_entropy',
    ),
  },
  {
    name: 'a residual MLP with add joins, layer norm, dropout, gelu and softplus (bce with logits, moons)',
    dataset: { name: 'moons', options: { n: 300, seed: 5 } },
    network: chain(
      [
        { id: 'in', type: 'input', params: { features: 2 } },
        dense('stem', 8),
        { id: 'stem.act', type: 'tanh' },
        dense('b1.d1', 8),
        { id: 'b1.act', type: 'gelu' },
        dense('b1.d2', 8),
        { id: 'b1.add', type: 'add' },
        { id: 'b2.norm', type: 'layernorm' },
        dense('b2.d1', 8),
        { id: 'b2.act', type: 'softplus' },
        { id: 'b2.drop', type: 'dropout', params: { p: 0.2 } },
        dense('b2.d2', 8),
        { id: 'b2.add', type: 'add' },
        { id: 'head.act', type: 'elu' },
        dense('logit', 1),
      ],
      'bce_with_logits',
      [
        { from: 'stem.act', to: 'b1.add' },
        { from: 'b1.add', to: 'b2.add' },
      ],
    ),
  },
  {
    name: 'an LSTM over a sequence returning its last state (delayed recall)',
    dataset: { name: 'delayed_recall', options: { n: 200, length: 8, seed: 7 } },
    network: chain(
      [
        { id: 'in', type: 'input', params: { features: 5, sequence_length: 8 } },
        { id: 'lstm', type: 'lstm', params: { hidden_size: 10, forget_bias: 1 } },
        dense('logits', 4),
      ],
      'softmax_cross_entropy',
    ),
  },
  {
    name: 'a GRU after per-timestep dense, batch norm and layer norm and an rnn returning the sequence (mse, adding)',
    dataset: { name: 'adding', options: { n: 200, length: 10, seed: 9 } },
    network: chain(
      [
        { id: 'in', type: 'input', params: { features: 2, sequence_length: 10 } },
        dense('embed', 6),
        { id: 'embed.bn', type: 'batchnorm' },
        { id: 'embed.act', type: 'tanh' },
        { id: 'rnn', type: 'rnn', params: { hidden_size: 6, return: 'sequence' } },
        { id: 'rnn.norm', type: 'layernorm' },
        { id: 'gru', type: 'gru', params: { hidden_size: 8 } },
        dense('out', 1),
      ],
      'mse',
    ),
  },
];

// ---- the engine's loss, from its outputs ---------------------------------------------------------

/** The lab's loss (mean reduction) of outputs z (rows, width) against the data set's targets, in double. */
function engineLoss(loss: LossType, z: Float32Array, width: number, ds: Dataset, rows: number): number {
  let total = 0;
  if (loss === 'softmax_cross_entropy') {
    for (let r = 0; r < rows; r++) {
      const row = z.subarray(r * width, r * width + width);
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      total += lse - row[ds.y[r]];
    }
    return total / rows;
  }
  for (let i = 0; i < rows * width; i++) {
    const t = ds.y[i];
    const v = z[i];
    total += loss === 'mse' ? (v - t) ** 2 : Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
  }
  return total / (rows * width);
}

/** The largest difference between two rows' outputs, over every output column. */
function rowSpread(z: Float32Array, width: number, rows: number): number {
  let spread = 0;
  for (let j = 0; j < width; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < rows; r++) {
      lo = Math.min(lo, z[r * width + j]);
      hi = Math.max(hi, z[r * width + j]);
    }
    spread = Math.max(spread, hi - lo);
  }
  return spread;
}

function maxAbsError(a: Float32Array, e: Float32Array): number {
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - e[i])), 0);
}

const ROWS = 64;

const CASE_TITLE = TORCH_PYTHON
  ? 'exports $name: valid Python, and in PyTorch the same outputs and loss'
  : `exports $name as valid Python (the PyTorch comparison is skipped: ${TORCH_MISSING_NOTE})`;

describe('export.pytorch', () => {
  it.each(CASES)(CASE_TITLE, async (c) => {
    const state = await service.dispatch('project.get', {});
    const run = await service.dispatch('runs.create', {
      network: c.network,
      dataset: c.dataset,
      settings: { ...state.project.settings, optimizer: { type: 'adam', lr: 0.01 }, steps: 40, batch_size: 32, trace_every: 10 },
    });
    const done = waitForState(run.id, ['completed']);
    await service.dispatch('runs.start', { runId: run.id });
    await done;

    const path = join(dir, 'network.py');
    const result = await service.dispatch('export.pytorch', { runId: run.id, path });
    expect(result.files).toEqual([path]);
    expect(pythonSyntaxError(path)).toBe('');
    const source = readFileSync(path, 'utf8');
    expect(source).toContain('class VglabNet(nn.Module):');
    expect(source).toContain(': Run 1');
    expect(source).toContain(`# Trained on the built-in "${c.dataset.name}" data set`);

    if (!TORCH_PYTHON) {
      console.warn(`${c.name}: ${TORCH_MISSING_NOTE}`);
      return;
    }
    const loss = c.network.loss.type;
    const ds = makeDataset(c.dataset.name, c.dataset.options);
    const width = ds.features * (ds.steps ?? 1);
    const x = ds.x.slice(0, ROWS * width);
    const predicted = await service.dispatch('runs.predict', { runId: run.id, x, rows: ROWS });
    // Class indices for cross-entropy; bce and mse read the targets as float values.
    const target = loss === 'softmax_cross_entropy' ? Int32Array.from(ds.y.subarray(0, ROWS)) : Float32Array.from(ds.y.subarray(0, ROWS));
    const xShape = ds.steps !== undefined ? [ROWS, ds.steps, ds.features] : [ROWS, ds.features];
    const torch = runInTorch(path, dir, x, xShape, 'eval', target);

    expect(torch.shape).toEqual([ROWS, predicted.outputs]);
    const outputError = maxRelativeError(torch.output, predicted.output, 1e-2);
    const ours = engineLoss(loss, predicted.output, predicted.outputs, ds, ROWS);
    const lossError = Math.abs(torch.loss! - ours) / Math.abs(ours);
    // Outputs that hardly differ between rows (a deep sigmoid net's) would match whatever the early
    // layers did: the differences must also be small next to how far the rows' outputs spread.
    const spread = rowSpread(predicted.output, predicted.outputs, ROWS);
    const errorToSpread = maxAbsError(torch.output, predicted.output) / spread;
    console.log(
      `${c.name}: outputs within ${outputError.toExponential(1)} relative and ${errorToSpread.toExponential(1)} ` +
        `of their spread over the rows (${spread.toExponential(1)}), ` +
        `loss ${ours.toFixed(6)} (engine) vs ${torch.loss!.toFixed(6)} (PyTorch), ${lossError.toExponential(1)} apart`,
    );
    expect(outputError).toBeLessThan(1e-4);
    expect(lossError).toBeLessThan(1e-4);
    expect(errorToSpread).toBeLessThan(1e-3);
  });

  it('refuses a run that has no weights yet, and one that is training, with a conflict', async () => {
    const state = await service.dispatch('project.get', {});
    const fresh = await service.dispatch('runs.create', { settings: { ...state.project.settings, steps: 1_000_000 } });
    const path = join(dir, 'never.py');
    const refusal = (e: unknown) => e instanceof LabError && e.code === 'conflict';
    await expect(service.dispatch('export.pytorch', { runId: fresh.id, path })).rejects.toSatisfy(refusal);
    await expect(service.dispatch('export.pytorch', { runId: fresh.id, path })).rejects.toThrow(/has not trained yet/);

    await service.dispatch('runs.start', { runId: fresh.id });
    await expect(service.dispatch('export.pytorch', { runId: fresh.id, path })).rejects.toThrow(/is training/);
    await service.dispatch('runs.stop', { runId: fresh.id });
    await expect(service.dispatch('export.pytorch', { runId: 'nope', path })).rejects.toSatisfy(
      (e: unknown) => e instanceof LabError && e.code === 'not-found',
    );
    await expect(service.dispatch('export.pytorch', { runId: fresh.id, path: join(dir, 'missing', 'x.py') })).rejects.toSatisfy(
      (e: unknown) => e instanceof LabError && e.code === 'io',
    );
  });
});
