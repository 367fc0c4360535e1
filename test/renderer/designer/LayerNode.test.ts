// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import type { LayerNodeData } from '../../../renderer/src/designer/graph.ts';
import LayerNode from '../../../renderer/src/designer/LayerNode.vue';

function data(patch: Partial<LayerNodeData> = {}): LayerNodeData {
  return {
    node: { id: 'dense1', type: 'dense', params: { units: 32 } },
    typeLabel: 'Dense',
    category: 'layer',
    summary: ['32 units', 'he_normal'],
    shape: 'T×32',
    shapeText: 'a sequence of 50 steps × 32 features',
    errors: [],
    inputs: 1,
    isOutput: false,
    ...patch,
  };
}

/**
 * Mounted alone, with Vue Flow's Handle stubbed: the handles need a live flow store
 * (Vue Flow draws no nodes in a DOM without layout), and what matters here is
 * which handles the node asks for.
 */
function mountNode(d: LayerNodeData) {
  return mount(LayerNode, {
    props: {
      id: 'dense1',
      type: 'layer',
      selected: false,
      connectable: true,
      position: { x: 0, y: 0 },
      dimensions: { width: 0, height: 0 },
      dragging: false,
      resizing: false,
      zIndex: 0,
      data: d,
      events: {},
    } as never,
    global: { stubs: { Handle: { props: ['type', 'position', 'connectable'], template: '<div class="vue-flow__handle" :class="type" />' } } },
  });
}

describe('LayerNode', () => {
  it('shows type, id, key params and the output shape, with a full accessible name', () => {
    const w = mountNode(data());
    const node = w.find('.vg-node');
    expect(node.exists()).toBe(true);
    expect(node.text()).toContain('Dense');
    expect(node.text()).toContain('dense1');
    expect(node.text()).toContain('32 units · he_normal');
    expect(node.find('.vg-node__shape').text()).toBe('T×32');
    expect(node.attributes('aria-label')).toContain('output a sequence of 50 steps × 32 features');
    expect(node.attributes('aria-invalid')).toBeUndefined();
    expect(w.findAll('.vue-flow__handle')).toHaveLength(2);
    w.unmount();
  });

  it('an invalid node says so: aria-invalid, the message in its name and tooltip', () => {
    const w = mountNode(data({ errors: ['node "dense1": units must be a positive integer'], shape: null }));
    const node = w.find('.vg-node');
    expect(node.attributes('aria-invalid')).toBe('true');
    expect(node.classes()).toContain('vg-node--invalid');
    expect(node.attributes('aria-label')).toContain('problem: node "dense1": units must be a positive integer');
    expect(node.find('.vg-node__shape').text()).toBe('?');
    w.unmount();
  });

  it('the input node has no input handle', () => {
    const w = mountNode(data({ inputs: 0, typeLabel: 'Input', category: 'input' }));
    expect(w.findAll('.vue-flow__handle')).toHaveLength(1);
    w.unmount();
  });
});
