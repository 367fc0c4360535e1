// @vitest-environment happy-dom
// Through time: a run with an LSTM and a plain RNN shows the chosen LSTM's gate
// saturation as a card with one line per gate (exportable like every card, with its
// "What is this?" text); a plain RNN, which has no gates, shows no such card.
import type { VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import { GATE_SATURATION_HELP } from '../../../core/charts/gateSaturation.ts';
import { allocateTraceColumns, type RecurrentLayout } from '../../../core/traces/metrics.ts';
import EChart from '../../../renderer/src/components/EChart.vue';
import { summary } from '../stores/fakeLab.ts';
import { mountCharts, settle, useChartsLab } from './chartsHarness.ts';

type AnyOption = Record<string, any>; // loose: the test reads into ECharts unions

const RECURRENT: RecurrentLayout[] = [
  { nodeId: 'lstm', type: 'lstm', time: 4, gates: ['i', 'f', 'g', 'o'] },
  { nodeId: 'rnn', type: 'rnn', time: 4, gates: [] },
];
const NODES = ['x', 'lstm', 'rnn', 'out'];

const lab = useChartsLab('time');

/** A completed run of 10 traced steps; the forget gate's saturation is step / 100. */
async function mountRun(): Promise<VueWrapper> {
  const cols = allocateTraceColumns(10, NODES, [], false, 10, RECURRENT);
  for (let r = 0; r < 10; r++) {
    cols.steps[r] = r;
    cols.recurrent!.metrics.gate_saturation[r * 4 + 1] = r / 100;
  }
  const layout = { nodeIds: NODES, paramNames: [], recurrent: RECURRENT, parameterCount: 1 };
  lab().runs = [summary('r1', { state: 'completed', stepsDone: 10, layout })];
  lab().traces.set('r1', cols);
  return mountCharts();
}

function gateCard(w: VueWrapper) {
  return w.find('figure[data-chart="gate-saturation"]');
}

describe('Through time: gate saturation', () => {
  it("draws the LSTM's gates, one line each, with the trace's values", async () => {
    const w = await mountRun();
    const card = gateCard(w);
    expect(card.exists()).toBe(true);
    expect(card.text()).toContain('Saturated gate values: lstm, per gate');
    expect(card.get('details').text()).toContain(GATE_SATURATION_HELP);
    const buttons = card.findAll('button').map((b) => b.text());
    expect(buttons).toEqual(expect.arrayContaining(['Export PNG', 'Export SVG']));
    const option = (card.findComponent(EChart).props() as AnyOption).option as AnyOption;
    const lines = (option.series as AnyOption[]).filter((s) => / gate \(|candidate \(/.test(s.name ?? ''));
    expect(lines.map((s) => s.name)).toEqual(['input gate (i)', 'forget gate (f)', 'cell candidate (g)', 'output gate (o)']);
    const forget = lines[1];
    // (step, step / 100), as the trace has it.
    expect(forget.data).toHaveLength(10);
    expect(forget.data.at(-1)).toEqual([9, expect.closeTo(0.09, 6)]);
    expect(lines[0].data.at(-1)).toEqual([9, 0]);
    w.unmount();
  });

  it('shows no gate card for a plain RNN', async () => {
    const w = await mountRun();
    await w.get('select').setValue('rnn');
    await settle();
    expect(gateCard(w).exists()).toBe(false);
    expect(w.find('figure[data-chart="timestep-heatmap"]').exists()).toBe(true);
    w.unmount();
  });
});
