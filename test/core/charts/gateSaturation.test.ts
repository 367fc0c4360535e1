import { describe, expect, it } from 'vitest';

import { STEP_AXIS_ID } from '../../../core/charts/cursor.ts';
import { GATE_SATURATION_HELP, gateSaturationOption, gatedNodeIds } from '../../../core/charts/gateSaturation.ts';
import { allocateTraceColumns, recurrentMetric, type TraceColumns } from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/**
 * An rnn (no gates), an lstm (i, f, g, o) and a gru (r, z, n), traced at steps 0,
 * 10, 20, ...; gate k of the lstm at row r holds (k + 1) / 10 + r / 100, gate k of
 * the gru 0.5 + k / 10 + r / 100, so every value says where it came from.
 */
function columns(rows: number): TraceColumns {
  const cols = allocateTraceColumns(rows, ['x', 'rnn', 'lstm', 'gru', 'out'], [], false, rows, [
    { nodeId: 'rnn', type: 'rnn', time: 3, gates: [] },
    { nodeId: 'lstm', type: 'lstm', time: 3, gates: ['i', 'f', 'g', 'o'] },
    { nodeId: 'gru', type: 'gru', time: 3, gates: ['r', 'z', 'n'] },
  ]);
  const sat = cols.recurrent!.metrics.gate_saturation;
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 10;
    for (let k = 0; k < 4; k++) sat[r * 7 + k] = (k + 1) / 10 + r / 100;
    for (let k = 0; k < 3; k++) sat[r * 7 + 4 + k] = 0.5 + k / 10 + r / 100;
  }
  return cols;
}

describe('gatedNodeIds', () => {
  it('lists the lstm and gru nodes, not the rnn', () => {
    expect(gatedNodeIds(columns(2))).toEqual(['lstm', 'gru']);
  });
});

describe('gateSaturationOption', () => {
  it('draws one line per LSTM gate with its values from the trace, over the traced steps', () => {
    const o = gateSaturationOption(columns(3), 'lstm') as AnyOption;
    expect(o.series.map((s: AnyOption) => s.name)).toEqual([
      'input gate (i)',
      'forget gate (f)',
      'cell candidate (g)',
      'output gate (o)',
    ]);
    expect(o.series[1].data).toEqual([
      [0, expect.closeTo(0.2, 6)],
      [10, expect.closeTo(0.21, 6)],
      [20, expect.closeTo(0.22, 6)],
    ]);
    expect(o.series[3].data[2]).toEqual([20, expect.closeTo(0.42, 6)]);
    // The tanh candidate is dashed; the sigmoid gates are solid.
    expect(o.series.map((s: AnyOption) => s.lineStyle.type)).toEqual(['solid', 'solid', 'dashed', 'solid']);
    expect(o.xAxis.id).toBe(STEP_AXIS_ID);
    expect(o.yAxis).toMatchObject({ min: 0, max: 1 });
  });

  it("reads a GRU's own gates, after the LSTM's in the row", () => {
    const o = gateSaturationOption(columns(2), 'gru') as AnyOption;
    expect(o.series).toHaveLength(3);
    expect(o.series.map((s: AnyOption) => s.name)).toEqual(['reset gate (r)', 'update gate (z)', 'new state candidate (n)']);
    expect(o.series[2].data[1]).toEqual([10, expect.closeTo(0.71, 6)]);
  });

  it('keeps a line within its point budget and shows NaN as a gap', () => {
    const cols = columns(1000);
    cols.recurrent!.metrics.gate_saturation[5 * 7 + 1] = Number.NaN;
    const o = gateSaturationOption(cols, 'lstm', { maxPoints: 100 }) as AnyOption;
    for (const s of o.series) expect(s.data.length).toBeLessThanOrEqual(100);
    const full = gateSaturationOption(cols, 'lstm', { maxPoints: 5000 }) as AnyOption;
    expect(full.series[1].data[5]).toEqual([50, null]);
  });

  it('explains the metric and how to read the chart', () => {
    const o = gateSaturationOption(columns(2), 'lstm') as AnyOption;
    expect(GATE_SATURATION_HELP.startsWith(recurrentMetric('gate_saturation').tooltip)).toBe(true);
    expect(o.aria.label.description).toContain(GATE_SATURATION_HELP);
    expect(o.title.text).toBe('Saturated gate values: lstm, per gate');
  });

  it('refuses a node without gates, naming it', () => {
    expect(() => gateSaturationOption(columns(2), 'rnn')).toThrow(/"rnn" is not an LSTM or GRU/);
    expect(() => gateSaturationOption(columns(2), 'out')).toThrow(/"out"/);
  });

  it('renders to SVG for exports and reports', () => {
    const svg = renderSvg(gateSaturationOption(columns(5), 'gru'), 600, 320);
    expect(svg).toContain('<svg');
    expect(svg).toContain('update gate (z)');
  });
});
