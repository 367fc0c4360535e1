// The shared step cursor: a line on every tagged step axis added without touching
// the builder's option, the traced row nearest to a clicked step, the step under a
// click on a value or bucketed axis, and tagging an untagged step axis.
import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';

import {
  STEP_AXIS_ID,
  bucketOfStep,
  cursorSeriesId,
  nearestRow,
  stepAtAxisValue,
  tagStepAxis,
  withStepCursor,
} from '../../../core/charts/cursor.ts';
import { layerHeatmapOption } from '../../../core/charts/layerHeatmap.ts';
import { allocateTraceColumns } from '../../../core/traces/metrics.ts';
import { renderSvg } from '../../../electron/report/svg.ts';

describe('nearestRow', () => {
  const steps = new Int32Array([0, 10, 20, 30]);
  it.each([
    [-5, 0],
    [0, 0],
    [4, 0],
    [6, 1],
    [15, 1],
    [29, 3],
    [1000, 3],
  ])('step %d is nearest to row %d', (step, row) => {
    expect(nearestRow(steps, step)).toBe(row);
  });

  it('is -1 without rows', () => {
    expect(nearestRow(new Int32Array(0), 3)).toBe(-1);
  });
});

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

function lineOption(): EChartsOption {
  return {
    xAxis: { type: 'value', id: STEP_AXIS_ID },
    yAxis: { type: 'value' },
    series: [{ type: 'line', name: 'a', data: [[0, 1], [100, 2]], markLine: { data: [{ yAxis: 1 }] } }],
  };
}

describe('bucketOfStep', () => {
  it('finds the bucket whose first step is the last one at or before the step', () => {
    const firsts = [0, 100, 200, 300];
    expect(bucketOfStep(firsts, 0)).toBe(0);
    expect(bucketOfStep(firsts, 150)).toBe(1);
    expect(bucketOfStep(firsts, 300)).toBe(3);
    expect(bucketOfStep(firsts, 1e9)).toBe(3);
    expect(bucketOfStep(firsts, -1)).toBe(-1);
    expect(bucketOfStep([], 5)).toBe(-1);
  });
});

describe('withStepCursor', () => {
  it('adds one dashed vertical line at the step on a value step axis, keeping the chart\'s own mark lines', () => {
    const before = lineOption();
    const o = withStepCursor(before, 40) as AnyOption;
    expect(o.series).toHaveLength(2);
    expect(o.series[0].markLine.data).toEqual([{ yAxis: 1 }]);
    const cursor = o.series[1];
    expect(cursor.id).toBe(cursorSeriesId(STEP_AXIS_ID));
    expect(cursor.data).toEqual([]);
    expect(cursor.markLine.data).toEqual([{ xAxis: 40 }]);
    expect(cursor.markLine.lineStyle.type).toBe('dashed');
    expect((before as AnyOption).series).toHaveLength(1); // the input is not changed
  });

  it('moves the cursor on a second call instead of adding another', () => {
    const o = withStepCursor(withStepCursor(lineOption(), 40), 70) as AnyOption;
    expect(o.series).toHaveLength(2);
    expect(o.series[1].markLine.data).toEqual([{ xAxis: 70 }]);
  });

  it('places the cursor on the bucket holding the step on a bucketed category axis, and nowhere outside the buckets', () => {
    const o = withStepCursor(
      { xAxis: { type: 'category', id: STEP_AXIS_ID, data: [0, 100, 200] }, yAxis: { type: 'category', data: ['a'] }, series: [] },
      150,
    ) as AnyOption;
    expect(o.series[0].markLine.data).toEqual([{ xAxis: 1 }]);
    const outside = withStepCursor(o as EChartsOption, -5) as AnyOption;
    expect(outside.series).toHaveLength(0); // the old cursor is removed, no new one drawn
  });

  it('marks every tagged axis of a multi-grid chart on the y axis of its own grid, and leaves untagged charts alone', () => {
    const o = withStepCursor(
      {
        grid: [{}, {}],
        xAxis: [
          { type: 'value', id: STEP_AXIS_ID, gridIndex: 0 },
          { type: 'value', id: `${STEP_AXIS_ID}:b`, gridIndex: 1 },
        ],
        yAxis: [{ type: 'value', gridIndex: 0 }, { type: 'value', gridIndex: 1 }],
        series: [],
      },
      5,
    ) as AnyOption;
    expect(o.series.map((s: AnyOption) => [s.xAxisIndex, s.yAxisIndex])).toEqual([[0, 0], [1, 1]]);
    const plain: EChartsOption = { xAxis: { type: 'value' }, yAxis: { type: 'value' }, series: [] };
    expect(withStepCursor(plain, 5)).toBe(plain);
  });

  it('draws its label in a rendered heatmap', () => {
    const cols = allocateTraceColumns(4, ['a', 'b'], [], false);
    cols.steps.set([0, 10, 20, 30]);
    cols.metrics.out_grad_norm.fill(0.5);
    const svg = renderSvg(withStepCursor(layerHeatmapOption(cols), 20, 'cursor at 20'), 600, 400);
    expect(svg).toContain('cursor at 20');
  });
});

describe('tagStepAxis', () => {
  it('tags an untagged x axis so the cursor finds it, leaving the input and tagged axes alone', () => {
    const plain: EChartsOption = { xAxis: { type: 'value' }, yAxis: { type: 'value' }, series: [] };
    const tagged = tagStepAxis(plain) as AnyOption;
    expect(tagged.xAxis.id).toBe(STEP_AXIS_ID);
    expect((plain as AnyOption).xAxis.id).toBeUndefined();
    const own: EChartsOption = { xAxis: { type: 'value', id: 'other' }, series: [] };
    expect(tagStepAxis(own)).toBe(own);
    expect((withStepCursor(tagged as EChartsOption, 3) as AnyOption).series).toHaveLength(1);
  });

  it('tags the chosen axis of a list', () => {
    const o = tagStepAxis({ xAxis: [{ type: 'value' }, { type: 'value' }], series: [] }, 1) as AnyOption;
    expect(o.xAxis.map((a: AnyOption) => a.id)).toEqual([undefined, STEP_AXIS_ID]);
  });
});

describe('stepAtAxisValue', () => {
  it('reads a value step axis as the step itself', () => {
    expect(stepAtAxisValue(lineOption(), 42.5)).toBe(42.5);
  });

  it('reads a bucketed category axis as the first step of the clicked bucket', () => {
    const o: EChartsOption = { xAxis: { type: 'category', id: STEP_AXIS_ID, data: [0, 100, 200] }, series: [] };
    expect(stepAtAxisValue(o, 1)).toBe(100);
    expect(stepAtAxisValue(o, 2.2)).toBe(200);
    expect(stepAtAxisValue(o, 7)).toBeNull();
  });

  it('is null on a chart whose x axis is not in training steps (layers, timesteps)', () => {
    expect(stepAtAxisValue({ xAxis: { type: 'category', data: ['a', 'b'] }, series: [] }, 1)).toBeNull();
    expect(stepAtAxisValue({ xAxis: { type: 'value' }, series: [] }, 1)).toBeNull();
  });
});
