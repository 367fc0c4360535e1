/**
 * Line series data as ECharts takes it cheapest. The builders give a line's data
 * as [x, y] pairs (y null for a gap); ECharts copies such an option deeply on every
 * setOption, one small array per point, which on a live chart of 21 lines is
 * thousands of objects ten times a second for the garbage collector. The same
 * points as one Float64Array (x, y, x, y, ..., NaN for a gap) with two named
 * dimensions draw the same line, gaps included, and copy as one block.
 */
import type { EChartsOption } from 'echarts';

type Series = Record<string, unknown>;

/** `data` as x, y, x, y, ... when every item is an [x, y] pair of numbers (y may be null); else null. */
export function packPairs(data: unknown): Float64Array | null {
  if (!Array.isArray(data) || data.length === 0) return null;
  const out = new Float64Array(data.length * 2);
  for (let i = 0; i < data.length; i++) {
    const p = data[i] as unknown;
    if (!Array.isArray(p) || p.length !== 2) return null;
    const [x, y] = p as unknown[];
    if (typeof x !== 'number' || (y !== null && typeof y !== 'number')) return null;
    out[2 * i] = x;
    out[2 * i + 1] = y === null ? Number.NaN : y;
  }
  return out;
}

/** `option` with its line series' pair data packed (packPairs); other series and data as they are. */
export function packLineData(option: EChartsOption): EChartsOption {
  const list = option.series as unknown;
  if (!Array.isArray(list)) return option;
  let changed = false;
  const series = (list as Series[]).map((s) => {
    if (s.type !== 'line' || s.dimensions !== undefined || s.encode !== undefined) return s;
    const packed = packPairs(s.data);
    if (!packed) return s;
    changed = true;
    return { ...s, data: packed, dimensions: ['x', 'y'] };
  });
  return changed ? { ...option, series: series as EChartsOption['series'] } : option;
}
