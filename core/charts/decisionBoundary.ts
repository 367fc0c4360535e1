/**
 * Decision boundary of a classifier on a 2-D data set: the predicted class over a
 * grid of inputs as coloured cells (paler where the network is unsure), with the
 * data points on top coloured by their true class. boundaryGrid makes the grid's
 * inputs from the data's range; the engine predicts them; the option shows both.
 *
 * ECharts draws a cartesian heatmap only on two category axes, and a scatter needs
 * value axes, so the chart lays two grids exactly on top of each other: the cells
 * on category axes (hidden), the points on value axes whose extent is the cells'
 * outer edges, so cell i's band is centred on its grid coordinate.
 */
import type { EChartsOption, ScatterSeriesOption } from 'echarts';

import { classColor } from './previewCharts.ts';

/** A regular grid: nx points from xMin to xMax (inclusive) by ny points from yMin to yMax. */
export interface BoundaryGridSpec {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  nx: number;
  ny: number;
}

/**
 * The grid over the data's first two features, widened by `margin` (a share of
 * each range, on each side), with `resolution` points per axis, and its inputs:
 * Float32Array (nx * ny, 2), point i = iy * nx + ix at (xMin + ix * dx, yMin + iy * dy).
 * `x` is (rows, 2) row-major. A feature with no spread gets a range of 1 around
 * its value. Throws RangeError unless the data has exactly two features.
 */
export function boundaryGrid(
  x: Float32Array,
  rows: number,
  margin = 0.1,
  resolution = 60,
): { grid: BoundaryGridSpec; inputs: Float32Array } {
  if (!(rows > 0) || x.length !== rows * 2) {
    throw new RangeError(`a decision boundary needs 2-D data: ${x.length} values for ${rows} rows is not (rows, 2)`);
  }
  const n = Math.max(2, Math.floor(resolution));
  const range = (f: number): [number, number] => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < rows; r++) {
      const v = x[r * 2 + f];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo > hi) return [-0.5, 0.5]; // no finite value at all
    if (lo === hi) return [lo - 0.5, hi + 0.5];
    const pad = (hi - lo) * Math.max(0, margin);
    return [lo - pad, hi + pad];
  };
  const [xMin, xMax] = range(0);
  const [yMin, yMax] = range(1);
  const grid = { xMin, xMax, yMin, yMax, nx: n, ny: n };
  const inputs = new Float32Array(n * n * 2);
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const i = iy * n + ix;
      inputs[i * 2] = gridX(grid, ix);
      inputs[i * 2 + 1] = gridY(grid, iy);
    }
  }
  return { grid, inputs };
}

function gridX(g: BoundaryGridSpec, ix: number): number {
  return g.nx === 1 ? g.xMin : g.xMin + ((g.xMax - g.xMin) * ix) / (g.nx - 1);
}

function gridY(g: BoundaryGridSpec, iy: number): number {
  return g.ny === 1 ? g.yMin : g.yMin + ((g.yMax - g.yMin) * iy) / (g.ny - 1);
}

/** The data points of a 2-D classification set. */
export interface BoundaryPoints {
  /** (rows, 2) row-major. */
  x: Float32Array;
  /** Class index of each row. */
  y: Float32Array;
  rows: number;
}

export interface DecisionBoundaryInput {
  grid: BoundaryGridSpec;
  /**
   * (nx * ny, classes) predicted probabilities in boundaryGrid's point order. With
   * one column (a sigmoid output) it is the probability of class 1.
   */
  probabilities: Float32Array;
  classes: number;
  points: BoundaryPoints;
}

export interface DecisionBoundaryOptions {
  title?: string;
  /** Data points drawn at most (every k-th row beyond it); default 2,000. */
  maxPoints?: number;
}

/**
 * Cell colour lightness (HSL): near white where the prediction is a coin toss,
 * deeper where it is certain. Opaque on purpose: ECharts widens every cell by half
 * a pixel so neighbours overlap, and translucent cells would show that as a mesh.
 */
const LIGHTNESS_UNSURE = 0.96;
const LIGHTNESS_SURE = 0.68;

/** Predicted class and its probability at every grid point. */
export function predictedClasses(probabilities: Float32Array, cells: number, classes: number): { cls: Uint8Array; p: Float32Array } {
  const cls = new Uint8Array(cells);
  const p = new Float32Array(cells);
  for (let i = 0; i < cells; i++) {
    if (classes <= 1) {
      const p1 = probabilities[i];
      cls[i] = p1 >= 0.5 ? 1 : 0;
      p[i] = p1 >= 0.5 ? p1 : 1 - p1;
      continue;
    }
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
    cls[i] = best;
    p[i] = probabilities[i * classes + best];
  }
  return { cls, p };
}

