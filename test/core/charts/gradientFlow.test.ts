import { describe, expect, it } from 'vitest';

import { flowParams, gradientFlowOption } from '../../../core/charts/gradientFlow.ts';
import { depthColor } from '../../../core/charts/style.ts';
import { allocateTraceColumns, traceMetric, type TraceColumns } from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

const PARAMS = ['d0.weight', 'd0.bias', 'bn.gamma', 'rnn.1.weight_hh', 'out.weight'];

/** Mean |g| of tensor p is 10^(p-5), max |g| ten times that, at every row; `rows` rows every 100 steps. */
function columns(rows: number): TraceColumns {
  const P = PARAMS.length;
  const cols = allocateTraceColumns(rows, ['x', 'd0', 'out'], PARAMS, false);
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 100;
    for (let p = 0; p < P; p++) {
      cols.metrics.grad_mean_abs[r * P + p] = 10 ** (p - 5);
      cols.metrics.grad_max_abs[r * P + p] = 10 ** (p - 4);
    }
  }
  return cols;
}

describe('flowParams', () => {
  it('keeps every tensor, or only the weight matrices (node ids may hold dots)', () => {
    expect(flowParams(PARAMS, false)).toEqual([0, 1, 2, 3, 4]);
    expect(flowParams(PARAMS, true)).toEqual([0, 3, 4]);
  });
});

describe('gradientFlowOption', () => {
  it('draws a max bar behind a mean bar per tensor, as log10 heights above the power of ten below the smallest', () => {
    const o = gradientFlowOption(columns(3), 1) as AnyOption;
    expect(o.xAxis.data).toEqual(PARAMS);
    const [max, mean] = o.series;
    expect(max.name).toBe(traceMetric('grad_max_abs').label);
    expect(mean.name).toBe(traceMetric('grad_mean_abs').label);
    expect(max.barGap).toBe('-100%');
    // smallest value 1e-5: floor 1e-6, so mean 1e-5 stands 1 decade high, max 1e-4 two
    expect(mean.data.map((d: AnyOption) => d.value)).toEqual([1, 2, 3, 4, 5].map((h) => expect.closeTo(h, 5)));
    expect(max.data.map((d: AnyOption) => d.value)).toEqual([2, 3, 4, 5, 6].map((h) => expect.closeTo(h, 5)));
    expect(mean.data[0].itemStyle.color).toBe(depthColor(0, 5));
    expect(o.yAxis).toMatchObject({ min: 0, max: 6, interval: 1 });
    expect(o.yAxis.axisLabel.formatter(0)).toBe('1e-6');
    expect(o.title.text).toContain('step 100');
  });

  it('draws the dashed reference at the last tensor\'s mean |g| and says the ratio in the tooltip', () => {
    const o = gradientFlowOption(columns(2), 0) as AnyOption;
    const line = o.series[1].markLine;
    expect(line.lineStyle.type).toBe('dashed');
    expect(line.data[0].yAxis).toBeCloseTo(5, 5);
    const tip = o.tooltip.formatter([
      { dataIndex: 0, seriesName: traceMetric('grad_max_abs').label },
      { dataIndex: 0, seriesName: traceMetric('grad_mean_abs').label },
    ]);
    expect(tip).toContain('d0.weight');
    expect(tip).toContain('1.00e-4 × the last tensor');
  });

  it('keeps only the weight matrices when asked', () => {
    const o = gradientFlowOption(columns(2), 0, { weightsOnly: true }) as AnyOption;
    expect(o.xAxis.data).toEqual(['d0.weight', 'rnn.1.weight_hh', 'out.weight']);
    expect(o.series[1].data).toHaveLength(3);
  });

  it('gives tensors without a positive value no bar, and throws for a row out of range', () => {
    const cols = columns(2);
    cols.metrics.grad_mean_abs[0] = Number.NaN;
    cols.metrics.grad_max_abs[0] = 0;
    const o = gradientFlowOption(cols, 0) as AnyOption;
    expect(o.series[1].data[0].value).toBeNull();
    expect(o.series[0].data[0].value).toBeNull();
    expect(() => gradientFlowOption(cols, 2)).toThrow(RangeError);
  });

  it('builds on 50,000 traced rows and renders to SVG with its title and legend', () => {
    const cols = columns(50_000);
    gradientFlowOption(cols, 49_999);
    const svg = renderSvg(gradientFlowOption(columns(2), 1, { title: 'Flow title' }), 700, 420);
    expect(svg).toContain('Flow title');
    expect(svg).toContain(traceMetric('grad_mean_abs').label);
  });
});
