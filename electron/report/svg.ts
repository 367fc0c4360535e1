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
    return withoutHoverStyles(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts puts a style element in its SVG that holds only :hover rules (cursor and
 * pointer events for interactive charts): nothing a printed or static report
 * uses. Dropped, the SVG is plain shapes and text, which every HTML parser takes
 * (happy-dom, for one, loses the rest of the page after a style inside an svg).
 */
function withoutHoverStyles(svg: string): string {
  return svg.replace(/<style\s*>(?:\s*<!\[CDATA\[)?[^<]*?(?:\]\]>\s*)?<\/style>\s*/g, '');
}
