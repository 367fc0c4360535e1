/**
 * The pieces both reports (a project's and a lab's) build their pages from, so the
 * two read alike and escape alike: key/value tables, captioned figures, settings
 * flattened to rows, and the content policy that keeps any report script-free.
 */
import { escapeHtml } from '../../core/text/escapeHtml.ts';

/**
 * What a report page may load: nothing but its own inline styles and data: images.
 * A report opened in a browser (or the app's preview frame) can run no script even
 * if a text slipped through unescaped.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The <meta> that applies REPORT_CSP to a page opened from a file. */
export const REPORT_CSP_META = `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`;

/** Rows of label and value, both escaped. */
export function keyValueTable(rows: readonly [string, string][]): string {
  const body = rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
  return `<table class="kv">\n${body}\n</table>`;
}

/** An SVG (already markup we rendered) under an escaped caption. */
export function figure(svg: string, caption: string, className?: string): string {
  const cls = className ? ` class="${escapeHtml(className)}"` : '';
  return `<figure${cls}>\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

/** key path -> value rows of a nested settings object ("optimizer.lr", "0.01"). */
export function flattenSettings(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flattenSettings(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, typeof value === 'string' ? value : JSON.stringify(value)]];
}
