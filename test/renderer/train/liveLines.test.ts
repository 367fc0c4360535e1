// The live charts' lines are decimated as rows arrive: the same as decimating the
// whole series each time, and started over for another run or other rows.
import { describe, expect, it } from 'vitest';

import { StreamDecimator } from '../../../core/charts/decimate.ts';
import { LiveLines, type LineSource } from '../../../renderer/src/views/train/liveLines.ts';

function source(key: string, rows: number, lines = 3, offset = 0): LineSource {
  return { key, lines, rows, x: (r) => r * 2, y: (k, r) => Math.sin(r / 13 + k + offset) + k };
}

function whole(src: LineSource, max: number) {
  return Array.from({ length: src.lines }, (_, k) => {
    const d = new StreamDecimator(max);
    for (let r = 0; r < src.rows; r++) d.push(src.x(r), src.y(k, r));
    return d.pairs();
  });
}

describe('LiveLines', () => {
  it('takes only the new rows and equals decimating them all', () => {
    const lines = new LiveLines();
    let read = 0;
    let taken = 0;
    for (const rows of [0, 5, 200, 201, 3000, 10_000]) {
      const src = source('r1', rows);
      const counting: LineSource = { ...src, y: (k, r) => (read++, src.y(k, r)) };
      const before = read;
      expect(lines.update(counting, 120)).toEqual(whole(src, 120));
      // Each line's new rows once, and the last row taken checked (and noted) again.
      expect(read - before).toBeLessThanOrEqual(3 * (rows - taken) + 2);
      taken = rows;
    }
  });

  it('starts over for another run, other lines, another budget, or rows that are not the ones taken', () => {
    const lines = new LiveLines();
    lines.update(source('r1', 500), 120);
    expect(lines.update(source('r2', 300), 120)).toEqual(whole(source('r2', 300), 120));
    expect(lines.update(source('r2', 300, 2), 120)).toEqual(whole(source('r2', 300, 2), 120));
    expect(lines.update(source('r2', 300, 2), 60)).toEqual(whole(source('r2', 300, 2), 60));
    // Restarted: fewer rows.
    expect(lines.update(source('r2', 100, 2), 60)).toEqual(whole(source('r2', 100, 2), 60));
    // Refetched with other values under the same key and more rows.
    expect(lines.update(source('r2', 400, 2, 1), 60)).toEqual(whole(source('r2', 400, 2, 1), 60));
  });
});
