// Which runs the Compare view shows: the two latest with traces by default, at
// most four, in the run list's order (the first is the diff's baseline).
import { describe, expect, it } from 'vitest';

import { MAX_COMPARED, defaultPicks, pickedRuns, togglePick } from '../../../renderer/src/views/compare/selection.ts';

const runs = [
  { id: 'a', stepsDone: 100 },
  { id: 'b', stepsDone: 50 },
  { id: 'c', stepsDone: 0 },
  { id: 'd', stepsDone: 10 },
];

describe('compare selection', () => {
  it('defaults to the two latest runs that have trained steps', () => {
    expect(defaultPicks(runs)).toEqual(['b', 'd']);
    expect(defaultPicks([{ id: 'a', stepsDone: 0 }])).toEqual([]);
  });

  it('adds and removes runs, never twice and never more than four', () => {
    expect(togglePick(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(togglePick(['a', 'b'], 'b', true)).toEqual(['a', 'b']);
    expect(togglePick(['a', 'b'], 'a', false)).toEqual(['b']);
    const full = ['a', 'b', 'c', 'd'];
    expect(full).toHaveLength(MAX_COMPARED);
    expect(togglePick(full, 'e', true)).toEqual(full);
  });

  it('lists the picked runs that still exist in run-list order', () => {
    expect(pickedRuns(runs, ['d', 'gone', 'a']).map((r) => r.id)).toEqual(['a', 'd']);
  });
});
