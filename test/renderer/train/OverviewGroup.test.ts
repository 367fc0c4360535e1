// @vitest-environment happy-dom
// The Overview group: an accuracy card beside the loss for a classifier (none for a
// regression, whose accuracy does not apply), and the run list's test figures.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import RunList from '../../../renderer/src/views/train/RunList.vue';
import { testText } from '../../../renderer/src/views/train/runText.ts';
import { makeColumns } from '../helpers.ts';
import { summary } from '../stores/fakeLab.ts';
import { mountCharts, settle, useChartsLab } from './chartsHarness.ts';

const lab = useChartsLab('overview');

async function mountWith(regression: boolean) {
  const cols = makeColumns(10);
  if (regression) cols.metrics.accuracy.fill(Number.NaN);
  cols.evaluation = { steps: Int32Array.of(0, 10), metrics: { test_loss: Float32Array.of(1, 0.5), test_accuracy: Float32Array.of(0.5, 0.75) } };
  lab().runs = [summary('r1', { state: 'completed', stepsDone: 10, lastTest: { step: 10, loss: 0.5, accuracy: 0.75 } })];
  lab().traces.set('r1', cols);
  return mountCharts();
}

describe('OverviewGroup', () => {
  it('shows an accuracy card for a classifier', async () => {
    const w = await mountWith(false);
    expect(w.find('figure[data-chart="loss"]').exists()).toBe(true);
    expect(w.find('figure[data-chart="accuracy"]').exists()).toBe(true);
    w.unmount();
  });

  it('shows none for a regression', async () => {
    const w = await mountWith(true);
    expect(w.find('figure[data-chart="loss"]').exists()).toBe(true);
    expect(w.find('figure[data-chart="accuracy"]').exists()).toBe(false);
    w.unmount();
  });
});

describe('the run list', () => {
  it('gives the latest test loss and accuracy of a run that holds rows out, and nothing for one that does not', async () => {
    await mountWith(false);
    const w = mount(RunList, { attachTo: document.body });
    await settle();
    expect(w.text()).toContain('test loss 0.5, 75.0% right');
    expect(testText({})).toBeNull();
    expect(testText({ lastTest: { step: 3, loss: 0.25 } })).toBe('test loss 0.25');
    w.unmount();
  });
});
