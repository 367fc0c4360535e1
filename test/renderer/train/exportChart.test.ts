// Chart export: the file shows the chart whole (title, axes, legend) on white;
// names are safe file names; PNG bytes come out of a data: URL intact.
import { describe, expect, it } from 'vitest';

import { layerGradNormsOption } from '../../../core/charts/traceCharts.ts';
import { chartFileName, chartSvg, dataUrlBlob, fileOption } from '../../../renderer/src/charts/exportChart.ts';
import { bareOption } from '../../../renderer/src/charts/cardOption.ts';
import { makeColumns } from '../helpers.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

describe('chart export', () => {
  it('shows the title again and draws on white without animation', () => {
    const shown = bareOption(layerGradNormsOption(makeColumns(5)));
    const file = fileOption(shown) as AnyOption;
    expect(file.title.show).toBe(true);
    expect(file.backgroundColor).toBe('#ffffff');
    expect(file.animation).toBe(false);
  });

  it('renders an SVG document with the title, axis names and legend', () => {
    const svg = chartSvg(layerGradNormsOption(makeColumns(20)), { width: 800, height: 500 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Gradient reaching the layer, per layer');
    expect(svg).toContain('Training step');
    expect(svg).toContain('d1'); // a legend entry
  });

  it('names files after the run and the chart, safely', () => {
    expect(chartFileName('Run 1 + Use ReLU', 'Gradient flow at step 40', 'png')).toBe('vglab-run-1-use-relu-gradient-flow-at-step-40.png');
    expect(chartFileName('***', 'Loss', 'svg', 300)).toBe('vglab-chart-loss-step-300.svg');
  });

  it('turns a data: URL into a Blob of its bytes', async () => {
    const blob = dataUrlBlob('data:image/png;base64,iVBORw0KGgo=');
    expect(blob.type).toBe('image/png');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});
