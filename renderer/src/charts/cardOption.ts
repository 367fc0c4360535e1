/**
 * What a chart card draws on screen from a builder's full option: the card's
 * heading already names the chart, so the option's own title (kept for exported
 * files and the report) is hidden and the plot moves up into its room. The
 * title's subtext (what the colour shows, a horizon's reach) becomes the card's
 * caption instead of being lost.
 */
import type { EChartsOption } from 'echarts';

/** Top margin of a grid once the title is hidden (px). */
const BARE_TOP = 24;

type GridLike = { top?: unknown };

function lift<T extends GridLike>(grid: T): T {
  return typeof grid.top === 'number' ? { ...grid, top: Math.min(grid.top, BARE_TOP) } : grid;
}

/**
 * `option` without its title, every grid whose top is in pixels lifted to BARE_TOP
 * (grids laid on top of each other, as the decision boundary's, stay aligned; a
 * top in percent, a lower grid, stays where it is).
 */
export function bareOption(option: EChartsOption): EChartsOption {
  const grid = option.grid;
  const lifted = Array.isArray(grid) ? grid.map((g) => lift(g as GridLike)) : grid ? lift(grid as GridLike) : grid;
  return { ...option, title: { show: false }, grid: lifted as EChartsOption['grid'] };
}

/** The title's subtext of `option` ('' when it has none). */
export function optionSubtitle(option: EChartsOption | null): string {
  const title = option?.title;
  if (!title || Array.isArray(title)) return '';
  const sub = (title as { subtext?: unknown }).subtext;
  return typeof sub === 'string' ? sub : '';
}
