// The live charts' point budget: lines sharing a chart share about 4,400 points
// (the canvas raster of dense zig-zags is what costs), within 120..500 per line.
import { describe, expect, it } from 'vitest';

import { layerPoints } from '../../../renderer/src/views/train/budgets.ts';

describe('layerPoints', () => {
  it('gives few lines their full detail and shares the budget among many', () => {
    expect(layerPoints(1)).toBe(500);
    expect(layerPoints(2)).toBe(500);
    expect(layerPoints(22)).toBe(200);
    expect(layerPoints(100)).toBe(120);
    expect(layerPoints(0)).toBe(500);
  });
});
