// The Compare view's builders: one series per run in the run's colour with a
// legend naming the runs, shared step axes for the cursor, the first / last
// gradient ratio, the profile over relative depth, and small multiples that share
// one y range and one step range.
import { describe, expect, it } from 'vitest';

import {
  RUN_COLORS,
  commonLogRange,
  compareLossOption,
  compareProfileOption,
  compareRatioOption,
  gradientRatio,
  lastStep,
  layerNormsPanelOption,
  niceStepMax,
  ratioPair,
  rowsAtStep,
  seriesNames,
  type CompareRun,
} from '../../../core/charts/compareCharts.ts';
import { STEP_AXIS_ID, withStepCursor } from '../../../core/charts/cursor.ts';
import { networkSpecSchema } from '../../../core/network/spec.ts';
import { allocateTraceColumns, type TraceColumns } from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/**
 * A chain x -> d1 -> a1 -> ... -> d<depth> -> a<depth> -> out, `rows` traced rows
 * every `every` steps. out_grad_norm of node k = decay^(n-1-k) (shrinking toward the
 * input); grad_norm of d<i>.weight = decay^(depth - i).
 */
function run(id: string, depth: number, decay: number, rows = 5, every = 10): CompareRun {
  const nodeIds = ['x'];
  for (let i = 1; i <= depth; i++) nodeIds.push(`d${i}`, `a${i}`);
  nodeIds.push('out');
  const paramNames: string[] = [];
  for (let i = 1; i <= depth; i++) paramNames.push(`d${i}.weight`, `d${i}.bias`);
  paramNames.push('out.weight', 'out.bias');
  const steps = rows * every;
  const cols: TraceColumns = allocateTraceColumns(rows, nodeIds, paramNames, false, steps);
  const n = nodeIds.length;
  const p = paramNames.length;
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * every;
    // The input node (k = 0): nothing flows back to it.
    for (let k = 0; k < n; k++) cols.metrics.out_grad_norm[r * n + k] = k === 0 ? Number.NaN : decay ** (n - 1 - k);
    for (let i = 1; i <= depth; i++) cols.metrics.grad_norm[r * p + (i - 1) * 2] = decay ** (depth - i);
    cols.metrics.grad_norm[r * p + depth * 2] = 1;
  }
  for (let s = 0; s < steps; s++) cols.metrics.loss[s] = 1 / (1 + s);
  return { id, label: `Run ${id}`, cols };
}

function network(depth: number) {
  const nodes: unknown[] = [{ id: 'x', type: 'input', params: { features: 2 } }];
  const edges: { from: string; to: string }[] = [];
  let prev = 'x';
  for (let i = 1; i <= depth; i++) {
    nodes.push({ id: `d${i}`, type: 'dense', params: { units: 4 } }, { id: `a${i}`, type: 'sigmoid', params: {} });
    edges.push({ from: prev, to: `d${i}` }, { from: `d${i}`, to: `a${i}` });
    prev = `a${i}`;
  }
  nodes.push({ id: 'out', type: 'dense', params: { units: 2 } });
  edges.push({ from: prev, to: 'out' });
  return networkSpecSchema.parse({ format: 'vglab-network/1', nodes, edges, loss: { type: 'softmax_cross_entropy' } });
}

describe('run identity', () => {
  it('gives each run its own colour and a unique legend name', () => {
    expect(new Set(RUN_COLORS.slice(0, 4)).size).toBe(4);
    expect(seriesNames([{ label: 'a' }, { label: 'b' }, { label: 'a' }])).toEqual(['a', 'b', 'a #2']);
  });
});

describe('compareLossOption', () => {
  it('overlays one loss line per run, coloured per run, with a legend naming each, on a shared tagged step axis', () => {
    const o = compareLossOption([run('a', 3, 0.1), run('b', 3, 0.5, 8)]) as AnyOption;
    expect(o.series.map((s: AnyOption) => s.name)).toEqual(['Run a', 'Run b']);
    expect(o.legend.data).toEqual(['Run a', 'Run b']);
    expect(o.series.map((s: AnyOption) => s.color)).toEqual([RUN_COLORS[0], RUN_COLORS[1]]);
    expect(o.xAxis).toMatchObject({ id: STEP_AXIS_ID, min: 0, max: 80 });
    expect(o.series[1].data).toHaveLength(80);
  });

  it('ends every step axis on a round number past the last step', () => {
    expect([niceStepMax(0), niceStepMax(79), niceStepMax(599), niceStepMax(600), niceStepMax(33_488), niceStepMax(60_000)]).toEqual([
      1, 80, 600, 600, 35_000, 60_000,
    ]);
  });

  it('draws the loss on a log axis when asked, 0 as a gap', () => {
    const r = run('a', 2, 0.1);
    r.cols.metrics.loss[3] = 0;
    const o = compareLossOption([r], { log: true }) as AnyOption;
    expect(o.yAxis.type).toBe('log');
    expect(o.series[0].data[3]).toEqual([3, null]);
    expect((compareLossOption([r]) as AnyOption).yAxis.type).toBe('value');
  });

  it('decimates long runs', () => {
    const o = compareLossOption([run('a', 2, 0.1, 5000, 10)], { maxPoints: 500 }) as AnyOption;
    expect(o.series[0].data.length).toBeLessThanOrEqual(500);
  });
});

