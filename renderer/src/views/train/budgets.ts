/**
 * How much of a long run the live charts draw. Decimated lines keep min/max per
 * bucket (spikes survive), at most about one bucket per pixel of a chart's width
 * and fewer per line where 20+ layers share one chart; heatmaps average traced rows into
 * about one column per pixel, and fewer cells in all than the builders' report
 * defaults, because the live ones are rebuilt up to ten times a second.
 */
export const LOSS_POINTS = 600;
/**
 * The batch accuracy takes only a few values (k right out of a batch) and jumps
 * between them from step to step, so its min/max buckets are a solid band of
 * strokes (see layerPoints for what that costs); fewer of them draw the same band.
 */
export const ACCURACY_POINTS = 200;

/**
 * Points per line where `lines` lines share one chart. What costs is not the
 * points but the canvas raster of a noisy min/max zig-zag (each bucket a stroke
 * from its minimum to its maximum): measured in headless Chromium, 22 lines of
 * 500 such points take 60-280 ms to draw, 22 of 200 about 10 ms. So the budget is
 * shared: about 4,400 points in all, 120 to 500 per line.
 */
export function layerPoints(lines: number): number {
  return Math.round(Math.min(500, Math.max(120, 4400 / Math.max(1, lines))));
}
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
