// "Fit the network in view", kept readable: the zoom that shows the whole network,
// but never below MIN_FIT_ZOOM (a 150-node network fitted whole is a smear of
// 3-pixel text). When the network is larger than the canvas at that zoom, the view
// centres on the selection, or starts at the network's top-left corner (the input
// end); the minimap and panning reach the rest. Nothing is fitted under the
// minimap's corner: a card there cannot be clicked.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** Below this zoom a node card's text cannot be read (it is 13 px at zoom 1). */
export const MIN_FIT_ZOOM = 0.5;

export interface FitOptions {
  /** Space kept free around the network, as a share of the canvas (each side). */
  padding?: number;
  maxZoom?: number;
  minZoom?: number;
  /** What to show when the whole network does not fit: the selected nodes' box. */
  focus?: Rect | null;
  /** An overlay in the canvas's bottom-right corner (the minimap, with its margin), px. */
  corner?: { width: number; height: number } | null;
}

/** The screen area the network may use: [left, right) x [top, bottom), px. */
interface Area {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Where the network goes along one axis: its start's screen coordinate, flow * zoom + this. */
function offset(start: number, size: number, lo: number, hi: number, zoom: number, focus?: { start: number; size: number }): number {
  // It fits: centred in the area.
  if (size * zoom <= hi - lo) return (lo + hi) / 2 - (start + size / 2) * zoom;
  const atStart = lo - start * zoom;
  if (!focus) return atStart;
  // Too large: the focus centred, but no empty space shown beyond the network's ends.
  const atEnd = hi - (start + size) * zoom;
  return Math.min(atStart, Math.max(atEnd, (lo + hi) / 2 - (focus.start + focus.size / 2) * zoom));
}

function fitIn(bounds: Rect, area: Area, zoomRange: [number, number], focus: Rect | null): Viewport {
  const whole = Math.min((area.right - area.left) / Math.max(1, bounds.width), (area.bottom - area.top) / Math.max(1, bounds.height));
  const zoom = Math.min(zoomRange[1], Math.max(zoomRange[0], whole));
  const f = focus ?? undefined;
  return {
    x: offset(bounds.x, bounds.width, area.left, area.right, zoom, f && { start: f.x, size: f.width }),
    y: offset(bounds.y, bounds.height, area.top, area.bottom, zoom, f && { start: f.y, size: f.height }),
    zoom,
  };
}

/**
 * The viewport (Vue Flow's: screen = flow * zoom + (x, y)) that shows `bounds` (flow
 * coordinates) on a canvas of `view` pixels, within the zoom limits. When the fitted
 * network would reach under `corner`, it is fitted above it or left of it, whichever
 * keeps the larger zoom.
 */
export function fitViewport(bounds: Rect, view: { width: number; height: number }, options: FitOptions = {}): Viewport {
  const padding = options.padding ?? 0.06;
  const maxZoom = options.maxZoom ?? 1.2;
  const range: [number, number] = [Math.min(options.minZoom ?? MIN_FIT_ZOOM, maxZoom), maxZoom];
  const focus = options.focus ?? null;
  const area: Area = {
    left: view.width * padding,
    right: view.width * (1 - padding),
    top: view.height * padding,
    bottom: view.height * (1 - padding),
  };
  const plain = fitIn(bounds, area, range, focus);
  const corner = options.corner;
  if (!corner) return plain;
  const right = (bounds.x + bounds.width) * plain.zoom + plain.x;
  const bottom = (bounds.y + bounds.height) * plain.zoom + plain.y;
  if (right <= view.width - corner.width || bottom <= view.height - corner.height) return plain;
  const above = fitIn(bounds, { ...area, bottom: Math.min(area.bottom, view.height - corner.height) }, range, focus);
  const beside = fitIn(bounds, { ...area, right: Math.min(area.right, view.width - corner.width) }, range, focus);
  return above.zoom >= beside.zoom ? above : beside;
}