/**
 * Predicted class over the grid (cell colour = the class's colour, opacity = how
 * sure the network is) under the data points coloured by their class. Throws
 * RangeError when the probabilities do not fit the grid.
 */
export function decisionBoundaryOption(input: DecisionBoundaryInput, options: DecisionBoundaryOptions = {}): EChartsOption {
  const { grid: g, probabilities, points } = input;
  const classes = Math.max(1, Math.floor(input.classes));
  const cells = g.nx * g.ny;
  if (probabilities.length !== cells * classes) {
    throw new RangeError(`${probabilities.length} probabilities do not fit a ${g.nx} x ${g.ny} grid of ${classes} classes`);
  }
  const shown = Math.max(2, classes); // a single sigmoid column still decides between two classes
  const { cls, p } = predictedClasses(probabilities, cells, classes);
  // [ix, iy, class, sureness]: sureness 0 for a coin toss between the classes, 1 for certainty.
  const data: [number, number, number, number][] = new Array(cells);
  for (let i = 0; i < cells; i++) {
    const sure = Math.min(1, Math.max(0, (p[i] - 1 / shown) / (1 - 1 / shown)));
    data[i] = [i % g.nx, Math.floor(i / g.nx), cls[i], Number.isFinite(sure) ? sure : 0];
  }
  const stride = Math.max(1, Math.ceil(points.rows / (options.maxPoints ?? 2000)));
  const byClass: [number, number][][] = Array.from({ length: shown }, () => []);
  for (let r = 0; r < points.rows; r += stride) {
    const k = Math.round(points.y[r]);
    if (k >= 0 && k < shown) byClass[k].push([points.x[r * 2], points.x[r * 2 + 1]]);
  }
  const dx = g.nx > 1 ? (g.xMax - g.xMin) / (g.nx - 1) : 1;
  const dy = g.ny > 1 ? (g.yMax - g.yMin) / (g.ny - 1) : 1;
  const title = options.title ?? 'Decision boundary';
  const layout = { left: 60, right: 30, top: 50, bottom: 75 };
  const names = byClass.map((_, k) => `class ${k}`);
  const scatter: ScatterSeriesOption[] = byClass.map((pts, k) => ({
    type: 'scatter',
    name: names[k],
    xAxisIndex: 1,
    yAxisIndex: 1,
    symbolSize: 6,
    itemStyle: { color: classColor(k), borderColor: '#ffffff', borderWidth: 0.8 },
    data: pts,
  }));
  const fmt = (v: number) => String(Number(v.toPrecision(3)));
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: {
      enabled: true,
      label: {
        description:
          `${title}. Each cell shows the class the network predicts at that input, paler where it is unsure; ` +
          'the dots are the training data, coloured by their true class.',
      },
    },
    legend: { type: 'plain', bottom: 0, data: names },
    tooltip: { trigger: 'item' },
    grid: [layout, layout],
    // A heatmap takes its colours from visual maps (ECharts insists): hue from the class, lightness from sureness.
    visualMap: [
      {
        type: 'piecewise',
        show: false,
        seriesIndex: 0,
        dimension: 2,
        pieces: Array.from({ length: shown }, (_, k) => ({ value: k, color: classColor(k) })),
      },
      { type: 'continuous', show: false, seriesIndex: 0, dimension: 3, min: 0, max: 1, inRange: { colorLightness: [LIGHTNESS_UNSURE, LIGHTNESS_SURE] } },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: Array.from({ length: g.nx }, (_, i) => i), show: false },
      {
        type: 'value',
        gridIndex: 1,
        min: g.xMin - dx / 2,
        max: g.xMax + dx / 2,
        name: 'Feature 1',
        nameLocation: 'middle',
        nameGap: 28,
        splitLine: { show: false },
        axisLine: { onZero: false },
        // The extremes are cell edges, not round numbers: leave them unlabelled.
        axisLabel: { formatter: fmt, showMinLabel: false, showMaxLabel: false },
      },
    ],
    yAxis: [
      { type: 'category', gridIndex: 0, data: Array.from({ length: g.ny }, (_, i) => i), show: false },
      {
        type: 'value',
        gridIndex: 1,
        min: g.yMin - dy / 2,
        max: g.yMax + dy / 2,
        name: 'Feature 2',
        nameLocation: 'middle',
        nameGap: 40,
        splitLine: { show: false },
        axisLine: { onZero: false },
        // The extremes are cell edges, not round numbers: leave them unlabelled.
        axisLabel: { formatter: fmt, showMinLabel: false, showMaxLabel: false },
      },
    ],
    series: [
      { type: 'heatmap', name: 'Predicted class', xAxisIndex: 0, yAxisIndex: 0, data, progressive: 0, silent: true, emphasis: { disabled: true } },
      ...scatter,
    ],
  };
}
