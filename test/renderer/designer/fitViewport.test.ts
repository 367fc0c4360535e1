// Fit view: the whole network when it is readable so, otherwise the smallest
// readable zoom showing the selection, or the network's start.
import { describe, expect, it } from 'vitest';

import { fitViewport, MIN_FIT_ZOOM, type Rect, type Viewport } from '../../../renderer/src/designer/fitViewport.ts';

const VIEW = { width: 800, height: 500 };

/** Where a flow point lands on the screen. */
function screen(v: Viewport, x: number, y: number): { x: number; y: number } {
  return { x: x * v.zoom + v.x, y: y * v.zoom + v.y };
}

describe('fitViewport', () => {
  it('centres a small network, no closer than maxZoom', () => {
    const bounds: Rect = { x: 100, y: 50, width: 200, height: 100 };
    const v = fitViewport(bounds, VIEW, { maxZoom: 1.2 });
    expect(v.zoom).toBe(1.2);
    const centre = screen(v, 200, 100);
    expect(centre.x).toBeCloseTo(400);
    expect(centre.y).toBeCloseTo(250);
  });

  it('shrinks a network that fits at a readable zoom to show all of it', () => {
    const bounds: Rect = { x: 0, y: 0, width: 1200, height: 600 };
    const v = fitViewport(bounds, VIEW, { padding: 0.05 });
    expect(v.zoom).toBeCloseTo(Math.min(720 / 1200, 450 / 600));
    const a = screen(v, 0, 0);
    const b = screen(v, 1200, 600);
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(b.x).toBeLessThanOrEqual(800);
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(b.y).toBeLessThanOrEqual(500);
  });

  it('keeps a huge network at the readable minimum, starting at its top-left corner', () => {
    const bounds: Rect = { x: -40, y: 10, width: 5000, height: 3000 };
    const v = fitViewport(bounds, VIEW, { padding: 0.05 });
    expect(v.zoom).toBe(MIN_FIT_ZOOM);
    const start = screen(v, -40, 10);
    expect(start.x).toBeCloseTo(40);
    expect(start.y).toBeCloseTo(25);
  });

  it('centres the selection of a huge network, without showing space past its edges', () => {
    const bounds: Rect = { x: 0, y: 0, width: 5000, height: 3000 };
    const middle = fitViewport(bounds, VIEW, { focus: { x: 2500, y: 1500, width: 100, height: 60 } });
    expect(screen(middle, 2550, 1530).x).toBeCloseTo(400);
    expect(screen(middle, 2550, 1530).y).toBeCloseTo(250);
    // A selection at the far corner: the network's end stays at the canvas's edge, not beyond.
    const corner = fitViewport(bounds, VIEW, { padding: 0, focus: { x: 4950, y: 2950, width: 50, height: 50 } });
    expect(screen(corner, 5000, 3000).x).toBeCloseTo(800);
    expect(screen(corner, 5000, 3000).y).toBeCloseTo(500);
  });

  it('keeps a network that would reach under the minimap above it or beside it', () => {
    const corner = { width: 190, height: 130 };
    // A wide network: fitting it above the minimap costs less zoom than beside it.
    const wide: Rect = { x: 0, y: 0, width: 1500, height: 800 };
    const v = fitViewport(wide, VIEW, { padding: 0, minZoom: 0.1, corner });
    expect(v.zoom).toBeCloseTo(370 / 800);
    expect(screen(v, 0, 800).y).toBeLessThanOrEqual(370 + 1e-9);
    // A square one: beside it costs no zoom at all.
    const square: Rect = { x: 0, y: 0, width: 1000, height: 1000 };
    const t = fitViewport(square, VIEW, { padding: 0, minZoom: 0.1, corner });
    expect(t.zoom).toBeCloseTo(0.5);
    expect(screen(t, 1000, 0).x).toBeLessThanOrEqual(610 + 1e-9);
    // Clear of the corner already: the plain fit.
    const small: Rect = { x: 0, y: 0, width: 100, height: 100 };
    expect(fitViewport(small, VIEW, { corner })).toEqual(fitViewport(small, VIEW));
  });
});
