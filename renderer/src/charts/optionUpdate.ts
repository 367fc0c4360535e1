/**
 * What to hand ECharts when a chart's option is rebuilt. The builders return a
 * whole new option every time, but a live chart's next option is nearly always
 * the last one with new series data: same components, same series. Replacing the
 * series (replaceMerge) or the whole option (notMerge) makes ECharts throw away
 * and rebuild every series' model, view and graphic elements; merging the new
 * data into the series it has is much cheaper. So:
 *
 *   - same shape (the same top-level components, the same series by type and id,
 *     each with the same keys): a merge, holding the series and only the
 *     components that changed (compared by value; functions by reference);
 *   - another shape (a series or component came or went): null, set the option
 *     whole with notMerge, so nothing of the old one lingers.
 */
import type { EChartsOption } from 'echarts';

type Obj = Record<string, unknown>;

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function seriesList(option: EChartsOption): Obj[] {
  const s = option.series as unknown;
  return Array.isArray(s) ? (s as Obj[]) : isPlainObject(s) ? [s] : [];
}

/**
 * The shape of an option: its top-level keys and, per series, its type, id and
 * keys. Two options of one shape can be merged one into the other without
 * leaving anything of the first behind.
 */
export function optionShape(option: EChartsOption): string {
  const top = Object.keys(option).sort().join(',');
  const series = seriesList(option)
    .map((s) => `${String(s.type)}#${s.id === undefined ? '' : String(s.id)}(${Object.keys(s).sort().join(',')})`)
    .join(';');
  return `${top}|${series}`;
}

/** Deep equality of option values: plain objects and arrays by content, everything else (functions too) by identity. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    if (!(Array.isArray(b) || ArrayBuffer.isView(b))) return false;
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!(k in b) || !sameValue(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/**
 * The option to merge into a chart showing `prev` so that it shows `next`, or
 * null when their shapes differ (set `next` whole, notMerge). The merge holds
 * every series (ECharts maps them by id, name, then index; each series keeps
 * only its type, id, name and the keys whose values changed) and the top-level
 * components that changed.
 */
export function optionUpdate(prev: EChartsOption | null, next: EChartsOption): EChartsOption | null {
  if (!prev || optionShape(prev) !== optionShape(next)) return null;
  const out: Obj = {};
  for (const [k, v] of Object.entries(next)) {
    if (k === 'series') continue;
    if (!sameValue((prev as Obj)[k], v)) out[k] = v;
  }
  const before = seriesList(prev);
  const after = seriesList(next);
  if (after.length > 0) {
    out.series = after.map((s, i) => {
      const old = before[i];
      const partial: Obj = { type: s.type };
      if (s.id !== undefined) partial.id = s.id;
      if (s.name !== undefined) partial.name = s.name;
      for (const [k, v] of Object.entries(s)) {
        if (k === 'type' || k === 'id' || k === 'name') continue;
        // Data is compared by identity: checking 50,000 points would cost what the merge saves.
        if (k === 'data' ? old[k] !== v : !sameValue(old[k], v)) partial[k] = v;
      }
      return partial;
    });
  }
  return out as EChartsOption;
}
