/**
 * Chart export: a chart's full option (its title, axes and legend, as the report
 * draws it) rendered by a temporary ECharts instance into a PNG or an SVG file,
 * then handed to the browser as a download. The temporary instance, not the one
 * on screen, renders the file: the screen's chart hides its title (the card's
 * heading shows it), may be dark, and has the size of the page. The page loads
 * this module (and with it ECharts' SVG renderer) on the first export only.
 */
import type { EChartsOption } from 'echarts';
import { SVGRenderer } from 'echarts/renderers';

import { echarts } from './echarts.ts';

echarts.use([SVGRenderer]);

export type ExportFormat = 'png' | 'svg';

export interface ExportSize {
  width: number;
  height: number;
}

/** The size of an exported chart (px; a PNG has twice as many pixels each way). */
export const EXPORT_SIZE: ExportSize = { width: 960, height: 560 };
const PNG_PIXEL_RATIO = 2;

/** The option as a file shows it: light, white, title visible, no animation. */
export function fileOption(option: EChartsOption): EChartsOption {
  const title = option.title && !Array.isArray(option.title) ? { ...option.title, show: true } : option.title;
  return { ...option, title, animation: false, backgroundColor: '#ffffff' };
}

/** The chart as an SVG document (the SVG renderer's server-side mode needs no DOM element). */
export function chartSvg(option: EChartsOption, size: ExportSize = EXPORT_SIZE): string {
  const chart = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(fileOption(option));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as PNG bytes, drawn on a canvas that never enters the page. */
export function chartPng(option: EChartsOption, size: ExportSize = EXPORT_SIZE): Blob {
  const el = document.createElement('div');
  const chart = echarts.init(el, undefined, { renderer: 'canvas', width: size.width, height: size.height });
  try {
    chart.setOption(fileOption(option));
    return dataUrlBlob(chart.getDataURL({ type: 'png', pixelRatio: PNG_PIXEL_RATIO, backgroundColor: '#ffffff' }));
  } finally {
    chart.dispose();
  }
}

/** A data: URL's bytes (decoded here: the page's CSP does not let fetch() read data: URLs). */
export function dataUrlBlob(url: string): Blob {
  const comma = url.indexOf(',');
  const type = /^data:([^;,]+)/.exec(url)?.[1] ?? 'application/octet-stream';
  const binary = atob(url.slice(comma + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/**
 * A file name for an exported chart: "vglab-<run>-<chart>[-step-N].<ext>", the
 * parts lower-cased with anything but letters, digits and dashes turned into dashes.
 */
export function chartFileName(run: string, chart: string, format: ExportFormat, step?: number | null): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'chart';
  const at = step === undefined || step === null ? '' : `-step-${step}`;
  return `vglab-${slug(run)}-${slug(chart)}${at}.${format}`;
}

/** Saves `blob` as a download (browser mode; Electron saves downloads the same way). */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked on the next turn: some browsers start the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Renders `option` in `format` and downloads it as `fileName`. */
export function exportChart(option: EChartsOption, format: ExportFormat, fileName: string, size: ExportSize = EXPORT_SIZE): void {
  const blob = format === 'svg' ? new Blob([chartSvg(option, size)], { type: 'image/svg+xml' }) : chartPng(option, size);
  saveBlob(fileName, blob);
}
