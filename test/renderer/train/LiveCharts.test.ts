// @vitest-environment happy-dom
// The chart groups: a tablist named "Chart groups" with one tab per group ("Through
// time" only for recurrent networks); only the shown group's charts exist, so the
// hidden ones are never rebuilt; the arrow keys move between the tabs.
import { describe, expect, it } from 'vitest';

import { activeGroup } from '../../../renderer/src/views/train/chartGroups.ts';
import { makeColumns } from '../helpers.ts';
import { summary } from '../stores/fakeLab.ts';
import { mountCharts, useChartsLab } from './chartsHarness.ts';

const lab = useChartsLab('overview');

async function mountWith(recurrent: boolean) {
  const layout = recurrent
    ? { nodeIds: ['x', 'l'], paramNames: [], recurrent: [{ nodeId: 'l', type: 'lstm' as const, time: 4, gates: [] }], parameterCount: 1 }
    : undefined;
  lab().runs = [summary('r1', { state: 'completed', stepsDone: 10, ...(layout ? { layout } : {}) })];
  lab().traces.set('r1', makeColumns(10));
  return mountCharts();
}

const tabNames = (w: Awaited<ReturnType<typeof mountWith>>) => w.findAll('[role="tab"]').map((t) => t.text());

describe('LiveCharts', () => {
  it('groups the charts into named tabs and mounts only the shown group', async () => {
    const w = await mountWith(false);
    expect(w.get('[role="tablist"]').attributes('aria-label')).toBe('Chart groups');
    expect(tabNames(w)).toEqual(['Overview', 'Layers', 'Distributions', 'Theory', 'Network']);
    expect(w.find('figure[data-chart="loss"]').exists()).toBe(true);
    expect(w.find('figure[data-chart="layer-heatmap"]').exists()).toBe(false);
    await w.findAll('[role="tab"]')[1].trigger('click');
    expect(w.find('figure[data-chart="loss"]').exists()).toBe(false);
    expect(w.find('figure[data-chart="layer-heatmap"]').exists()).toBe(true);
    expect(w.get('[role="tabpanel"]').attributes('aria-labelledby')).toBe('charts-tab-layers');
    w.unmount();
  });

  it('offers "Through time" to a recurrent network', async () => {
    const w = await mountWith(true);
    expect(tabNames(w)).toContain('Through time');
    w.unmount();
  });

  it('moves between tabs with the arrow keys', async () => {
    const w = await mountWith(false);
    await w.findAll('[role="tab"]')[0].trigger('keydown', { key: 'ArrowLeft' });
    expect(activeGroup.value).toBe('network');
    await w.findAll('[role="tab"]')[4].trigger('keydown', { key: 'Home' });
    expect(activeGroup.value).toBe('overview');
    w.unmount();
  });

  it('shows the diagnosis above the charts', async () => {
    const w = await mountWith(false);
    expect(w.find('[role="region"][aria-labelledby="diagnosis-title"]').exists()).toBe(true);
    w.unmount();
  });
});
