/**
 * Shared look of the trace charts: the depth palette and the axis pieces every
 * builder uses. Pure (no Node or DOM), so the renderer and the report agree.
 */
import type { TraceMetric } from '../traces/metrics.ts';

/** Colour of the first layer (input side) and of the last (output side). */
const SHALLOW = [0x1f, 0x77, 0xb4];
const DEEP = [0xd6, 0x27, 0x28];

/**
 * The colour of the layer at `index` of `count` (plan order): blue at the input,
 * red at the output, so a fan of lines reads from the first layer to the last.
 */
export function depthColor(index: number, count: number): string {
  const t = count <= 1 ? 0 : index / (count - 1);
  const hex = SHALLOW.map((a, k) => Math.round(a + (DEEP[k] - a) * t).toString(16).padStart(2, '0'));
  return `#${hex.join('')}`;
}

/** The axis title of a metric: its label, with its unit when it has one. */
export function metricAxisName(m: Pick<TraceMetric, 'label' | 'unit'>): string {
  return m.unit ? `${m.label} (${m.unit})` : m.label;
}

/**
 * A value for a log axis: positive and finite, else null (a gap). A log axis cannot
 * show 0 or a negative number, and NaN means "does not apply".
 */
export function logSafe(v: number): number | null {
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** Formats a number for a tooltip: 3 significant digits, exponent form when tiny or huge. */
export function formatValue(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

/**
 * A tick label of a log axis: powers of ten from 1e-3 to 1e3 written out, the rest
 * as 1e-7 (ECharts would print 0.0000001, or 0.00009999999 after rounding).
 */
export function formatLogTick(v: number): string {
  if (!(v > 0) || !Number.isFinite(v)) return '';
  const exp = Math.round(Math.log10(v));
  if (Math.abs(v / 10 ** exp - 1) < 1e-6) return Math.abs(exp) <= 3 ? String(Number((10 ** exp).toPrecision(1))) : `1e${exp}`;
  return formatValue(v);
}
