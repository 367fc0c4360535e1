// @vitest-environment happy-dom
// The run list shows each run's progress as an accessible progress bar and lets
// the keyboard pick the run the charts show.
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import { installLab } from '../../../renderer/src/api/api.ts';
import { useRunsStore } from '../../../renderer/src/stores/runs.ts';
import RunList from '../../../renderer/src/views/train/RunList.vue';
import { FakeLab, summary } from '../stores/fakeLab.ts';

beforeEach(() => {
  installLab(new FakeLab());
  setActivePinia(createPinia());
});

describe('RunList', () => {
  it('shows steps done of the total as role=progressbar with aria-valuenow', async () => {
    const runs = useRunsStore();
    runs.runs = [summary('r1', { state: 'running', stepsDone: 250, steps: 1000, lastLoss: 0.693 })];
    const wrapper = mount(RunList);
    const bar = wrapper.get('[role="progressbar"]');
    expect(bar.attributes('aria-valuenow')).toBe('250');
    expect(bar.attributes('aria-valuemax')).toBe('1000');
    expect(bar.attributes('aria-valuetext')).toBe('250 / 1,000 steps');
    expect(bar.attributes('aria-label')).toBe('Progress of Run r1');
    expect(wrapper.text()).toContain('loss 0.693');
    expect(wrapper.text()).toContain('Running');
  });

  it('selects a run from its radio button, named by label, state and progress', async () => {
    const runs = useRunsStore();
    runs.runs = [summary('r1', { state: 'completed', stepsDone: 100 }), summary('r2')];
    const wrapper = mount(RunList);
    const radio = wrapper.get('input[aria-label="Run r1: Completed, 100 / 100 steps"]');
    await radio.setValue(true);
    expect(runs.selectedId).toBe('r1');
  });

  it('says why a run diverged', () => {
    const runs = useRunsStore();
    runs.runs = [summary('r1', { state: 'diverged', stepsDone: 12, divergence: 'loss became NaN at step 12' })];
    expect(mount(RunList).text()).toContain('loss became NaN at step 12');
  });
});

describe('RunList delete', () => {
  it('deletes a run after asking, and cannot delete one that is training', async () => {
    const lab = new FakeLab();
    lab.runs = [summary('r1', { state: 'completed', stepsDone: 100 }), summary('r2', { state: 'running' })];
    installLab(lab);
    const runs = useRunsStore();
    runs.runs = lab.runs;
    const wrapper = mount(RunList);
    expect(wrapper.get('button[aria-label="Delete Run r2"]').attributes('disabled')).toBeDefined();
    globalThis.confirm = () => true;
    await wrapper.get('button[aria-label="Delete Run r1"]').trigger('click');
    expect(lab.calls).toEqual([{ method: 'runs.delete', params: { runId: 'r1' } }]);
  });
});