describe('gradient ratio', () => {
  it('compares the first and last hidden layer (not the read-out head), from the network when given', () => {
    const r = run('a', 4, 0.1);
    expect(ratioPair(r)).toEqual({ first: 'd1.weight', last: 'd4.weight', metric: 'grad_norm' });
    expect(ratioPair({ ...r, network: network(4) })).toEqual({ first: 'd1.weight', last: 'd4.weight', metric: 'grad_norm' });
    expect(gradientRatio(r)![0]).toBeCloseTo(1e-3, 9);
  });

  it('draws first / last per run on a log axis with a dashed line at 1', () => {
    const o = compareRatioOption([run('a', 4, 0.1), run('b', 4, 1)]) as AnyOption;
    expect(o.yAxis.type).toBe('log');
    expect(o.xAxis.id).toBe(STEP_AXIS_ID);
    expect(o.series[0].data[0][1]).toBeCloseTo(1e-3, 9);
    expect(o.series[1].data[0]).toEqual([0, 1]);
    expect(o.series[0].markLine.data).toEqual([{ yAxis: 1 }]);
  });

  it('falls back to first hidden layer / head with one hidden layer, and leaves a single layer empty', () => {
    expect(ratioPair(run('a', 1, 0.1))).toEqual({ first: 'd1.weight', last: 'out.weight', metric: 'grad_norm' });
    const o = compareRatioOption([run('a', 0, 0.1)]) as AnyOption;
    expect(o.series[0].data).toEqual([]);
  });
});

describe('compareProfileOption', () => {
  it('puts networks of different depth on relative depth 0..1, one line per run, log y', () => {
    const o = compareProfileOption([run('a', 2, 0.1), run('b', 5, 0.5)], 20) as AnyOption;
    expect(o.yAxis.type).toBe('log');
    expect(o.xAxis).toMatchObject({ min: 0, max: 1 });
    const [a, b] = o.series;
    expect(a.data).toHaveLength(6);
    expect(b.data).toHaveLength(12);
    expect(a.data[0].value).toEqual([0, null]); // the input: a gap, not a point
    expect(a.data.at(-1).value).toEqual([1, 1]);
    expect(b.data[1].value[0]).toBeCloseTo(1 / 11, 9);
    expect(a.data[2]).toMatchObject({ name: 'a1', step: 20 });
    expect(o.title.text).toContain('step 20');
  });

  it('shows each run at its own nearest traced row, the latest when the step is null', () => {
    const runs = [run('a', 2, 0.1, 5, 10), run('b', 2, 0.1, 3, 7)];
    expect(rowsAtStep(runs, 30)).toEqual([3, 2]);
    expect(rowsAtStep(runs, null)).toEqual([4, 2]);
  });

  it('escapes run labels in its tooltip', () => {
    const o = compareProfileOption([{ ...run('a', 2, 0.1), label: '<b>x</b>' }], null) as AnyOption;
    const html = o.tooltip.formatter({ seriesName: '<b>x</b>', data: o.series[0].data[1] });
    expect(html).not.toContain('<b>');
  });
});

describe('small multiples', () => {
  it('share one y range covering every run, widened to powers of ten', () => {
    const runs = [run('a', 3, 0.1), run('b', 3, 0.5)];
    expect(commonLogRange(runs)).toEqual({ min: 1e-6, max: 1 });
    expect(commonLogRange([])).toBeNull();
  });

  it('draw one run per panel with the shared y range and step range, tagged for the cursor', () => {
    const runs = [run('a', 3, 0.1), run('b', 3, 0.5, 9)];
    const shared = { range: commonLogRange(runs), maxStep: lastStep(runs) };
    const panels = runs.map((r) => layerNormsPanelOption(r, shared) as AnyOption);
    for (const p of panels) {
      expect(p.yAxis).toMatchObject({ type: 'log', min: 1e-6, max: 1 });
      expect(p.xAxis).toMatchObject({ id: STEP_AXIS_ID, min: 0, max: 90 });
      expect(p.legend.show).toBe(false);
    }
    expect(panels[0].series).toHaveLength(8);
    expect(panels[0].title.text).toBe('Run a');
  });

  it('carry the shared cursor and render to SVG', () => {
    const runs = [run('a', 3, 0.1), run('b', 3, 0.5)];
    const cursorOn = (o: AnyOption) => o.series.find((s: AnyOption) => s.id === `cursor:${STEP_AXIS_ID}`);
    const panel = withStepCursor(layerNormsPanelOption(runs[0], { range: commonLogRange(runs), maxStep: lastStep(runs) }), 20) as AnyOption;
    expect(cursorOn(panel).markLine.data).toEqual([{ xAxis: 20 }]);
    for (const o of [compareLossOption(runs), compareRatioOption(runs), compareProfileOption(runs, 20), panel]) {
      expect(renderSvg(withStepCursor(o as never, 20), 600, 300)).toContain('<svg');
    }
  });
});
