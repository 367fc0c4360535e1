// The test part on the charts: the loss chart's dashed test loss, the accuracy
// chart's batch and test accuracy, and nothing extra for a run without a test part.
import { describe, expect, it } from 'vitest';

import { accuracyOption, evaluationPairs, hasAccuracy, lossOption } from '../../../core/charts/traceCharts.ts';
import { evaluationMetric } from '../../../core/traces/evaluation.ts';
import { allocateTraceColumns, traceMetric, type TraceColumns } from '../../../core/traces/metrics.ts';

type AnyOption = Record<string, any>; // loose: the tests read into ECharts unions

function columns(steps: number, evaluated: boolean, regression = false): TraceColumns {
  const cols = allocateTraceColumns(0, ['x', 'out'], ['out.weight'], false, steps);
  for (let s = 0; s < steps; s++) {
    cols.metrics.loss[s] = 1 / (1 + s);
    cols.metrics.accuracy[s] = regression ? Number.NaN : Math.min(1, s / steps + 0.25);
  }
  if (evaluated) {
    cols.evaluation = {
      steps: Int32Array.of(0, 50, 100),
      metrics: {
        test_loss: Float32Array.of(1.5, 0.75, 0.5),
        test_accuracy: regression ? Float32Array.of(Number.NaN, Number.NaN, Number.NaN) : Float32Array.of(0.25, 0.5, 0.875),
      },
    };
  }
  return cols;
}

describe('the loss chart with a test part', () => {
  it('overlays the test loss as a dashed line at each evaluated step, with a legend naming both lines', () => {
    const o = lossOption(columns(100, true)) as AnyOption;
    expect(o.series).toHaveLength(2);
    expect(o.series[1].name).toBe(evaluationMetric('test_loss').label);
    expect(o.series[1].lineStyle.type).toBe('dashed');
    expect(o.series[1].data).toEqual([
      [0, 1.5],
      [50, 0.75],
      [100, 0.5],
    ]);
    expect(o.legend.data).toEqual([traceMetric('loss').label, 'Test loss']);
  });

  it('stays one line without a legend for a run that kept no test part', () => {
    const o = lossOption(columns(100, false)) as AnyOption;
    expect(o.series).toHaveLength(1);
    expect(o.legend).toBeUndefined();
  });
});

describe('the accuracy chart', () => {
  it('draws the batch accuracy over every step and the test accuracy dashed, on a 0 to 1 axis', () => {
    const o = accuracyOption(columns(100, true)) as AnyOption;
    expect(o.yAxis).toMatchObject({ min: 0, max: 1 });
    expect(o.series[0].data).toHaveLength(100);
    expect(o.series[0].name).toBe('Accuracy (batch)');
    expect(o.series[1]).toMatchObject({ name: 'Test accuracy', lineStyle: { type: 'dashed' } });
    expect(o.series[1].data.at(-1)).toEqual([100, 0.875]);
    expect(o.aria.label.description).toContain(traceMetric('accuracy').tooltip);
  });

  it('tells a regression apart (no accuracy), and its test accuracy pairs are gaps, not zeros', () => {
    expect(hasAccuracy(columns(10, true))).toBe(true);
    expect(hasAccuracy(columns(10, true, true))).toBe(false);
    expect(evaluationPairs(columns(10, true, true), 'test_accuracy').map(([, v]) => v)).toEqual([null, null, null]);
    expect(evaluationPairs(columns(10, false), 'test_loss')).toEqual([]);
  });
});
