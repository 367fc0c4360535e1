// How the diagnosis writes numbers and lists of nodes.
import { describe, expect, it } from 'vitest';

import { formatIds, formatNumber, formatPercent, powersOfTen } from '../../../core/diagnosis/texts.ts';

describe('texts formatting', () => {
  it('writes numbers compactly, in plain decimals where they read well', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.25)).toBe('0.25');
    expect(formatNumber(3.14159)).toBe('3.1');
    expect(formatNumber(1234)).toBe('1200');
    expect(formatNumber(1.27e-7)).toBe('1.3e-7');
    expect(formatNumber(1e-6)).toBe('1e-6');
    expect(formatNumber(4.2e9)).toBe('4.2e9');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('infinity');
    expect(formatPercent(0.973)).toBe('97%');
  });

  it('counts powers of ten either way', () => {
    expect(powersOfTen(1.3e-6)).toBe(6);
    expect(powersOfTen(8e5)).toBe(6);
    expect(powersOfTen(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('lists node ids in a sentence, shortening long lists', () => {
    expect(formatIds([])).toBe('');
    expect(formatIds(['a'])).toBe('"a"');
    expect(formatIds(['a', 'b'])).toBe('"a" and "b"');
    expect(formatIds(['a', 'b', 'c', 'd'])).toBe('"a", "b", "c" and "d"');
    expect(formatIds(['s1', 's2', 's3', 's4', 's5'])).toBe('"s1", "s2", … "s5" (5 in all)');
  });
});
