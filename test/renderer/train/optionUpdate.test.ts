// A live chart's next option is merged into the one it shows when only values
// changed (the series' data, a component's settings), and set whole when a series
// or component came or went.
import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';

import { optionShape, optionUpdate, sameValue } from '../../../renderer/src/charts/optionUpdate.ts';

const fmt = (v: unknown) => String(v);

function option(points: number, extra: Partial<EChartsOption> = {}): EChartsOption {
  return {
    animation: false,
    title: { show: false },
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    xAxis: { type: 'value', id: 'step', min: 0, max: 'dataMax' },
    yAxis: { type: 'log' },
    series: [
      { type: 'line', name: 'd1', showSymbol: false, data: Array.from({ length: points }, (_, i) => [i, i + 1]) },
      { type: 'line', name: 'd2', showSymbol: false, data: Array.from({ length: points }, (_, i) => [i, i + 2]) },
      { type: 'line', id: 'cursor:step', name: `step ${points}`, data: [], markLine: { data: [{ xAxis: points }] } },
    ],
    ...extra,
  };
}

describe('optionUpdate', () => {
  it('merges new data: the series with their data and what changed, no unchanged component', () => {
    const a = option(10);
    const b = option(12);
    const u = optionUpdate(a, b)!;
    expect(u).not.toBeNull();
    expect(Object.keys(u)).toEqual(['series']);
    const series = u.series as Record<string, unknown>[];
    expect(series.map((s) => Object.keys(s).sort())).toEqual([
      ['data', 'name', 'type'],
      ['data', 'name', 'type'],
      ['data', 'id', 'markLine', 'name', 'type'],
    ]);
    expect(series[0].data).toBe((b.series as { data: unknown }[])[0].data);
    expect(series[2].markLine).toEqual({ data: [{ xAxis: 12 }] });
  });

  it('carries a component that changed by value, and compares functions by identity', () => {
    const u = optionUpdate(option(10), option(10, { yAxis: { type: 'value' } }))!;
    expect(u.yAxis).toEqual({ type: 'value' });
    expect(u.tooltip).toBeUndefined();
    const v = optionUpdate(option(10), option(10, { tooltip: { trigger: 'axis', valueFormatter: (x) => String(x) } }))!;
    expect(v.tooltip).toBeDefined();
  });

  it('sets the option whole when a series or component came or went', () => {
    const a = option(10);
    const fewer = { ...option(10), series: (option(10).series as unknown[]).slice(0, 2) } as EChartsOption;
    expect(optionUpdate(a, fewer)).toBeNull();
    expect(optionUpdate(a, option(10, { legend: { data: ['d1', 'd2'] } }))).toBeNull();
    const noSymbolKey = option(10);
    delete (noSymbolKey.series as Record<string, unknown>[])[0].showSymbol;
    expect(optionUpdate(a, noSymbolKey)).toBeNull();
    expect(optionUpdate(null, a)).toBeNull();
  });

  it('shapes and values', () => {
    expect(optionShape(option(3))).toBe(optionShape(option(30)));
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(sameValue(new Float32Array([1, 2]), new Float32Array([1, 2]))).toBe(true);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });
});
