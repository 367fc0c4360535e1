// A chart card shows a builder's option without its title (the card's heading has
// it) and keeps the title's subtext as a caption; the exported file keeps it all.
import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';

import { layerHeatmapOption } from '../../../core/charts/layerHeatmap.ts';
import { allocateTraceColumns } from '../../../core/traces/metrics.ts';
import { bareOption, optionSubtitle } from '../../../renderer/src/charts/cardOption.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

describe('bareOption', () => {
  it('hides the title and lifts a pixel-placed grid, leaving the input alone', () => {
    const option: EChartsOption = { title: { text: 'T' }, grid: { top: 80, left: 70 }, series: [] };
    const bare = bareOption(option) as AnyOption;
    expect(bare.title.show).toBe(false);
    expect(bare.grid).toEqual({ top: 24, left: 70 });
    expect((option as AnyOption).grid.top).toBe(80);
  });

  it('lifts every pixel-placed grid of a list alike and keeps a grid placed in percent', () => {
    const bare = bareOption({ grid: [{ top: 50 }, { top: 50 }, { top: '72%' }], series: [] }) as AnyOption;
    expect(bare.grid.map((g: AnyOption) => g.top)).toEqual([24, 24, '72%']);
  });
});

describe('optionSubtitle', () => {
  it("reads a heatmap's subtext (what the colour shows)", () => {
    const cols = allocateTraceColumns(2, ['a'], [], false);
    cols.metrics.out_grad_norm.fill(1);
    expect(optionSubtitle(layerHeatmapOption(cols))).toMatch(/^Colour: /);
    expect(optionSubtitle({ title: { text: 'x' } })).toBe('');
    expect(optionSubtitle(null)).toBe('');
  });
});
