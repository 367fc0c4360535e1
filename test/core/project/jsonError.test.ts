import { describe, expect, it } from 'vitest';

import { jsonErrorOffset } from '../../../core/project/jsonError.ts';

describe('jsonErrorOffset', () => {
  it('returns -1 for valid JSON of every kind', () => {
    for (const text of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]} ', '"s"', '0']) {
      expect(jsonErrorOffset(text), text).toBe(-1);
    }
  });

  it('points at the first wrong character', () => {
    expect(jsonErrorOffset('{"a": oops}')).toBe(6);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('[1 2]')).toBe(3);
    expect(jsonErrorOffset('{"a": "\\x"}')).toBe(8);
    expect(jsonErrorOffset('{} x')).toBe(3);
  });

  it('points at the end of text cut short', () => {
    expect(jsonErrorOffset('{"a": [1, 2')).toBe(11);
    expect(jsonErrorOffset('{"a": "abc')).toBe(10);
    expect(jsonErrorOffset('')).toBe(0);
  });
});
