import { describe, expect, it } from 'vitest';

import {
  gradientProfileOption,
  layerGradNormsOption,
  lossOption,
  timestepProfileOption,
} from '../../../core/charts/traceCharts.ts';
import { allocateTraceColumns, recurrentMetric, traceMetric, type TraceColumns } from '../../../core/traces/metrics.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/** 4 nodes, `rows` traced rows every 10 steps, gradients shrinking 10x per layer toward the input. */
function columns(rows: number, stepCount = rows * 10): TraceColumns {
  const cols = allocateTraceColumns(rows, ['x', 'd0', 'd1', 'out'], ['d0.weight'], false, stepCount, [
    { nodeId: 'lstm', type: 'lstm', time: 6, gates: ['i', 'f', 'g', 'o'] },
  ]);
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 10;
    for (let k = 0; k < 4; k++) cols.metrics.out_grad_norm[r * 4 + k] = 10 ** (k - 3);
    for (let t = 0; t < 6; t++) cols.recurrent!.metrics.timestep_grad_norm[r * 6 + t] = 2 ** t;
  }
  cols.metrics.out_grad_norm[0] = 0; // the input node: not on a log axis
  for (let s = 0; s < stepCount; s++) cols.metrics.loss[s] = 1 / (1 + s);
  return cols;
}

describe('lossOption', () => {
  it('labels its axis in a few digits, even for a diverging loss', () => {
    const o = lossOption(columns(5)) as AnyOption;
    const label = o.yAxis.axisLabel.formatter as (v: number) => string;
    expect(label(2.4999999999999996e30)).toBe('2.50e+30');
    expect(label(0.30000000000000004)).toBe('0.3');
  });

  it('draws one loss line with every step when it fits, titled and named from the metric', () => {
    const o = lossOption(columns(5)) as AnyOption;
    expect(o.series).toHaveLength(1);
    expect(o.series[0].data).toHaveLength(50);
    expect(o.title.text).toBe(traceMetric('loss').label);
    expect(o.yAxis.name).toContain(traceMetric('loss').label);
    expect(o.aria.label.description).toContain(traceMetric('loss').tooltip);
    expect(lossOption(columns(1), { title: 'My run' })).toMatchObject({ title: { text: 'My run' } });
  });

  it('decimates a long run to at most 2,000 points keeping the first and last step', () => {
    const o = lossOption(columns(10, 50_000)) as AnyOption;
    const data = o.series[0].data as [number, number][];
    expect(data.length).toBeLessThanOrEqual(2000);
    expect(data[0]).toEqual([0, 1]);
    expect(data[data.length - 1][0]).toBe(49_999);
  });
});

describe('layerGradNormsOption', () => {
  it('draws one line per node over the traced steps on a log axis, with a legend and depth colours', () => {
    const o = layerGradNormsOption(columns(7), { log: true }) as AnyOption;
    expect(o.yAxis.type).toBe('log');
    expect(o.yAxis.name).toContain(traceMetric('out_grad_norm').label);
    expect(o.yAxis.axisLabel.formatter(1e-7)).toBe('1e-7');
    expect(o.series).toHaveLength(4);
    expect(o.legend.data).toEqual(['x', 'd0', 'd1', 'out']);
    for (const s of o.series) expect(s.data).toHaveLength(7);
    expect(o.series[1].data[3]).toEqual([30, expect.closeTo(0.01, 6)]);
    expect(new Set(o.series.map((s: AnyOption) => s.color)).size).toBe(4);
    // 0 cannot sit on a log axis: a gap instead.
    expect(o.series[0].data[0]).toEqual([0, null]);
  });

  it('uses a linear axis when asked', () => {
    expect((layerGradNormsOption(columns(3), { log: false }) as AnyOption).yAxis.type).toBe('value');
  });
});

describe('gradientProfileOption', () => {
  it('draws one bar per node at one traced row on a log scale, standing on the power of ten below the smallest', () => {
    const o = gradientProfileOption(columns(4), 2) as AnyOption;
    expect(o.xAxis.data).toEqual(['x', 'd0', 'd1', 'out']);
    expect(o.series).toHaveLength(1);
    expect(o.series[0].type).toBe('bar');
    // norms 1e-3, 1e-2, 1e-1, 1: heights in powers of ten above 1e-4
    expect(o.series[0].data.map((d: AnyOption) => d.value)).toEqual([1, 2, 3, 4].map((h) => expect.closeTo(h, 5)));
    expect(o.yAxis).toMatchObject({ min: 0, max: 4, interval: 1 });
    expect([0, 1, 4].map((x) => o.yAxis.axisLabel.formatter(x))).toEqual(['1e-4', '0.001', '1']);
    expect(o.title.text).toContain('step 20');
  });

  it('leaves out a node without a positive gradient', () => {
    const o = gradientProfileOption(columns(4), 0) as AnyOption;
    expect(o.series[0].data[0].value).toBeNull();
  });

  it('refuses a row outside the traces', () => {
    expect(() => gradientProfileOption(columns(4), 4)).toThrow(RangeError);
  });
});

describe('timestepProfileOption', () => {
  it('draws ‖dL/dh_t‖ over every timestep of a recurrent node on a log axis', () => {
    const o = timestepProfileOption(columns(3), 'lstm', 1) as AnyOption;
    expect(o.yAxis.type).toBe('log');
    expect(o.series).toHaveLength(1);
    expect(o.series[0].data).toEqual([0, 1, 2, 3, 4, 5].map((t) => [t, 2 ** t]));
    expect(o.title.text).toContain(recurrentMetric('timestep_grad_norm').label);
  });

  it('refuses a node that is not recurrent', () => {
    expect(() => timestepProfileOption(columns(3), 'd0', 0)).toThrow(RangeError);
  });
});

describe('formatLogTick', () => {
  it('writes powers of ten short', async () => {
    const { formatLogTick } = await import('../../../core/charts/style.ts');
    expect([1e-7, 1e-3, 0.01, 1, 100, 1e5].map(formatLogTick)).toEqual(['1e-7', '0.001', '0.01', '1', '100', '1e5']);
    expect(formatLogTick(0.00009999999999999999)).toBe('1e-4');
  });
});
