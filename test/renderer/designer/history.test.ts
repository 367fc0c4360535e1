import { describe, expect, it } from 'vitest';

import { createHistory } from '../../../renderer/src/designer/history.ts';

describe('designer history', () => {
  it('undoes and redoes commits in order', () => {
    const h = createHistory('a');
    h.commit('b');
    h.commit('c');
    expect(h.undo()).toBe('b');
    expect(h.undo()).toBe('a');
    expect(h.undo()).toBeNull();
    expect(h.redo()).toBe('b');
    expect(h.redo()).toBe('c');
    expect(h.redo()).toBeNull();
    expect(h.present).toBe('c');
  });

  it('a new commit after undo drops the redo branch', () => {
    const h = createHistory(0);
    h.commit(1);
    h.commit(2);
    h.undo();
    h.commit(3);
    expect(h.canRedo).toBe(false);
    expect(h.undo()).toBe(1);
  });

  it('commits with the same coalesce key in a row make one undo step', () => {
    const h = createHistory('');
    h.commit('3', 'param:d1:units');
    h.commit('32', 'param:d1:units');
    h.commit('320', 'param:d1:units');
    expect(h.present).toBe('320');
    expect(h.undo()).toBe('');
  });

  it('a different key, an undo or seal() ends a coalescing run', () => {
    const h = createHistory(0);
    h.commit(1, 'k');
    h.commit(2, 'other');
    h.commit(3, 'other');
    h.seal();
    h.commit(4, 'other');
    expect(h.undo()).toBe(3);
    expect(h.undo()).toBe(1);
    expect(h.undo()).toBe(0);
  });

  it('keeps at most `limit` undo steps, dropping the oldest', () => {
    const h = createHistory(0, 3);
    for (let i = 1; i <= 10; i++) h.commit(i);
    expect(h.undo()).toBe(9);
    expect(h.undo()).toBe(8);
    expect(h.undo()).toBe(7);
    expect(h.undo()).toBeNull();
  });

  it('reset forgets everything', () => {
    const h = createHistory('a');
    h.commit('b');
    h.reset('z');
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(false);
    expect(h.present).toBe('z');
  });
});
