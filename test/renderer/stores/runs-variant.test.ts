// "Duplicate this run with one change" (a diagnosis fix): the runs store creates
// the run with the replaced network and settings, starts it and shows it, and
// leaves the selection alone when the lab refuses.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import { installLab } from '../../../renderer/src/api/api.ts';
import { setRunsFrameScheduling, useRunsStore } from '../../../renderer/src/stores/runs.ts';
import { useUiStore } from '../../../renderer/src/stores/ui.ts';
import { FakeLab, summary } from './fakeLab.ts';

let lab: FakeLab;

beforeEach(() => {
  lab = new FakeLab();
  installLab(lab);
  setRunsFrameScheduling({ schedule: () => {}, now: () => 0 });
  setActivePinia(createPinia());
});

describe('runs store: createVariant', () => {
  it('creates the run with what changed, starts it and selects it', async () => {
    lab.runs = [summary('r1', { state: 'completed', stepsDone: 100 })];
    const runs = useRunsStore();
    await runs.load();
    const base = summary('r1');
    const variant = { label: 'Run r1 + Clip gradients', network: base.network, settings: { ...base.settings, clip_norm: 1 } };
    const started = await runs.createVariant(variant);
    expect(lab.calls.map((c) => c.method).slice(-2)).toEqual(['runs.create', 'runs.start']);
    expect(lab.calls.find((c) => c.method === 'runs.create')!.params).toEqual(variant);
    expect(started?.state).toBe('running');
    expect(runs.selectedId).toBe('r2');
  });

  it('reports a refusal and keeps showing the run it came from', async () => {
    lab.runs = [summary('r1', { state: 'completed', stepsDone: 100 })];
    lab.failWith['runs.create'] = new Error('the network is not valid');
    const runs = useRunsStore();
    await runs.load();
    expect(await runs.createVariant({ label: 'x' })).toBeNull();
    expect(runs.selectedId).toBe('r1');
    expect(useUiStore().errors.map((n) => n.text)).toEqual(['the network is not valid']);
  });
});
