// @vitest-environment happy-dom
// The shared number field: its label names the input, the hint and the error
// describe it (the error only while there is one), v-model follows the typing, and
// `change` gives the committed number (NaN for an empty field).
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';

import NumberField from '../../../renderer/src/components/NumberField.vue';

describe('NumberField', () => {
  it('ties the label, hint and error to the input', async () => {
    const w = mount(NumberField, {
      props: { id: 'f-lr', label: 'Learning rate', hint: 'the step size', modelValue: 0.1 },
      attrs: { type: 'number', step: 'any', min: 0 },
      attachTo: document.body,
    });
    const input = w.get('input');
    expect(w.get('label').attributes('for')).toBe('f-lr');
    expect(input.attributes('id')).toBe('f-lr');
    expect(input.attributes('type')).toBe('number');
    expect(input.attributes('min')).toBe('0');
    expect((input.element as HTMLInputElement).value).toBe('0.1');
    expect(input.attributes('aria-describedby')).toBe('f-lr-hint');
    expect(input.attributes('aria-invalid')).toBeUndefined();
    expect(w.get('#f-lr-hint').text()).toBe('the step size');

    // The wrapper's attributes went to the input, not to the field's box.
    expect(w.get('.number-field').attributes('type')).toBeUndefined();
    w.unmount();
  });

  it('names its error in aria-describedby while there is one', () => {
    const error = 'optimizer.lr must be a positive number';
    const w = mount(NumberField, { props: { id: 'f-lr', label: 'Learning rate', hint: 'the step size', error } });
    const input = w.get('input');
    expect(input.attributes('aria-describedby')).toBe('f-lr-hint f-lr-error');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(w.get('#f-lr-error').text()).toBe(error);
    w.unmount();
  });

  it('has no aria-describedby without a hint or an error', () => {
    const w = mount(NumberField, { props: { id: 'f-steps', label: 'Steps' } });
    expect(w.get('input').attributes('aria-describedby')).toBeUndefined();
    w.unmount();
  });

  it('follows the typing with v-model and commits numbers on change', async () => {
    const text = ref('');
    const committed: number[] = [];
    const Host = defineComponent({
      setup: () => () =>
        h(NumberField, {
          id: 'f-batch',
          label: 'Batch size',
          modelValue: text.value,
          'onUpdate:modelValue': (t: string) => (text.value = t),
          onChange: (n: number) => committed.push(n),
        }),
    });
    const w = mount(Host, { attachTo: document.body });
    const input = w.get('input');
    await input.setValue('64');
    expect(text.value).toBe('64');
    await input.trigger('change');
    input.element.value = ' ';
    await input.trigger('change');
    expect(committed[0]).toBe(64);
    expect(committed.at(-1)).toBeNaN();
    text.value = '';
    await nextTick();
    expect((input.element as HTMLInputElement).value).toBe('');
    w.unmount();
  });
});
