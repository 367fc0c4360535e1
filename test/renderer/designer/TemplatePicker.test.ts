// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import type { NetworkSpecInput } from '../../../core/network/spec.ts';
import { validateNetwork } from '../../../core/network/validate.ts';
import TemplatePicker from '../../../renderer/src/designer/TemplatePicker.vue';

describe('TemplatePicker', () => {
  it('applies the chosen template at the slider sizes', async () => {
    const w = mount(TemplatePicker);
    await w.find('select').setValue('gru_adding');
    const sliders = w.findAll('input[type=range]');
    expect(sliders).toHaveLength(3);
    const seq = sliders.find((s) => s.attributes('id')!.endsWith('sequenceLength'))!;
    await seq.setValue('120');
    await w.find('form').trigger('submit');
    const [spec] = w.emitted('apply')![0] as [NetworkSpecInput];
    const result = validateNetwork(spec);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.plan.time.x).toBe(120);
  });

  it('shows only the sliders a template uses, each labelled', async () => {
    const w = mount(TemplatePicker);
    const ranges = w.findAll('input[type=range]');
    expect(ranges).toHaveLength(2); // depth and width for the deep sigmoid MLP
    for (const r of ranges) expect(w.find(`label[for="${r.attributes('id')}"]`).exists()).toBe(true);
  });
});
