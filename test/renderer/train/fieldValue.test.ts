// @vitest-environment happy-dom
// A settings field keeps what the student is typing when the form re-renders for
// another reason, and shows the setting's new value when the setting changes.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref, withDirectives } from 'vue';

import { vFieldValue } from '../../../renderer/src/views/train/fieldValue.ts';

describe('v-field-value', () => {
  it('writes the value when the setting changes, not on every re-render', async () => {
    const steps = ref<number | undefined>(2000);
    const other = ref(0);
    const Form = defineComponent({
      setup: () => () => h('div', [h('span', String(other.value)), withDirectives(h('input', { type: 'number' }), [[vFieldValue, steps.value]])]),
    });
    const w = mount(Form, { attachTo: document.body });
    const input = w.get('input').element as HTMLInputElement;
    expect(input.value).toBe('2000');
    input.value = '50000'; // typed, not sent yet
    other.value++; // the form re-renders (another setting, a project.changed)
    await nextTick();
    expect(w.get('span').text()).toBe('1');
    expect(input.value).toBe('50000');
    steps.value = 300; // the setting itself changed
    await nextTick();
    expect(input.value).toBe('300');
    steps.value = undefined;
    await nextTick();
    expect(input.value).toBe('');
    w.unmount();
  });
});
