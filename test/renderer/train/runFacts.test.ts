// What the Train view reads off a run to decide what to show: input nodes left
// out of per-layer charts, the "Through time" tab, and whether a decision boundary
// can exist; and which chart groups a run offers.
import { describe, expect, it } from 'vitest';

import type { DatasetSummary } from '../../../core/api/labApi.ts';
import { availableGroups, CHART_GROUPS } from '../../../renderer/src/views/train/chartGroups.ts';
import { boundaryRefusal, histogramBytes, inputNodeIds, isRecurrentRun } from '../../../renderer/src/views/train/runFacts.ts';
import { summary } from '../stores/fakeLab.ts';

const net = (nodes: { id: string; type: string }[], loss = 'softmax_cross_entropy') =>
  ({ format: 'vglab-network/1', nodes, edges: [], loss: { type: loss } }) as never;

const sets: DatasetSummary[] = [
  { name: 'spiral', label: 'Spiral', description: '', task: 'classification', features: 2, sequence: false, defaults: {} },
  { name: 'sine', label: 'Sine', description: '', task: 'regression', features: 1, sequence: false, defaults: {} },
  { name: 'adding', label: 'Adding', description: '', task: 'regression', features: 2, sequence: true, defaults: {} },
];

describe('run facts', () => {
  it('finds the input nodes', () => {
    expect(inputNodeIds(net([{ id: 'x', type: 'input' }, { id: 'd', type: 'dense' }]))).toEqual(['x']);
  });

  it('calls a run recurrent from its trace layout, or from its network before it has one', () => {
    expect(isRecurrentRun(summary('r1'))).toBe(false);
    const withLayout = summary('r2', {
      layout: { nodeIds: ['l'], paramNames: [], recurrent: [{ nodeId: 'l', type: 'lstm', time: 5, gates: [] }], parameterCount: 1 },
    });
    expect(isRecurrentRun(withLayout)).toBe(true);
    expect(isRecurrentRun({ network: net([{ id: 'g', type: 'gru' }]) })).toBe(true);
    expect(isRecurrentRun(null)).toBe(false);
  });

  it('draws a decision boundary only for a classifier on plain 2-feature rows', () => {
    const run = (name: string, loss?: string) => ({ network: net([], loss), dataset: { name, options: {} } }) as never;
    expect(boundaryRefusal(run('spiral'), sets)).toBeNull();
    expect(boundaryRefusal(run('spiral', 'mse'), sets)).toMatch(/regression \(mse loss\)/);
    expect(boundaryRefusal(run('sine'), sets)).toMatch(/regression data set/);
    expect(boundaryRefusal(run('adding'), sets)).toMatch(/regression data set/);
    expect(boundaryRefusal(run('unknown'), sets)).toBeNull(); // the lab will say
  });

  it('sizes a fetch of the histograms from the traced rows and tensors, 0 when they are off', () => {
    const run = summary('r1', { stepsDone: 1000 });
    expect(histogramBytes(run)).toBe(0);
    const on = { ...run, settings: { ...run.settings, histogram: true, trace_every: 10 } };
    expect(histogramBytes(on)).toBe(100 * 4 * 33 * 4); // 100 rows x 4 tensors x 33 counts x 4 bytes
  });

  it('offers "Through time" only to recurrent networks', () => {
    expect(availableGroups(false).map((g) => g.label)).toEqual(['Overview', 'Layers', 'Distributions', 'Theory', 'Network']);
    expect(availableGroups(true)).toHaveLength(CHART_GROUPS.length);
  });
});
