// The automatic layout: a short network stays one left-to-right row; a long chain
// (a 50-layer MLP, a 30- or 50-block residual MLP) is wrapped into rows so its box
// has about the canvas's shape, every node still readable in order, none overlapping.
import { describe, expect, it } from 'vitest';

import { buildTemplate } from '../../../core/network/templates.ts';
import type { NetworkSpecInput } from '../../../core/network/spec.ts';
import { boundsOf, estimatedSize, layoutPositions, MAX_ROW_WIDTH, wrapIntoRows, type Box } from '../../../renderer/src/designer/layout.ts';

function boxes(spec: NetworkSpecInput): Box[] {
  const p = layoutPositions(spec);
  return spec.nodes.map((n) => ({ id: n.id, ...p[n.id], ...estimatedSize(n.type) }));
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function expectNoOverlap(list: Box[]): void {
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) expect(overlaps(list[i], list[j]), `${list[i].id} / ${list[j].id}`).toBe(false);
  }
}

/** The box's centre line, to 2 px (dagre centres the cards of one row on one line). */
function rowLine(b: Box): number {
  return Math.round((b.y + b.height / 2) / 2);
}

/** Reading order: the next box is to the right on the same row, or on a lower row. */
function readsInOrder(a: Box, b: Box): boolean {
  return (rowLine(a) === rowLine(b) && b.x > a.x) || b.y > a.y + a.height;
}

describe('layoutPositions', () => {
  it('keeps a short chain on one row, input on the left', () => {
    const spec = buildTemplate('deep_sigmoid', { depth: 3 });
    const list = boxes(spec);
    expect(new Set(list.map(rowLine)).size).toBe(1);
    for (let i = 1; i < list.length; i++) expect(list[i].x).toBeGreaterThan(list[i - 1].x);
  });

  it.each([
    ['deep_sigmoid', 50],
    ['deep_relu_he', 30],
    ['residual_mlp', 30],
    ['residual_mlp', 50],
  ] as const)('wraps %s at depth %i into rows about the shape of a canvas', (id, depth) => {
    const spec = buildTemplate(id, { depth });
    expect(spec.nodes.length).toBeGreaterThanOrEqual(60);
    const list = boxes(spec);
    const b = boundsOf(list);
    expect(b.width / b.height).toBeGreaterThan(0.6);
    expect(b.width / b.height).toBeLessThan(3);
    // Unwrapped, the same chain would be tens of times wider than high.
    expect(boundsOf(list).width).toBeLessThan(6000);
    expectNoOverlap(list);
  });

  it('keeps a wrapped chain in reading order (left to right, row after row)', () => {
    const spec = buildTemplate('deep_sigmoid', { depth: 50 });
    const byId = new Map(boxes(spec).map((b) => [b.id, b]));
    for (const e of spec.edges) expect(readsInOrder(byId.get(e.from)!, byId.get(e.to)!), `${e.from} -> ${e.to}`).toBe(true);
    const rows = new Set([...byId.values()].map(rowLine));
    expect(rows.size).toBeGreaterThan(4);
    // Every row starts at the left edge.
    const left = Math.min(...[...byId.values()].map((b) => b.x));
    for (const line of rows) {
      const row = [...byId.values()].filter((b) => rowLine(b) === line);
      expect(Math.min(...row.map((b) => b.x))).toBe(left);
    }
  });
});

describe('wrapIntoRows', () => {
  const row = (n: number, w: number): Box[] => Array.from({ length: n }, (_, i) => ({ id: `n${i}`, x: i * (w + 10), y: 0, width: w, height: 50 }));

  it('leaves a layout no wider than MAX_ROW_WIDTH alone', () => {
    const short = row(13, 100); // 1,420 px
    expect(boundsOf(short).width).toBeLessThanOrEqual(MAX_ROW_WIDTH);
    expect(wrapIntoRows(short)).toEqual(short);
  });

  it('cuts a wider one into rows under MAX_ROW_WIDTH, in order, without changing its input', () => {
    const long = row(60, 100); // 6,590 px
    const wrapped = wrapIntoRows(long);
    expect(boundsOf(wrapped).width).toBeLessThanOrEqual(MAX_ROW_WIDTH);
    expect(new Set(wrapped.map((b) => b.y)).size).toBe(5);
    expect(wrapped.map((b) => b.id)).toEqual(long.map((b) => b.id));
    expect(long[59]).toEqual({ id: 'n59', x: 59 * 110, y: 0, width: 100, height: 50 });
  });
});
