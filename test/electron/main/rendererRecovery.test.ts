import { describe, expect, it } from 'vitest';

import { isCrash, ReloadBudget } from '../../../electron/main/rendererRecovery.ts';

describe('reloading a crashed page', () => {
  it('reloads up to three crashes a minute, then stops', () => {
    const budget = new ReloadBudget(3, 60_000);
    expect([0, 1000, 2000, 3000].map((t) => budget.allow(t))).toEqual([true, true, true, false]);
  });

  it('forgets crashes older than the window', () => {
    const budget = new ReloadBudget(3, 60_000);
    for (const t of [0, 1000, 2000]) budget.allow(t);
    expect(budget.allow(62_500)).toBe(true);
  });

  it('a clean exit is not a crash', () => {
    expect(isCrash('clean-exit')).toBe(false);
    expect(['crashed', 'oom', 'killed', 'abnormal-exit', 'launch-failed'].every(isCrash)).toBe(true);
  });
});
