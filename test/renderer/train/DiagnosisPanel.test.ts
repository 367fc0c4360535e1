// @vitest-environment happy-dom
// The diagnosis panel: a region named "Diagnosis" whose status is announced
// politely, findings in plain words, and each fix as a "Try: ..." button that
// trains a copy of the run with that change and shows it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import { loadLab } from '../../../core/labs/load.ts';
import { installLab } from '../../../renderer/src/api/api.ts';
import { setRunsFrameScheduling, useRunsStore } from '../../../renderer/src/stores/runs.ts';
import { useLabsStore } from '../../../renderer/src/views/labs/labsStore.ts';
import DiagnosisPanel from '../../../renderer/src/views/train/DiagnosisPanel.vue';
import { decaying, mlp, settings, synthTraces } from '../../core/diagnosis/helpers.ts';
import { FakeLab, summary } from '../stores/fakeLab.ts';

let lab: FakeLab;

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

beforeEach(() => {
  lab = new FakeLab();
  installLab(lab);
  setRunsFrameScheduling({ schedule: () => {}, now: () => 0 });
  setActivePinia(createPinia());
});

/** A deep sigmoid run whose gradient shrinks 30 times per layer: a textbook vanishing gradient. */
async function vanishingRun() {
  const net = mlp('sigmoid', 8, 'xavier_uniform');
  const traces = synthTraces(net, { rows: 20, layerGrad: decaying(1 / 30) });
  const run = summary('r1', {
    label: 'Deep sigmoid',
    state: 'completed',
    stepsDone: 191,
    network: net.spec,
    settings: settings(),
    layout: { nodeIds: traces.nodeIds, paramNames: traces.paramNames, recurrent: [], parameterCount: 100 },
  });
  lab.runs = [run];
  lab.traces.set('r1', traces);
  const runs = useRunsStore();
  runs.listen();
  await runs.load();
  return { runs, net };
}

describe('DiagnosisPanel', () => {
  it('names itself as a region and announces the status politely', async () => {
    await vanishingRun();
    const wrapper = mount(DiagnosisPanel);
    await settle();
    const region = wrapper.get('[role="region"]');
    expect(wrapper.get(`#${region.attributes('aria-labelledby')}`).text()).toBe('Diagnosis');
    const live = wrapper.get('[aria-live="polite"]');
    expect(live.text()).toBe('Vanishing gradient');
    expect(wrapper.text()).toContain('dense1');
  });

  it('trains a copy of the run with a fix applied, labelled "<run> + <fix>", and shows it', async () => {
    const { runs, net } = await vanishingRun();
    const wrapper = mount(DiagnosisPanel);
    await settle();
    const buttons = wrapper.findAll('button').filter((b) => b.text().startsWith('Try: '));
    expect(buttons.length).toBeGreaterThan(0);
    const fixLabel = buttons[0].text().slice('Try: '.length);
    await buttons[0].trigger('click');
    await settle();
    const create = lab.calls.find((c) => c.method === 'runs.create')!;
    const params = create.params as { label: string; network: typeof net.spec; settings: unknown; dataset: unknown };
    expect(params.label).toBe(`Deep sigmoid + ${fixLabel}`);
    expect(params.network).not.toEqual(net.spec); // the fix changed the network (or its settings)
    expect(params.dataset).toEqual({ name: 'xor', options: {} });
    expect(lab.calls.map((c) => c.method).slice(-2)).toEqual(['runs.create', 'runs.start']);
    expect(runs.selectedId).toBe('r2');
  });

  it('holds back a fix the open lab does not allow, saying why, and keeps the others', async () => {
    await vanishingRun();
    const loaded = loadLab(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'labs', '03-activations.json'), 'utf8')));
    if (!loaded.ok) throw new Error('lab 03 does not load');
    useLabsStore().current = loaded.lab; // it allows dense layers and activations, not batch norm nor skip connections
    const wrapper = mount(DiagnosisPanel);
    await settle();
    const buttons = wrapper.findAll('button').filter((b) => b.text().startsWith('Try: '));
    const batchNorm = buttons.find((b) => /batch norm/i.test(b.text()))!;
    expect(batchNorm.attributes('disabled')).toBeDefined();
    const why = wrapper.get(`#${CSS.escape(batchNorm.attributes('aria-describedby')!)}`).text();
    expect(why).toMatch(/^Not in this lab: the lab “.+” allows only .*ReLU.* layers\.$/);
    const relu = buttons.find((b) => /ReLU/.test(b.text()))!;
    expect(relu.attributes('disabled')).toBeUndefined();
    await batchNorm.trigger('click');
    await settle();
    expect(lab.calls.some((c) => c.method === 'runs.create')).toBe(false);
  });

  it('waits for traced steps before judging', async () => {
    lab.runs = [summary('r1')];
    const runs = useRunsStore();
    await runs.load();
    const wrapper = mount(DiagnosisPanel);
    await settle();
    expect(wrapper.get('[aria-live="polite"]').text()).toBe('Waiting for traced steps');
    expect(wrapper.findAll('button')).toHaveLength(0);
  });
});
