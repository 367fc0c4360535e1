// @vitest-environment happy-dom
// The Compare view: the two latest runs with traces are compared by default, each
// checkbox is named "Compare <label>", at most four can be checked, the diff lists
// only what differs, and "Duplicate with a change" creates, starts and adds the copy.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import type { RunSummary } from '../../../core/api/labApi.ts';
import { networkSpecSchema } from '../../../core/network/spec.ts';
import { installLab } from '../../../renderer/src/api/api.ts';
import { useRunsStore } from '../../../renderer/src/stores/runs.ts';
import CompareView from '../../../renderer/src/views/CompareView.vue';
import { useCompareStore } from '../../../renderer/src/views/compare/compareStore.ts';
import { makeChunk, makeColumns } from '../helpers.ts';
import { FakeLab, summary } from '../stores/fakeLab.ts';

/** x -> d1 -> s1 -> d2: the nodes of the helpers' made-up traces. */
const network = networkSpecSchema.parse({
  format: 'vglab-network/1',
  nodes: [
    { id: 'x', type: 'input', params: { features: 2 } },
    { id: 'd1', type: 'dense', params: { units: 4 } },
    { id: 's1', type: 'sigmoid', params: {} },
    { id: 'd2', type: 'dense', params: { units: 1 } },
  ],
  edges: [
    { from: 'x', to: 'd1' },
    { from: 'd1', to: 's1' },
    { from: 's1', to: 'd2' },
  ],
  loss: { type: 'mse' },
});

function run(id: string, patch: Partial<RunSummary> = {}): RunSummary {
  return summary(id, { network, state: 'completed', stepsDone: 20, ...patch });
}

let lab: FakeLab;

async function mountView(runs: RunSummary[]) {
  lab.runs = runs;
  for (const r of runs) lab.traces.set(r.id, r.stepsDone > 0 ? makeColumns(r.stepsDone) : null);
  useRunsStore().runs = runs;
  // ECharts needs a canvas; the charts' options are tested in test/core/charts.
  const wrapper = mount(CompareView, { global: { stubs: { EChart: true } } });
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  lab = new FakeLab();
  installLab(lab);
  setActivePinia(createPinia());
});

