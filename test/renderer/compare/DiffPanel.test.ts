// @vitest-environment happy-dom
// The diff panel says "Same network." only when the networks are the same.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import type { RunSummary } from '../../../core/api/labApi.ts';
import { blankProject } from '../../../electron/service/projectSession.ts';
import DiffPanel from '../../../renderer/src/views/compare/DiffPanel.vue';

function run(id: string, activation: 'sigmoid' | 'relu'): RunSummary {
  const p = blankProject();
  const network = {
    ...p.network,
    nodes: p.network.nodes.map((n) => (n.type === 'sigmoid' ? { ...n, type: activation } : n)) as typeof p.network.nodes,
  };
  return { id, label: id, createdAt: p.createdAt, state: 'completed', stepsDone: 1, steps: 1, network, dataset: p.dataset, settings: p.settings };
}

describe('DiffPanel', () => {
  it('lists network changes without also saying the networks are the same', () => {
    const text = mount(DiffPanel, { props: { runs: [run('a', 'sigmoid'), run('b', 'relu')] } }).text();
    expect(text).toMatch(/type sigmoid → relu/);
    expect(text).not.toMatch(/Same network\./);
  });

  it('says so when the networks are the same', () => {
    const same = run('b', 'sigmoid');
    const text = mount(DiffPanel, { props: { runs: [run('a', 'sigmoid'), { ...same, settings: { ...same.settings, batch_size: 8 } }] } }).text();
    expect(text).toMatch(/Same network\./);
    expect(text).toMatch(/batch_size/);
  });
});
