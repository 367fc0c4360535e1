// @vitest-environment happy-dom
// A chart panel: "What is this?" explains the chart, the Export menu offers PNG and
// SVG of the full chart (title included), and a click on a step axis moves the
// shared cursor while a click on a layer axis does not.
import type { EChartsOption } from 'echarts';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { STEP_AXIS_ID } from '../../../core/charts/cursor.ts';
import EChart from '../../../renderer/src/components/EChart.vue';
import ChartCard from '../../../renderer/src/views/train/ChartCard.vue';

const exported: { option: EChartsOption; format: string; fileName: string }[] = [];
vi.mock('../../../renderer/src/charts/exportChart.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../renderer/src/charts/exportChart.ts')>();
  return {
    ...real,
    exportChart: (option: EChartsOption, format: string, fileName: string) => exported.push({ option, format, fileName }),
  };
});

beforeEach(() => {
  exported.length = 0;
  setActivePinia(createPinia());
});

const stepOption: EChartsOption = {
  title: { text: 'Loss' },
  xAxis: { type: 'category', id: STEP_AXIS_ID, data: [0, 100, 200] },
  yAxis: { type: 'value' },
  series: [],
};

function card(option: EChartsOption | null = stepOption) {
  return mount(ChartCard, {
    props: { id: 'loss', title: 'Loss', tooltip: 'The training loss.', option, dark: false, empty: 'Nothing yet', points: 3, runLabel: 'Run 1' },
    global: { stubs: { EChart: true } },
    attachTo: document.body,
  });
}

describe('ChartCard', () => {
  it('is a figure named by its heading, with the explanation behind "What is this?"', () => {
    const w = card();
    const figure = w.get('figure');
    expect(w.get(`#${figure.attributes('aria-labelledby')}`).text()).toBe('Loss');
    expect(w.get('details summary').text()).toBe('What is this?');
    expect(w.get('details p').text()).toBe('The training loss.');
    w.unmount();
  });

  it('shows the chart without its title on screen', () => {
    const w = card();
    const shown = (w.getComponent(EChart).props() as { option: { title: { show: boolean } } }).option;
    expect(shown.title.show).toBe(false);
    w.unmount();
  });

  it('opens the Export menu and saves the full option as SVG or PNG', async () => {
    const w = card();
    const toggle = w.get('button[aria-controls="loss-export"]');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    const items = w.findAll('.menu button');
    expect(items.map((b) => b.text())).toEqual(['Export PNG', 'Export SVG']);
    await items[1].trigger('click');
    // The exporter is loaded on first use (a dynamic import).
    await vi.waitFor(() => expect(exported).toHaveLength(1));
    expect(exported[0].format).toBe('svg');
    expect(exported[0].fileName).toBe('vglab-run-1-loss.svg');
    expect((exported[0].option.title as { text: string }).text).toBe('Loss');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    w.unmount();
  });

  it('cannot export before there is a chart, and says why it is empty', () => {
    const w = card(null);
    expect(w.get('button[aria-controls="loss-export"]').attributes('disabled')).toBeDefined();
    expect(w.text()).toContain('Nothing yet');
    w.unmount();
  });

  it('turns a click on a bucketed step axis into the bucket\'s first step, and ignores other axes', async () => {
    const w = card();
    w.getComponent(EChart).vm.$emit('pickX', 1);
    expect(w.emitted('pickStep')).toEqual([[100]]);
    const layers: EChartsOption = { xAxis: { type: 'category', data: ['d1', 'd2'] }, series: [] };
    await w.setProps({ option: layers } as never);
    w.getComponent(EChart).vm.$emit('pickX', 1);
    expect(w.emitted('pickStep')).toHaveLength(1);
    w.unmount();
  });
});