describe('CompareView', () => {
  it('compares the two latest runs with traces by default, fetching their traces', async () => {
    const wrapper = await mountView([run('r1'), run('r2'), run('r3'), run('r4', { state: 'created', stepsDone: 0 })]);
    const box = (label: string) => wrapper.get(`input[aria-label="Compare ${label}"]`).element as HTMLInputElement;
    expect([box('Run r1').checked, box('Run r2').checked, box('Run r3').checked, box('Run r4').checked]).toEqual([false, true, true, false]);
    const fetched = lab.calls.filter((c) => c.method === 'runs.traces').map((c) => (c.params as { runId: string }).runId);
    expect(fetched.sort()).toEqual(['r2', 'r3']);
    expect(wrapper.findAll('figure[data-chart]').map((f) => f.attributes('data-chart'))).toEqual([
      'cmp-loss',
      'cmp-ratio',
      'cmp-profile',
      'cmp-layers-r2',
      'cmp-layers-r3',
    ]);
  });

  it('allows at most four runs and says why the rest are disabled', async () => {
    const wrapper = await mountView(['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => run(id)));
    for (const label of ['Run r1', 'Run r2']) await wrapper.get(`input[aria-label="Compare ${label}"]`).setValue(true);
    expect(useCompareStore().pickedIds).toHaveLength(4);
    const fifth = wrapper.get('input[aria-label="Compare Run r3"]');
    expect(fifth.attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('At most 4 runs at once');
  });

  it('lists only the settings that differ, and the network changes by node id', async () => {
    const relu = { ...network, nodes: network.nodes.map((n) => (n.id === 's1' ? { id: 's1', type: 'relu' as const, params: {} } : n)) };
    const base = run('r1');
    const other = run('r2', { network: relu, settings: { ...base.settings, optimizer: { ...base.settings.optimizer, lr: 0.01 } } });
    const wrapper = await mountView([base, other]);
    const rows = wrapper.findAll('.diff tbody tr').map((r) => r.text());
    expect(rows).toEqual(['optimizer.lr0.10.01']);
    expect(wrapper.get('.diff .network').text()).toContain('s1: type sigmoid → relu');
  });

  it('duplicates a run with a change: creates it with the new recipe, starts it and compares it', async () => {
    const wrapper = await mountView([run('r1'), run('r2')]);
    await wrapper.get('button[aria-label="Duplicate Run r2 with a change"]').trigger('click');
    await wrapper.get('#dup-r2-act').setValue('relu');
    await wrapper.get('#dup-r2-lr').setValue('0.01');
    expect(wrapper.get('form').text()).toContain('s1: type sigmoid → relu');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const create = lab.calls.find((c) => c.method === 'runs.create')!.params as {
      label: string;
      network: typeof network;
      settings: RunSummary['settings'];
    };
    expect(create.label).toBe('Run r2 (relu, lr 0.01)');
    expect(create.network.nodes.find((n) => n.id === 's1')!.type).toBe('relu');
    expect(create.settings.optimizer.lr).toBe(0.01);
    expect(lab.calls.some((c) => c.method === 'runs.start' && (c.params as { runId: string }).runId === 'r3')).toBe(true);
    expect(useCompareStore().pickedIds).toContain('r3');
  });

  it('moves the one step cursor for every chart from the slider, and back to the latest', async () => {
    const wrapper = await mountView([run('r1'), run('r2')]);
    const slider = wrapper.get('input[type="range"]');
    expect(wrapper.get('label[for="compare-step"]').text()).toBe('Step shown in every chart');
    await slider.setValue('7');
    expect(useCompareStore().step).toBe(7);
    expect(wrapper.get('#cmp-profile-title').text()).toContain('at step 7');
    await wrapper.findAll('button').find((b) => b.text() === 'Follow latest')!.trigger('click');
    expect(useCompareStore().step).toBeNull();
  });

  it('keeps a compared run live from its trace chunks, without fetching it again', async () => {
    const wrapper = await mountView([run('r1'), run('r2', { state: 'running', stepsDone: 0 })]);
    await wrapper.get('input[aria-label="Compare Run r2"]').setValue(true);
    lab.emit('run.traces', { runId: 'r2', stepsDone: 5, chunk: makeChunk(0, 5) });
    await new Promise((resolve) => setTimeout(resolve, 60)); // the next animation frame
    await flushPromises();
    expect(wrapper.get('figure[data-chart="cmp-layers-r2"]').attributes('data-points')).toBe('5');
    expect(lab.calls.filter((c) => c.method === 'runs.traces' && (c.params as { runId: string }).runId === 'r2')).toHaveLength(0);
  });

  it('shares its step cursor with the Train view: starts at Train\'s step and moves Train\'s to the nearest traced row', async () => {
    const runs = useRunsStore();
    lab.runs = [run('r1'), run('r2')];
    for (const r of lab.runs) lab.traces.set(r.id, makeColumns(20));
    await runs.load(); // selects r2 and fetches its traces
    runs.setCursor(3);
    const wrapper = mount(CompareView, { global: { stubs: { EChart: true } } });
    await flushPromises();
    expect(useCompareStore().step).toBe(3);
    await wrapper.get('input[type="range"]').setValue('12');
    expect(runs.cursor).toBe(12);
    await wrapper.findAll('button').find((b) => b.text() === 'Follow latest')!.trigger('click');
    expect(runs.cursor).toBeNull();
  });

  it('closes the duplicate form with Escape and gives focus back to its button', async () => {
    const wrapper = await mountView([run('r1'), run('r2')]);
    const button = wrapper.get('button[aria-label="Duplicate Run r1 with a change"]');
    await button.trigger('click');
    await flushPromises();
    expect(button.attributes('aria-expanded')).toBe('true');
    await wrapper.get('form').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.find('form').exists()).toBe(false);
    expect(button.attributes('aria-expanded')).toBe('false');
  });
});
