import { describe, expect, it } from 'vitest';

import { NETWORK_FORMAT } from '../../../core/network/spec.ts';
import { PASTE_OFFSET, copyNodes, pasteNodes } from '../../../renderer/src/designer/clipboard.ts';
import type { DesignDoc } from '../../../renderer/src/designer/document.ts';

function doc(): DesignDoc {
  return {
    spec: {
      format: NETWORK_FORMAT,
      nodes: [
        { id: 'x', type: 'input', params: { features: 2 } },
        { id: 'dense1', type: 'dense', params: { units: 8 } },
        { id: 'relu1', type: 'relu', params: {} },
        { id: 'out', type: 'dense', params: { units: 2 } },
      ],
      edges: [
        { from: 'x', to: 'dense1' },
        { from: 'dense1', to: 'relu1' },
        { from: 'relu1', to: 'out' },
      ],
      loss: { type: 'mse' },
    },
    positions: { x: { x: 0, y: 0 }, dense1: { x: 100, y: 0 }, relu1: { x: 200, y: 0 }, out: { x: 300, y: 0 } },
  };
}

describe('designer copy and paste', () => {
  it('copies the chosen nodes with only the edges among them', () => {
    const clip = copyNodes(doc(), ['dense1', 'relu1'])!;
    expect(clip.nodes.map((n) => n.id)).toEqual(['dense1', 'relu1']);
    expect(clip.edges).toEqual([{ from: 'dense1', to: 'relu1' }]);
    expect(copyNodes(doc(), [])).toBeNull();
  });

  it('pastes under new ids, wired like the originals, shifted by the offset', () => {
    const clip = copyNodes(doc(), ['dense1', 'relu1'])!;
    const { doc: pasted, ids } = pasteNodes(doc(), clip);
    expect(ids).toEqual(['dense2', 'relu2']);
    expect(pasted.spec.edges.at(-1)).toEqual({ from: 'dense2', to: 'relu2' });
    expect(pasted.positions.dense2).toEqual({ x: 100 + PASTE_OFFSET, y: PASTE_OFFSET });
    const again = pasteNodes(pasted, clip, 2);
    expect(again.ids).toEqual(['dense3', 'relu3']);
    expect(again.doc.positions.dense3).toEqual({ x: 100 + 2 * PASTE_OFFSET, y: 2 * PASTE_OFFSET });
  });

  it('the clipboard is a deep copy: later edits do not change what is pasted', () => {
    const source = doc();
    const clip = copyNodes(source, ['dense1'])!;
    (source.spec.nodes[1].params as { units: number }).units = 999;
    const { doc: pasted } = pasteNodes(doc(), clip);
    expect(pasted.spec.nodes.at(-1)?.params).toEqual({ units: 8 });
    // Pasting twice from one clipboard gives independent nodes too.
    const twice = pasteNodes(pasted, clip, 2).doc;
    expect(twice.spec.nodes.at(-1)?.params).not.toBe(pasted.spec.nodes.at(-1)?.params);
  });
});
