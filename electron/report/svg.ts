/**
 * Renders a chart option to a standalone SVG string with ECharts' server-side
 * renderer (no DOM, no canvas): the same option builders the app shows, drawn
 * for reports and exports.
 */
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

/** The SVG markup of `option` drawn at `width` x `height` CSS pixels. */
export function renderSvg(option: EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
