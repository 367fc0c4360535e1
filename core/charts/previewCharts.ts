/**
 * Pure ECharts option builder for a data set preview (the Data view): 2-D sets as
 * a scatter coloured by class, 1-input regression as target over input, sequence
 * sets as a few sequences drawn as lines over time. No DOM, no Node.
 */
import type { EChartsOption } from 'echarts';

import { depthColor } from './style.ts';

/** The part of a datasets.preview result the chart reads. */
export interface PreviewData {
  name: string;
  task: 'classification' | 'regression';
  rows: number;
  features: number;
  steps?: number;
  classes: number;
  /** (rows, features) or (rows, steps, features), row-major. */
  x: Float32Array;
  y: Float32Array;
  /** Names of the features (axis names); absent: x₁, x₂. */
  featureNames?: string[];
  /** Names of the classes (legend); absent: class 0, class 1, ... */
  classNames?: string[];
}

/** Sequences drawn in a sequence preview (more would be a tangle). */
export const PREVIEW_SEQUENCES = 4;

/** Distinct colours for classes (colour-blind safe order: Okabe–Ito). */
const CLASS_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];

export function classColor(k: number): string {
  return CLASS_COLORS[k % CLASS_COLORS.length];
}

function frame(title: string, description: string): EChartsOption {
  return {
    animation: false,
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    aria: { enabled: true, label: { description: `${title}. ${description}` } },
    grid: { left: 60, right: 30, top: 50, bottom: 60 },
  };
}

function rounded(v: number): number {
  return Number(v.toPrecision(4));
}

/** Scatter of the first two features, one series per class (or one for regression). */
function scatterOption(p: PreviewData, title: string): EChartsOption {
  const f = p.features;
  const classes = p.task === 'classification' ? Math.max(1, p.classes) : 1;
  const points: [number, number][][] = Array.from({ length: classes }, () => []);
  const className = (k: number) => p.classNames?.[k] ?? `class ${k}`;
  for (let r = 0; r < p.rows; r++) {
    const k = p.task === 'classification' ? Math.min(classes - 1, Math.max(0, Math.round(p.y[r]))) : 0;
    points[k].push([rounded(p.x[r * f]), rounded(p.x[r * f + 1])]);
  }
  return {
    ...frame(title, `${p.rows} points of the first two inputs${classes > 1 ? `, coloured by class (${classes} classes)` : ''}.`),
    tooltip: { trigger: 'item' },
    legend: classes > 1 ? { bottom: 0, data: points.map((_, k) => className(k)) } : undefined,
    xAxis: { type: 'value', name: p.featureNames?.[0] ?? 'x₁', nameLocation: 'middle', nameGap: 28, scale: true, axisLine: { onZero: false } },
    yAxis: { type: 'value', name: p.featureNames?.[1] ?? 'x₂', nameLocation: 'middle', nameGap: 40, scale: true, axisLine: { onZero: false } },
    series: points.map((data, k) => ({
      type: 'scatter' as const,
      name: classes > 1 ? className(k) : p.name,
      symbolSize: 5,
      color: classColor(k),
      data,
    })),
  };
}

/** Regression with one input: target over input. */
function curveOption(p: PreviewData, title: string): EChartsOption {
  const f = p.features;
  const data: [number, number][] = [];
  for (let r = 0; r < p.rows; r++) data.push([rounded(p.x[r * f]), rounded(p.y[r])]);
  return {
    ...frame(title, `${p.rows} examples: the target over the input.`),
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: 'input x', nameLocation: 'middle', nameGap: 28, scale: true, axisLine: { onZero: false } },
    yAxis: { type: 'value', name: 'target y', nameLocation: 'middle', nameGap: 40, scale: true },
    series: [{ type: 'scatter', name: p.name, symbolSize: 4, color: classColor(0), data }],
  };
}

/** How many rows a preview draws: every row, or PREVIEW_SEQUENCES of a sequence set. */
export function previewRowsShown(p: Pick<PreviewData, 'rows' | 'steps'>): number {
  return p.steps === undefined ? p.rows : Math.min(PREVIEW_SEQUENCES, p.rows);
}

/** A few sequences: every feature of each as a line over the timesteps, one grid row per sequence. */
function sequenceOption(p: PreviewData, title: string): EChartsOption {
  const steps = p.steps ?? 1;
  const f = p.features;
  const shown = previewRowsShown(p);
  const rowHeight = 100 / Math.max(1, shown);
  const grid = Array.from({ length: shown }, (_, s) => ({
    left: 60,
    right: 140,
    // The title and the legend take the top 14%; each sequence gets an equal band below.
    top: `${14 + s * rowHeight * 0.8}%`,
    height: `${rowHeight * 0.8 - 8}%`,
  }));
  const targetText = (r: number) =>
    p.task === 'classification' ? `class ${Math.round(p.y[r])}` : `target ${rounded(p.y[r])}`;
  return {
    ...frame(title, `${shown} of ${p.rows} sequences of ${steps} steps, each input drawn over time.`),
    grid,
    tooltip: { trigger: 'axis' },
    legend: { top: 28, data: Array.from({ length: f }, (_, j) => `input ${j + 1}`) },
    xAxis: grid.map((_, s) => ({
      type: 'value' as const,
      gridIndex: s,
      min: 0,
      max: Math.max(1, steps - 1),
      name: s === shown - 1 ? 'Timestep' : '',
      nameLocation: 'middle' as const,
      nameGap: 24,
    })),
    yAxis: grid.map((_, s) => ({
      type: 'value' as const,
      gridIndex: s,
      scale: true,
      name: targetText(s),
      nameLocation: 'middle' as const,
      nameRotate: 0,
      position: 'right' as const,
      nameGap: 20,
      nameTextStyle: { align: 'left' as const },
      splitNumber: 2,
    })),
    series: Array.from({ length: shown * f }, (_, i) => {
      const s = Math.floor(i / f);
      const j = i % f;
      const data: [number, number][] = [];
      for (let t = 0; t < steps; t++) data.push([t, rounded(p.x[(s * steps + t) * f + j])]);
      return {
        type: 'line' as const,
        name: `input ${j + 1}`,
        xAxisIndex: s,
        yAxisIndex: s,
        showSymbol: steps <= 30,
        symbolSize: 3,
        color: depthColor(j, f),
        lineStyle: { width: 1.2 },
        data,
      };
    }),
  };
}

/** The preview chart of a data set (kind chosen from its shape). */
export function datasetPreviewOption(p: PreviewData, options: { title?: string } = {}): EChartsOption {
  const title = options.title ?? p.name;
  if (p.steps !== undefined) return sequenceOption(p, title);
  if (p.features >= 2) return scatterOption(p, title);
  return curveOption(p, title);
}
