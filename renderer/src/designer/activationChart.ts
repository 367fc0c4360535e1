// The ECharts option of the inspector's activation plot: f and f' on [-5, 5],
// with the derivative's bound drawn as a dashed line. Pure, so it is tested in
// Node and the component only hands it to ECharts.
import type { EChartsOption } from 'echarts';

import { sampleCurve, type ActivationCurve } from '../../../core/network/activationCurves.ts';

export interface ChartColors {
  fg: string;
  muted: string;
  curve: string;
  derivative: string;
}

/** Plot range of x; wide enough to show sigmoid and tanh saturate. */
const X_RANGE = 5;

export function activationChartOption(curve: ActivationCurve, colors: ChartColors): EChartsOption {
  const s = sampleCurve(curve, -X_RANGE, X_RANGE, 201);
  const pairs = (ys: number[]) => s.x.map((x, i) => [x, ys[i]]);
  return {
    animation: false,
    grid: { left: 36, right: 12, top: 28, bottom: 24 },
    legend: { top: 0, textStyle: { color: colors.fg, fontSize: 11 }, itemHeight: 8 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(3) : String(v)) },
    xAxis: {
      type: 'value',
      min: -X_RANGE,
      max: X_RANGE,
      axisLabel: { color: colors.muted, fontSize: 10 },
      axisLine: { lineStyle: { color: colors.muted } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      axisLabel: { color: colors.muted, fontSize: 10 },
      splitLine: { lineStyle: { color: colors.muted, opacity: 0.2 } },
    },
    series: [
      { name: 'f(x)', type: 'line', showSymbol: false, data: pairs(s.y), lineStyle: { color: colors.curve, width: 2 }, itemStyle: { color: colors.curve } },
      {
        name: "f'(x)",
        type: 'line',
        showSymbol: false,
        data: pairs(s.dy),
        lineStyle: { color: colors.derivative, width: 2 },
        itemStyle: { color: colors.derivative },
        markLine: {
          silent: true,
          symbol: 'none',
          label: { formatter: `max ${formatBound(curve.derivativeMax)}`, color: colors.derivative, fontSize: 10, position: 'insideEndTop' },
          lineStyle: { color: colors.derivative, type: 'dashed' },
          data: [{ yAxis: curve.derivativeMax }],
        },
      },
    ],
  };
}

/** 0.25, 1, 1.129: at most 4 significant digits, no trailing zeros. */
export function formatBound(v: number): string {
  return String(Number(v.toPrecision(4)));
}
