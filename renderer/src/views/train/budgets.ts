/**
 * How much of a long run the live charts draw. Decimated lines keep min/max per
 * bucket (spikes survive) at about two points per pixel of a chart's width, fewer
 * per line where 20+ layers share one chart; heatmaps average traced rows into
 * about one column per pixel, and fewer cells in all than the builders' report
 * defaults, because the live ones are rebuilt up to ten times a second.
 */
export const LOSS_POINTS = 1200;
export const LAYER_POINTS = 500;
/**
 * ECharts draws one rectangle per heatmap cell and builds them all again on every
 * update: measured in headless Chromium, about 10 ms per thousand cells with the
 * painting. While a run trains its heatmaps redraw every HEATMAP_REDRAW_MS, so
 * they keep to a few thousand cells (a task a student does not notice); at rest
 * they are drawn once, finer.
 */
export const LIVE_HEATMAP_BUDGET = { maxColumns: 200, maxCells: 5_000 } as const;
export const HEATMAP_BUDGET = { maxColumns: 500, maxCells: 16_000 } as const;
/** Heatmaps follow a training run at most this often (ms); lines follow every redraw. */
export const HEATMAP_REDRAW_MS = 500;
/** More layers than this and saturation reads better as a heatmap than as lines. */
export const SATURATION_LINES_MAX = 12;
