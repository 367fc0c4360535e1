// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import NodeInspector from '../../../renderer/src/designer/NodeInspector.vue';

function mountDense(errors: { nodeId: string; field?: string; message: string }[] = []) {
  return mount(NodeInspector, {
    props: {
      node: { id: 'dense1', type: 'dense', params: { units: 32, bias: true, init: 'xavier_uniform', init_scale: 1 } },
      errors,
      takenIds: new Set(['x', 'dense1']),
      shapeText: '32 features',
      sameKindCount: 0,
    },
  });
}

describe('NodeInspector', () => {
  it('labels every field and uses the input the schema calls for', () => {
    const w = mountDense();
    const labelled = (text: string) => {
      const label = w.findAll('label').find((l) => l.text().trim() === text);
      expect(label, text).toBeTruthy();
      return w.find(`#${label!.attributes('for')}`);
    };
    expect(labelled('id').attributes('type')).toBe('text');
    const units = labelled('units');
    expect(units.attributes('type')).toBe('number');
    expect(units.attributes('min')).toBe('1');
    expect(units.attributes('max')).toBe('65536');
    expect(units.attributes('step')).toBe('1');
    expect(labelled('init').element.tagName).toBe('SELECT');
    expect(w.find('input[type=checkbox]').exists()).toBe(true);
  });

  it('emits a param edit as a number, and refuses an empty required field locally', async () => {
    const w = mountDense();
    const units = w.findAll('input[type=number]')[0];
    await units.setValue('64');
    expect(w.emitted('param')?.at(-1)).toEqual(['units', 64]);
    await units.setValue('');
    expect(w.emitted('param')).toHaveLength(1);
    expect(w.text()).toContain('units needs a value');
    expect(units.attributes('aria-invalid')).toBe('true');
  });

  it('keeps what is being typed while the field is focused, even when the parent re-renders', async () => {
    const w = mountDense();
    const units = w.findAll('input[type=number]')[0];
    await units.setValue('');
    await w.setProps({ errors: [] } as never); // a re-render while the field is empty
    expect((units.element as HTMLInputElement).value).toBe('');
    await units.setValue('7');
    expect(w.emitted('param')?.at(-1)).toEqual(['units', 7]);
    await units.trigger('blur');
    expect(w.emitted('seal')).toHaveLength(1);
  });

  it('puts the engine message under the field it names', () => {
    const w = mountDense([{ nodeId: 'dense1', field: 'params.units', message: 'node "dense1": units must be a positive integer' }]);
    const units = w.findAll('input[type=number]')[0];
    expect(units.attributes('aria-invalid')).toBe('true');
    const errId = units.attributes('aria-describedby')!.split(' ')[1];
    expect(w.find(`#${errId}`).text()).toBe('node "dense1": units must be a positive integer');
  });

  it('renames only to a valid, unused id', async () => {
    const w = mountDense();
    const id = w.find('input[type=text]');
    await id.setValue('x');
    await id.trigger('change');
    expect(w.emitted('rename')).toBeUndefined();
    expect(w.text()).toContain('already used');
    await id.setValue('hidden');
    await id.trigger('change');
    expect(w.emitted('rename')).toEqual([['hidden']]);
  });

  it('states the derivative bound of an activation and the chain it implies', () => {
    const w = mount(NodeInspector, {
      props: {
        node: { id: 'sigmoid3', type: 'sigmoid', params: {} },
        errors: [],
        takenIds: new Set(['sigmoid3']),
        shapeText: '32 features',
        sameKindCount: 10,
      },
    });
    expect(w.text()).toContain('Largest slope: 0.25');
    expect(w.text()).toContain('0.25^10');
    expect(w.find('[role=img]').attributes('aria-label')).toContain('at most 0.25');
  });
});
