import { describe, expect, it } from 'vitest';

import {
  MAX_SAMPLE_LINES,
  nodeMaxSingular,
  nodeSpectrumOption,
  spectrumOption,
  spectrumSummary,
  type JacobianSpectra,
} from '../../../core/charts/spectrum.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/** 2 samples of 3 singular values each; node d (2 per sample) stretches, node s shrinks. */
function spectra(): JacobianSpectra {
  return {
    samples: 2,
    network: new Float64Array([4, 2, 1, 1, 0.5, 0]),
    nodes: { d: new Float64Array([3, 1, 12, 2]), s: new Float64Array([0.25, 0.1, 0.25, 0.2]) },
  };
}

describe('spectrumSummary', () => {
  it('gives per index the geometric mean, minimum and maximum over the samples, skipping zeros', () => {
    const { mean, min, max } = spectrumSummary(spectra().network, 2);
    expect(Array.from(mean)).toEqual([2, 1, 1].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(min)).toEqual([1, 0.5, 1]);
    expect(Array.from(max)).toEqual([4, 2, 1]);
    expect(Number.isNaN(spectrumSummary(new Float64Array([0, 0]), 2).mean[0])).toBe(true);
  });
});

describe('spectrumOption', () => {
  it('draws the geometric mean with a min..max band (stacked difference) on a log axis with σ = 1 marked', () => {
    const o = spectrumOption(spectra()) as AnyOption;
    expect(o.yAxis.type).toBe('log');
    expect(o.series).toHaveLength(3);
    const [lo, band, mean] = o.series;
    expect(lo.data).toEqual([[1, 1], [2, 0.5], [3, 1]]);
    expect(band.stack).toBe(lo.stack);
    expect(band.data).toEqual([[1, 3], [2, 1.5], [3, 0]]);
    expect(mean.data.map((p: number[]) => p[0])).toEqual([1, 2, 3]);
    expect(mean.markLine.data).toEqual([{ yAxis: 1 }]);
    expect(o.legend.data).toEqual(['Geometric mean over samples', 'Range over samples']);
  });

  it('draws one line per sample, at most MAX_SAMPLE_LINES, zeros as gaps', () => {
    const o = spectrumOption(spectra(), { mode: 'samples' }) as AnyOption;
    expect(o.series).toHaveLength(2);
    expect(o.series[1].data).toEqual([[1, 1], [2, 0.5], [3, null]]);
    const many: JacobianSpectra = { samples: 50, network: new Float64Array(50 * 4).fill(1), nodes: {} };
    expect((spectrumOption(many, { mode: 'samples' }) as AnyOption).series).toHaveLength(MAX_SAMPLE_LINES);
  });

  it('renders to SVG with its title', () => {
    expect(renderSvg(spectrumOption(spectra(), { title: 'Spectrum title' }), 700, 400)).toContain('Spectrum title');
  });
});

describe('nodeSpectrumOption', () => {
  it('takes each sample\'s first (largest) value per node, in the given order, skipping nodes without a spectrum', () => {
    const rows = nodeMaxSingular(spectra(), ['x', 's', 'd']);
    expect(rows.map((r) => r.id)).toEqual(['s', 'd']);
    expect(rows[0].mean).toBeCloseTo(0.25, 12);
    expect(rows[1]).toMatchObject({ min: 3, max: 12 });
    expect(rows[1].mean).toBeCloseTo(6, 12);
  });

  it('draws bars as log10 heights around σ = 1 (shrinking layers point down) with the line at 1', () => {
    const o = nodeSpectrumOption(spectra(), { nodeIds: ['d', 's'] }) as AnyOption;
    expect(o.xAxis.data).toEqual(['d', 's']);
    expect(o.series[0].data.map((d: AnyOption) => d.value)).toEqual([Math.log10(6), Math.log10(0.25)].map((v) => expect.closeTo(v, 9)));
    expect(o.yAxis).toMatchObject({ min: -1, max: 1, interval: 1 });
    expect(o.series[0].markLine.data).toEqual([{ yAxis: 0 }]);
    expect(renderSvg(nodeSpectrumOption(spectra(), { title: 'Per layer σ' }), 700, 400)).toContain('Per layer σ');
  });
});
