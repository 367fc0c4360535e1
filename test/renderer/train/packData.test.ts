// Line data reaches ECharts as one Float64Array (x, y, ...; NaN for a gap) instead
// of one small array per point; anything else is left as it is.
import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';

import { packLineData, packPairs } from '../../../renderer/src/charts/packData.ts';

describe('packData', () => {
  it('packs [x, y] pairs, a null y as NaN', () => {
    expect(Array.from(packPairs([[0, 1], [2, null], [4, 0.5]])!)).toEqual([0, 1, 2, Number.NaN, 4, 0.5]);
  });

  it('leaves what is not a list of number pairs', () => {
    expect(packPairs([])).toBeNull();
    expect(packPairs([[0, 1, 2]])).toBeNull();
    expect(packPairs([{ value: 1 }])).toBeNull();
    expect(packPairs([['a', 1]])).toBeNull();
    expect(packPairs(new Float64Array(4))).toBeNull();
  });

  it('packs only line series, with named x and y dimensions', () => {
    const option: EChartsOption = {
      series: [
        { type: 'line', name: 'a', data: [[0, 1], [1, 2]] },
        { type: 'bar', data: [1, 2] },
        { type: 'line', id: 'cursor', data: [] },
        { type: 'line', data: [[0, 1]], encode: { x: 1, y: 0 } },
      ],
    };
    const packed = packLineData(option).series as Record<string, unknown>[];
    expect(packed[0].data).toBeInstanceOf(Float64Array);
    expect(packed[0].dimensions).toEqual(['x', 'y']);
    expect(packed[0].name).toBe('a');
    expect(packed.slice(1)).toEqual((option.series as unknown[]).slice(1));
    // The option given is not changed.
    expect(Array.isArray((option.series as { data: unknown }[])[0].data)).toBe(true);
    const none: EChartsOption = { series: [{ type: 'bar', data: [1] }] };
    expect(packLineData(none)).toBe(none);
  });
});
