/**
 * The Train view's chart groups mounted over a FakeLab: each test gets a fresh lab,
 * Pinia and the group it asks for, with trace frames applied at once.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach } from 'vitest';

import { installLab } from '../../../renderer/src/api/api.ts';
import { setRunsFrameScheduling, useRunsStore } from '../../../renderer/src/stores/runs.ts';
import LiveCharts from '../../../renderer/src/views/train/LiveCharts.vue';
import { activeGroup, type ChartGroupId } from '../../../renderer/src/views/train/chartGroups.ts';
import { FakeLab } from '../stores/fakeLab.ts';

/** Before each test: a new FakeLab installed, a new Pinia, `group` shown. Returns the current lab. */
export function useChartsLab(group: ChartGroupId): () => FakeLab {
  let lab: FakeLab;
  beforeEach(() => {
    lab = new FakeLab();
    installLab(lab);
    setRunsFrameScheduling({ schedule: () => {}, now: () => 0 });
    setActivePinia(createPinia());
    activeGroup.value = group;
  });
  return () => lab;
}

/** Lets promises, then a timer turn, run out. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
}

/** Loads the lab's runs and mounts the chart groups, ECharts stubbed. */
export async function mountCharts(): Promise<VueWrapper> {
  await useRunsStore().load();
  const wrapper = mount(LiveCharts, { global: { stubs: { EChart: true } }, attachTo: document.body });
  await settle();
  return wrapper;
}
