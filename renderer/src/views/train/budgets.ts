/**
 * How much of a long run the live charts draw. Decimated lines keep min/max per
 * bucket (spikes survive) at about two points per pixel of a chart's width, fewer
 * per line where 20+ layers share one chart; heatmaps average traced rows into
 * about one column per pixel, and fewer cells in all than the builders' report
 * defaults, because the live ones are rebuilt up to ten times a second.
 */
export const LOSS_POINTS = 1200;
export const LAYER_POINTS = 500;
export const HEATMAP_BUDGET = { maxColumns: 600, maxCells: 60_000 } as const;
/** More layers than this and saturation reads better as a heatmap than as lines. */
export const SATURATION_LINES_MAX = 12;
