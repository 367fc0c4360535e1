// The horizon of a recurrent layer's ||dL/dh_t|| curve.
import { describe, expect, it } from 'vitest';

import { timeProfile } from '../../../core/diagnosis/detect/timesteps.ts';

describe('timeProfile', () => {
  it('counts the steps back from the end that stay above the fraction', () => {
    const g = Array.from({ length: 10 }, (_, t) => 0.5 ** (9 - t));
    // 0.5^k >= 0.1 for k <= 3: t = 9, 8, 7, 6.
    expect(timeProfile(g, 0.1)).toMatchObject({ horizon: 4, time: 10, ratio: 0.5 ** 9, last: 1 });
  });

  it('gives the whole length for a flat curve and stops at the first dip for a bumpy one', () => {
    expect(timeProfile([1, 1, 1], 0.01)?.horizon).toBe(3);
    expect(timeProfile([1, 1e-5, 1, 1], 0.01)).toMatchObject({ horizon: 2, ratio: 1 });
  });

  it('reads an underflowed first step as ratio 0, and gives up on an unusable last step', () => {
    expect(timeProfile([0, 0.1, 1], 0.01)?.ratio).toBe(0);
    expect(timeProfile([1, 0], 0.01)).toBeNull();
    expect(timeProfile([1, Number.NaN], 0.01)).toBeNull();
    expect(timeProfile([1], 0.01)).toBeNull();
  });
});
