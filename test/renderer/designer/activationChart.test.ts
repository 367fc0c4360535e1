import { describe, expect, it } from 'vitest';

import { activationCurve } from '../../../core/network/activationCurves.ts';
import { activationChartOption, formatBound } from '../../../renderer/src/designer/activationChart.ts';

const colors = { fg: '#000', muted: '#666', curve: '#00f', derivative: '#f00' };

describe('activation chart option', () => {
  it('plots f and f\' with a dashed line at the derivative bound', () => {
    const option = activationChartOption(activationCurve('sigmoid'), colors);
    const series = option.series as { name: string; data: number[][]; markLine?: { data: { yAxis: number }[] } }[];
    expect(series.map((s) => s.name)).toEqual(['f(x)', "f'(x)"]);
    expect(series[0].data).toHaveLength(201);
    expect(series[1].markLine?.data[0].yAxis).toBe(0.25);
  });

  it('formats bounds briefly', () => {
    expect(formatBound(0.25)).toBe('0.25');
    expect(formatBound(1)).toBe('1');
    expect(formatBound(activationCurve('gelu').derivativeMax)).toBe('1.129');
  });
});
