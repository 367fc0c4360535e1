import { describe, expect, it } from 'vitest';

import { STEP_AXIS_ID } from '../../../core/charts/cursor.ts';
import { saturationHeatmapOption, saturationLinesOption, saturationNodes } from '../../../core/charts/saturation.ts';
import { depthColor } from '../../../core/charts/style.ts';
import { allocateTraceColumns, traceMetric, type TraceColumns } from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/**
 * Nodes x, d0, s0, d1, s1 of which only the sigmoids s0 and s1 record saturated_frac
 * (NaN for the rest, as the engine stores); s0 at 0.1, s1 climbing r / rows.
 */
function columns(rows: number, extraNodes = 0): TraceColumns {
  const ids = ['x', 'd0', 's0', 'd1', 's1', ...Array.from({ length: extraNodes }, (_, k) => `e${k}`)];
  const n = ids.length;
  const cols = allocateTraceColumns(rows, ids, [], false);
  cols.metrics.saturated_frac.fill(Number.NaN);
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 5;
    cols.metrics.saturated_frac[r * n + 2] = 0.1;
    cols.metrics.saturated_frac[r * n + 4] = r / rows;
    for (let k = 5; k < n; k++) cols.metrics.saturated_frac[r * n + k] = ((r + k) % 10) / 10;
  }
  return cols;
}

describe('saturationNodes', () => {
  it('lists only the nodes that record a value', () => {
    expect(saturationNodes(columns(3))).toEqual([2, 4]);
  });
});

describe('saturationLinesOption', () => {
  it('draws one line per applicable layer on a 0..1 axis, coloured by depth in the whole network', () => {
    const o = saturationLinesOption(columns(4)) as AnyOption;
    expect(o.series.map((s: AnyOption) => s.name)).toEqual(['s0', 's1']);
    expect(o.legend.data).toEqual(['s0', 's1']);
    expect(o.series[0].color).toBe(depthColor(2, 5));
    expect(o.series[1].color).toBe(depthColor(4, 5));
    expect(o.series[1].data).toEqual([[0, 0], [5, 0.25], [10, 0.5], [15, 0.75]]);
    expect(o.yAxis).toMatchObject({ min: 0, max: 1 });
    expect(o.yAxis.name).toContain(traceMetric('saturated_frac').label);
    expect(o.xAxis.id).toBe(STEP_AXIS_ID);
  });

  it('turns a NaN in an applicable layer into a gap', () => {
    const cols = columns(3);
    cols.metrics.saturated_frac[1 * 5 + 2] = Number.NaN;
    const o = saturationLinesOption(cols) as AnyOption;
    expect(o.series[0].data[1]).toEqual([5, null]);
  });

  it('decimates 50,000 steps x 20 layers to the point budget', () => {
    const cols = columns(50_000, 15);
    const o = saturationLinesOption(cols) as AnyOption;
    expect(o.series).toHaveLength(17);
    for (const s of o.series) expect(s.data.length).toBeLessThanOrEqual(2000);
  });

  it('renders to SVG with its title and legend', () => {
    const svg = renderSvg(saturationLinesOption(columns(10), { title: 'Saturation lines' }), 700, 400);
    expect(svg).toContain('Saturation lines');
    expect(svg).toContain('s1');
  });
});

describe('saturationHeatmapOption', () => {
  it('draws the applicable layers over step buckets with a fixed 0..1 colour range', () => {
    const o = saturationHeatmapOption(columns(4)) as AnyOption;
    expect(o.yAxis.data).toEqual(['s0', 's1']);
    expect(o.series[0].data).toHaveLength(8);
    expect(o.series[0].data).toContainEqual([3, 1, expect.closeTo(0.75, 6)]);
    expect(o.visualMap).toMatchObject({ min: 0, max: 1 });
  });

  it('caps 50,000 steps x 20 layers at the cell budget and renders its title', () => {
    const cols = columns(50_000, 15);
    const o = saturationHeatmapOption(cols) as AnyOption;
    expect(o.series[0].data.length).toBeLessThanOrEqual(200_000);
    expect(renderSvg(saturationHeatmapOption(columns(20), { title: 'Saturation map' }), 700, 400)).toContain('Saturation map');
  });
});
