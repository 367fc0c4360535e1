// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';

import { NODE_TYPE_LIST, NODE_TYPES, type NetworkSpecInput } from '../../../core/network/spec.ts';
import { deepSigmoidMlp } from '../../../core/network/templates.ts';
import NetworkDesigner from '../../../renderer/src/designer/NetworkDesigner.vue';

type Exposed = {
  undo(): void;
  redo(): void;
  selectAll(): void;
  copy(): void;
  paste(): void;
  deleteSelection(): void;
  autoLayout(): void;
};

function mountDesigner(network: NetworkSpecInput = deepSigmoidMlp({ depth: 2, width: 8 }), readonly = false) {
  return mount(NetworkDesigner, { props: { network, positions: {}, readonly }, attachTo: document.body });
}

function lastNetwork(w: ReturnType<typeof mountDesigner>): NetworkSpecInput {
  const events = w.emitted('update:network') as [NetworkSpecInput][] | undefined;
  if (!events) throw new Error('no update:network emitted');
  return events.at(-1)![0];
}

describe('NetworkDesigner', () => {
  it('offers every node type in the palette under an accessible name, with its description', () => {
    const w = mountDesigner();
    for (const t of NODE_TYPE_LIST) {
      const item = w.find(`button[data-node-type="${t}"]`);
      expect(item.exists(), t).toBe(true);
      expect(item.attributes('aria-label')).toBe(`Add ${NODE_TYPES[t].label}`);
      expect(item.attributes('title')!.length).toBeGreaterThan(10);
    }
    w.unmount();
  });

  it('emits nothing until something is edited', async () => {
    const w = mountDesigner();
    await flushPromises();
    expect(w.emitted('update:network')).toBeUndefined();
    w.unmount();
  });

  it('adding from the palette emits a new spec with a fresh id and default params; undo and redo emit the old and new', async () => {
    const original = deepSigmoidMlp({ depth: 2, width: 8 });
    const w = mountDesigner(original);
    await w.find('button[data-node-type="dropout"]').trigger('click');
    const added = lastNetwork(w);
    expect(added).not.toBe(original);
    expect(added.nodes.at(-1)).toEqual({ id: 'dropout1', type: 'dropout', params: { p: 0.5 } });
    expect(original.nodes).toHaveLength(6); // the prop is never mutated
    const positions = (w.emitted('update:positions') as [Record<string, unknown>][]).at(-1)![0];
    expect(positions.dropout1).toBeDefined();

    const api = w.vm as unknown as Exposed;
    api.undo();
    await nextTick();
    expect(lastNetwork(w).nodes).toHaveLength(6);
    api.redo();
    await nextTick();
    expect(lastNetwork(w).nodes.at(-1)?.id).toBe('dropout1');
    w.unmount();
  });

  it('the parent passing our own spec back keeps the undo history', async () => {
    const w = mountDesigner();
    await w.find('button[data-node-type="relu"]').trigger('click');
    // What v-model does, with a copy as a store might hand back.
    await w.setProps({ network: structuredClone(lastNetwork(w)) } as never);
    (w.vm as unknown as Exposed).undo();
    await nextTick();
    expect(lastNetwork(w).nodes.some((n) => n.id === 'relu1')).toBe(false);
    w.unmount();
  });

  it('a network with a problem marks the node invalid and lists the engine message', async () => {
    const spec = deepSigmoidMlp({ depth: 1, width: 8 });
    (spec.nodes[1].params as { units: number }).units = 0;
    const w = mountDesigner(spec);
    await flushPromises();
    const problems = w.find('[aria-label="Problems"]');
    expect(problems.text()).toContain('node "dense1": units must be a positive integer');
    // The node itself is marked in LayerNode (LayerNode.test.ts); here, the list selects it.
    expect(problems.find('button').attributes('aria-label')).toContain('Select node dense1');
    w.unmount();
  });

  it('select all, copy, paste adds renamed copies; delete removes the selection', async () => {
    const w = mountDesigner(deepSigmoidMlp({ depth: 1, width: 4 }));
    await flushPromises();
    const api = w.vm as unknown as Exposed;
    api.selectAll();
    await nextTick();
    api.copy();
    api.paste();
    await flushPromises();
    const pasted = lastNetwork(w);
    expect(pasted.nodes).toHaveLength(8);
    expect(pasted.nodes.map((n) => n.id)).toContain('dense2');
    // The pasted copies are now selected: delete takes them away again.
    api.deleteSelection();
    await nextTick();
    expect(lastNetwork(w).nodes).toHaveLength(4);
    w.unmount();
  });

  it('read-only: palette disabled, commands do not edit', async () => {
    const w = mountDesigner(undefined, true);
    expect(w.find('button[data-node-type="dense"]').attributes('disabled')).toBeDefined();
    (w.vm as unknown as Exposed).autoLayout();
    (w.vm as unknown as Exposed).deleteSelection();
    await nextTick();
    expect(w.emitted('update:network')).toBeUndefined();
    expect(w.emitted('update:positions')).toBeUndefined();
    w.unmount();
  });

  it('keyboard shortcuts on the canvas run the commands', async () => {
    const w = mountDesigner();
    await w.find('button[data-node-type="tanh"]').trigger('click');
    const canvas = w.find('.vg-designer__canvas');
    await canvas.trigger('keydown', { key: 'z', ctrlKey: true });
    expect(lastNetwork(w).nodes.some((n) => n.type === 'tanh')).toBe(false);
    await canvas.trigger('keydown', { key: 'y', ctrlKey: true });
    expect(lastNetwork(w).nodes.some((n) => n.type === 'tanh')).toBe(true);
    w.unmount();
  });
});

describe('NetworkDesigner inspector', () => {
  it('a problem selects its node; typing a param is one undo step and clears the problem', async () => {
    const spec = deepSigmoidMlp({ depth: 1, width: 8 });
    (spec.nodes[1].params as { units: number }).units = 0;
    const w = mountDesigner(spec);
    await flushPromises();
    await w.find('[aria-label="Problems"] button').trigger('click');
    await flushPromises();
    const units = w.findAll('.vg-inspector input[type=number]')[0];
    expect(units.exists()).toBe(true);
    expect(units.attributes('aria-invalid')).toBe('true');
    await units.setValue('1');
    await units.setValue('16');
    expect((lastNetwork(w).nodes[1].params as { units: number }).units).toBe(16);
    expect(w.find('[aria-label="Problems"]').text()).toContain('The network is valid');
    (w.vm as unknown as Exposed).undo();
    await nextTick();
    expect((lastNetwork(w).nodes[1].params as { units: number }).units).toBe(0);
    w.unmount();
  });

  it('connects an input from the inspector form', async () => {
    const spec = deepSigmoidMlp({ depth: 1, width: 2 });
    spec.nodes.push({ id: 'add1', type: 'add', params: {} });
    spec.edges.push({ from: 'sigmoid1', to: 'add1' });
    const w = mountDesigner(spec);
    await flushPromises();
    // add1 has one input of two: the engine names it; select it through the problem list.
    const problem = w.findAll('[aria-label="Problems"] button').find((b) => b.text().includes('"add1"'))!;
    await problem.trigger('click');
    await flushPromises();
    const select = w.find('.vg-connections select');
    await select.setValue('x');
    await w.findAll('.vg-connections button').find((b) => b.text() === 'Connect')!.trigger('click');
    expect(lastNetwork(w).edges.filter((e) => e.to === 'add1').map((e) => e.from)).toEqual(['sigmoid1', 'x']);
    w.unmount();
  });
});
