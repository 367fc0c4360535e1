import { describe, expect, it } from 'vitest';

import { STEP_AXIS_ID } from '../../../core/charts/cursor.ts';
import { gradientHorizon, timestepHeatmapOption, timestepHorizonOption } from '../../../core/charts/timestepCharts.ts';
import { allocateTraceColumns, recurrentMetric, type TraceColumns } from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

/**
 * Two recurrent nodes, an rnn of T = 3 then an lstm of T = `time`; the lstm's
 * ‖dL/dh_t‖ halves at every step back from the last (1 at t = T-1), the rnn's is 7.
 */
function columns(rows: number, time = 6): TraceColumns {
  const cols = allocateTraceColumns(rows, ['x', 'rnn', 'lstm', 'out'], [], false, rows, [
    { nodeId: 'rnn', type: 'rnn', time: 3, gates: [] },
    { nodeId: 'lstm', type: 'lstm', time, gates: ['i', 'f', 'g', 'o'] },
  ]);
  const width = 3 + time;
  for (let r = 0; r < rows; r++) {
    cols.steps[r] = r * 10;
    for (let t = 0; t < 3; t++) cols.recurrent!.metrics.timestep_grad_norm[r * width + t] = 7;
    for (let t = 0; t < time; t++) cols.recurrent!.metrics.timestep_grad_norm[r * width + 3 + t] = 2 ** (t - (time - 1));
  }
  return cols;
}

describe('gradientHorizon', () => {
  it('finds the earliest timestep still at or above the fraction of the last one, scanning back', () => {
    // 1/32, 1/16, 1/8, 1/4, 1/2, 1: a tenth of 1 is reached back to 1/8 at t = 2
    const v = [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1];
    expect(gradientHorizon(v, 0.1)).toEqual({ t: 2, stepsBack: 3 });
    expect(gradientHorizon(v, 0.125)).toEqual({ t: 2, stepsBack: 3 }); // exactly the fraction still counts
    expect(gradientHorizon(v, 0.01)).toEqual({ t: 0, stepsBack: 5 });
    expect(gradientHorizon(v, 2)).toEqual({ t: 5, stepsBack: 0 });
  });

  it('stops at the first dip scanning back, even if earlier steps recover', () => {
    expect(gradientHorizon([1, 1, 0.001, 1, 1], 0.5)).toEqual({ t: 3, stepsBack: 1 });
    expect(gradientHorizon([1, Number.NaN, 1], 0.5)).toEqual({ t: 2, stepsBack: 0 });
  });

  it('has no horizon when the last value is not positive and finite', () => {
    expect(gradientHorizon([], 0.1)).toBeNull();
    expect(gradientHorizon([1, 0], 0.1)).toBeNull();
    expect(gradientHorizon([1, Number.NaN], 0.1)).toBeNull();
  });
});

describe('timestepHeatmapOption', () => {
  it('draws one row per timestep of the chosen node and one column per traced row, coloured by log10 norm', () => {
    const o = timestepHeatmapOption(columns(4), 'lstm') as AnyOption;
    expect(o.yAxis.data).toEqual(['t = 0', 't = 1', 't = 2', 't = 3', 't = 4', 't = 5']);
    expect(o.xAxis.data).toEqual([0, 10, 20, 30]);
    expect(o.xAxis.id).toBe(STEP_AXIS_ID);
    expect(o.series[0].data).toHaveLength(24);
    expect(o.series[0].data).toContainEqual([2, 5, expect.closeTo(0, 6)]);
    expect(o.series[0].data).toContainEqual([2, 0, expect.closeTo(-5 * Math.log10(2), 5)]);
    expect(o.aria.label.description).toContain(recurrentMetric('timestep_grad_norm').tooltip);
  });

  it('groups long sequences into at most maxTimestepRows rows and caps cells on 50,000 steps', () => {
    const cols = columns(50_000, 400);
    const o = timestepHeatmapOption(cols, 'lstm', { maxTimestepRows: 100 }) as AnyOption;
    expect(o.yAxis.data).toHaveLength(100);
    expect(o.yAxis.data[0]).toBe('t = 0–3');
    expect(o.series[0].data.length).toBeLessThanOrEqual(200_000);
  });

  it('throws for a node without timestep traces', () => {
    expect(() => timestepHeatmapOption(columns(2), 'x')).toThrow(RangeError);
  });

  it('renders to SVG with its title', () => {
    expect(renderSvg(timestepHeatmapOption(columns(5), 'lstm', { title: 'Through time' }), 700, 400)).toContain('Through time');
  });
});

describe('timestepHorizonOption', () => {
  it('draws the profile on a log axis and marks the horizon with a line and a shaded band', () => {
    const o = timestepHorizonOption(columns(3), 'lstm', 1, { fraction: 0.1 }) as AnyOption;
    expect(o.yAxis.type).toBe('log');
    const s = o.series[0];
    expect(s.data).toHaveLength(6);
    expect(s.data[5]).toEqual([5, 1]);
    expect(s.markLine.data[0].xAxis).toBe(2);
    expect(s.markLine.data[1].yAxis).toBeCloseTo(0.1, 6);
    expect(s.markArea.data[0]).toEqual([{ xAxis: 2 }, { xAxis: 5 }]);
    expect(o.title.text).toContain('step 10');
    expect(o.title.subtext).toContain('t = 2 (3 steps back)');
  });

  it('draws no horizon when no gradient reached the last step, and throws for a row out of range', () => {
    const cols = columns(2);
    cols.recurrent!.metrics.timestep_grad_norm[8] = 0; // lstm, row 0, t = 5
    const o = timestepHorizonOption(cols, 'lstm', 0) as AnyOption;
    expect(o.series[0].markLine).toBeUndefined();
    expect(o.series[0].data[5]).toEqual([5, null]);
    expect(() => timestepHorizonOption(cols, 'lstm', 2)).toThrow(RangeError);
  });

  it('renders to SVG with its title and the horizon label', () => {
    const svg = renderSvg(timestepHorizonOption(columns(2), 'lstm', 0, { title: 'Horizon chart', fraction: 0.1 }), 700, 400);
    expect(svg).toContain('Horizon chart');
    expect(svg).toContain('horizon t = 2');
  });
});
