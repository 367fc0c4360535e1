// @vitest-environment happy-dom
// The view tabs follow the ARIA tabs pattern: one Tab stop, arrows move.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import ViewTabs from '../../../renderer/src/components/ViewTabs.vue';

const TABS = [
  { id: 'designer', label: 'Designer' },
  { id: 'data', label: 'Data' },
  { id: 'train', label: 'Train' },
] as const;

describe('ViewTabs', () => {
  it('marks the active tab selected and only it reachable by Tab', () => {
    const w = mount(ViewTabs, { props: { tabs: TABS, modelValue: 'data' } });
    const tabs = w.findAll('[role="tab"]');
    expect(w.get('[role="tablist"]').attributes('aria-label')).toBe('Views');
    expect(tabs.map((t) => t.attributes('aria-selected'))).toEqual(['false', 'true', 'false']);
    expect(tabs.map((t) => t.attributes('tabindex'))).toEqual(['-1', '0', '-1']);
    expect(tabs[1].attributes('aria-controls')).toBe('panel-data');
  });

  it('moves with ArrowRight, wraps with ArrowLeft, jumps with Home and End', async () => {
    const w = mount(ViewTabs, { props: { tabs: TABS, modelValue: 'designer' } });
    const tabs = w.findAll('[role="tab"]');
    await tabs[0].trigger('keydown', { key: 'ArrowRight' });
    await tabs[0].trigger('keydown', { key: 'ArrowLeft' });
    await tabs[1].trigger('keydown', { key: 'End' });
    await tabs[2].trigger('keydown', { key: 'Home' });
    expect(w.emitted('update:modelValue')).toEqual([['data'], ['train'], ['train'], ['designer']]);
  });
});
