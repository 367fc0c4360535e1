/**
 * How long the chart option builders take on a long run: 50,000 traced steps of a
 * 20-layer network (41 nodes, 40 parameter tensors), the size the live charts must
 * stay smooth at. Synthetic but realistic columns: norms decaying with depth and
 * drifting over steps, so decimation and bucketing do real work.
 */
import { layerGradNormsOption, lossOption, gradientProfileOption } from '../core/charts/traceCharts.ts';
import { layerHeatmapOption } from '../core/charts/layerHeatmap.ts';
import { gradientFlowOption } from '../core/charts/gradientFlow.ts';
import { saturationLinesOption } from '../core/charts/saturation.ts';
import { gradientHistogramOption } from '../core/charts/histogramCharts.ts';
import { HIST_STRIDE, allocateTraceColumns, type TraceColumns } from '../core/traces/metrics.ts';

export const CHART_STEPS = 50_000;
export const CHART_LAYERS = 20;

function longRun(steps: number, layers: number): TraceColumns {
  const nodeIds = ['x'];
  const paramNames: string[] = [];
  for (let i = 1; i <= layers; i++) {
    nodeIds.push(`dense${i}`, `sigmoid${i}`);
    paramNames.push(`dense${i}.weight`, `dense${i}.bias`);
  }
  const cols = allocateTraceColumns(steps, nodeIds, paramNames, true);
  for (let r = 0; r < steps; r++) {
    cols.steps[r] = r;
    cols.metrics.loss[r] = 1 / (1 + r / 5000) + 0.01 * Math.sin(r);
    cols.metrics.accuracy[r] = 1 - cols.metrics.loss[r] / 2;
    for (let n = 0; n < nodeIds.length; n++) {
      const i = r * nodeIds.length + n;
      cols.metrics.out_grad_norm[i] = 10 ** (-0.3 * (nodeIds.length - n)) * (1 + 0.1 * Math.sin(r / 50 + n));
      cols.metrics.saturated_frac[i] = n % 2 === 0 ? 0.5 + 0.4 * Math.sin(r / 1000 + n) : NaN;
    }
    for (let p = 0; p < paramNames.length; p++) {
      const i = r * paramNames.length + p;
      const g = 10 ** (-0.3 * (paramNames.length - p)) * (1 + 0.2 * Math.cos(r / 70 + p));
      cols.metrics.grad_norm[i] = g;
      cols.metrics.grad_mean_abs[i] = g / 30;
      cols.metrics.grad_max_abs[i] = g / 3;
      const h = (r * paramNames.length + p) * HIST_STRIDE;
      for (let b = 0; b < HIST_STRIDE; b++) cols.histogram[h + b] = (b * 7 + r + p) % 23;
    }
  }
  return cols;
}

export interface ChartTiming {
  chart: string;
  medianMs: number;
}

/** Median build time of each builder over `repeats` builds. */
export function benchCharts(repeats = 7): ChartTiming[] {
  const cols = longRun(CHART_STEPS, CHART_LAYERS);
  const last = CHART_STEPS - 1;
  const builders: [string, () => unknown][] = [
    ['loss', () => lossOption(cols)],
    ['gradient norm per layer', () => layerGradNormsOption(cols)],
    ['gradient profile at a step', () => gradientProfileOption(cols, last)],
    ['layer x step heatmap', () => layerHeatmapOption(cols)],
    ['gradient flow bars', () => gradientFlowOption(cols, last)],
    ['saturation per layer', () => saturationLinesOption(cols)],
    ['log10|g| histogram over time', () => gradientHistogramOption(cols, 0)],
  ];
  return builders.map(([chart, build]) => {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      build();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { chart, medianMs: times[Math.floor(times.length / 2)] };
  });
}
