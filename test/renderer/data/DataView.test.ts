// @vitest-environment happy-dom
// The Data view against the real LabService (in-process, browser mode): Built-in or
// Import CSV; a CSV file picked in the file input (or dropped on the panel) becomes
// the project's data set, its rows, columns and task shown; a bad file is refused
// with an alert naming the line and column and the project keeps its data set; the
// target column, standardize and sequence column change how the file is read; a
// file that is not 2-D shows as a table whose column names are text, never markup;
// "Hold out for testing" edits the settings' test_fraction (0 to 90 %).
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';

import { useProjectStore } from '../../../renderer/src/stores/project.ts';
import DataView from '../../../renderer/src/views/DataView.vue';
import { useRealLab } from '../helpers.ts';

useRealLab('vglab-data-view-');

const POINTS = 'x1,x2,label\n0.5,1.5,0\n-1,2,1\n0.25,-0.75,1\n1,1,0\n';

/** Lets the preview's debounce (200 ms) and the lab's answers through. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 250));
    await flushPromises();
  }
}

async function mountView(): Promise<VueWrapper> {
  const wrapper = mount(DataView, { attachTo: document.body, global: { stubs: { EChart: { name: 'EChartStub', props: ['option'], template: '<div class="chart-stub" />' } } } });
  await settle();
  return wrapper;
}

/** Puts `files` in the file input named "Import CSV file…" and sends its change event, as a picker does. */
async function pick(wrapper: VueWrapper, name: string, text: string | Uint8Array<ArrayBuffer>): Promise<void> {
  const input = wrapper.get('input[type="file"]');
  expect(input.element.closest('label')?.textContent?.trim()).toBe('Import CSV file…');
  Object.defineProperty(input.element, 'files', { value: [new File([text], name, { type: 'text/csv' })], configurable: true });
  await input.trigger('change');
  await settle();
}

async function chooseSource(wrapper: VueWrapper, value: 'builtin' | 'csv'): Promise<void> {
  await wrapper.get(`input[type="radio"][value="${value}"]`).trigger('change');
  await settle();
}

function chartOption(wrapper: VueWrapper): EChartsOption {
  return wrapper.getComponent({ name: 'EChartStub' }).props('option') as EChartsOption;
}

const projectDataset = () => useProjectStore().project?.dataset;

describe('DataView', () => {
  it('starts on the built-in side with the project set, and has a Built-in / Import CSV choice', async () => {
    const wrapper = await mountView();
    expect(wrapper.get('input[value="builtin"]').element).toHaveProperty('checked', true);
    expect(wrapper.find('input[type="file"]').exists()).toBe(false);
    expect(wrapper.get('select').element).toHaveProperty('value', 'spiral');
    await chooseSource(wrapper, 'csv');
    expect(wrapper.find('input[type="file"]').exists()).toBe(true);
    expect(wrapper.text()).toContain('Import a CSV file to see it here');
    expect(projectDataset()).toEqual({ name: 'spiral', options: {} }); // nothing changes before a file comes
  });

  it('imports a picked CSV file: the project trains on it, its facts and its 2-D scatter are shown', async () => {
    const wrapper = await mountView();
    await chooseSource(wrapper, 'csv');
    await pick(wrapper, 'points.csv', POINTS);
    const dataset = projectDataset();
    expect(dataset).toMatchObject({ csv: { fileName: 'points.csv', standardize: false, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(wrapper.get('.facts').text()).toBe('points.csv: 4 rows, 3 columns, classification into 2 classes.');
    expect(wrapper.text()).toContain('Kept inside the project');
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    const option = chartOption(wrapper);
    expect(option.xAxis).toMatchObject({ name: 'x1' });
    expect(option.yAxis).toMatchObject({ name: 'x2' });
    expect((option.series as { name: string; data: unknown[] }[]).map((s) => [s.name, s.data.length])).toEqual([
      ['0', 2],
      ['1', 2],
    ]);
    // Back to built-in restores the set it had, and CSV again the imported file.
    await chooseSource(wrapper, 'builtin');
    expect(projectDataset()).toEqual({ name: 'spiral', options: {} });
    await chooseSource(wrapper, 'csv');
    expect(projectDataset()).toEqual(dataset);
  });

  it('refuses a bad file with an alert naming the line and column; the project keeps its data set', async () => {
    const wrapper = await mountView();
    await chooseSource(wrapper, 'csv');
    await pick(wrapper, 'broken.csv', 'a,b,y\n1,2,0\n3,oops,1\n');
    expect(wrapper.get('[role="alert"]').text()).toBe('broken.csv: line 3, column "b" (2): "oops" is not a number');
    expect(projectDataset()).toEqual({ name: 'spiral', options: {} });
    await pick(wrapper, 'ragged.csv', 'a,b,y\r\n1,2,0\r\n3,1\r\n');
    expect(wrapper.get('[role="alert"]').text()).toBe('ragged.csv: line 3 has 2 cells; the header has 3');
    // Bytes that are not UTF-8 (a Latin-1 export) are named by line, not turned into "�".
    await pick(wrapper, 'latin1.csv', Uint8Array.from([...new TextEncoder().encode('nom,y\n'), 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x0a]));
    expect(wrapper.get('[role="alert"]').text()).toBe('latin1.csv: line 2 is not UTF-8 text; save the file as UTF-8 ("CSV UTF-8" in a spreadsheet) and import it again');
    // A good file afterwards clears the alert.
    await pick(wrapper, 'points.csv', POINTS);
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });

  it('imports a file dropped on the panel', async () => {
    const wrapper = await mountView();
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [new File([POINTS], 'dropped.csv')], types: ['Files'] } });
    wrapper.get('section.settings').element.dispatchEvent(drop);
    await settle();
    expect(drop.defaultPrevented).toBe(true);
    expect(projectDataset()).toMatchObject({ csv: { fileName: 'dropped.csv' } });
    expect(wrapper.get('input[value="csv"]').element).toHaveProperty('checked', true);
  });

  it('changes the target column, standardize and the sequence column through the project', async () => {
    const wrapper = await mountView();
    await chooseSource(wrapper, 'csv');
    await pick(wrapper, 'points.csv', POINTS);
    const [target] = wrapper.findAll('select');
    expect(target.findAll('option').map((o) => o.text())).toEqual(['x1', 'x2', 'label']);
    await target.setValue('x1');
    await settle();
    expect(projectDataset()).toMatchObject({ csv: { target: 'x1' } });
    expect(wrapper.get('.facts').text()).toContain('regression');
    await wrapper.get('input[type="checkbox"]').setValue(true);
    await settle();
    expect(projectDataset()).toMatchObject({ csv: { target: 'x1', standardize: true } });
    // Sequences cannot be standardized: the lab says so and the project keeps its choice.
    const sequence = wrapper.findAll('select')[1];
    await sequence.setValue('x2');
    await settle();
    expect(wrapper.get('[role="alert"]').text()).toContain('cannot be standardized');
    expect(projectDataset()).not.toHaveProperty('csv.sequenceColumn');
  });

  it('shows a file that is not 2-D as a table, its column names as text (never markup)', async () => {
    const evil = '<img src=x onerror="globalThis.hacked=1">';
    const text = `a,b,"${evil.replace(/"/g, '""')}",y\n1,2,3,0\n4,5,6,1\n7,8,9,0\n`;
    const wrapper = await mountView();
    await chooseSource(wrapper, 'csv');
    await pick(wrapper, 'three.csv', text);
    expect(wrapper.find('.chart-stub').exists()).toBe(false);
    const header = wrapper.findAll('thead')[0].findAll('th').map((th) => th.text());
    expect(header).toEqual(['a', 'b', evil, 'y']);
    expect(wrapper.findAll('tbody')[0].findAll('tr')[1].findAll('td').map((td) => td.text())).toEqual(['4', '5', '6', '1']);
    expect(wrapper.findAll('tbody')[1].findAll('tr')[2].findAll('th, td').map((c) => c.text())).toEqual([evil, '3', '6', '9']);
    expect(wrapper.element.querySelector('img')).toBeNull();
    expect((globalThis as { hacked?: number }).hacked).toBeUndefined();
    // The target select lists it as a plain option text too.
    expect(wrapper.findAll('select')[0].findAll('option').map((o) => o.text())).toContain(evil);
  });

  it('edits the share held out for testing as a percentage from 0 to 90', async () => {
    const wrapper = await mountView();
    const field = wrapper.get('#test-fraction');
    expect(wrapper.get('label[for="test-fraction"]').text()).toBe('Hold out for testing (%)');
    expect(field.element).toHaveProperty('value', '0');
    await field.setValue('20');
    await field.trigger('change');
    await settle();
    expect(useProjectStore().project?.settings.test_fraction).toBe(0.2);
    expect(wrapper.text()).toMatch(/About \d+ of \d+ rows test the network/);
    await field.setValue('95');
    await field.trigger('change');
    await settle();
    expect(wrapper.get('#test-fraction-error').text()).toBe('Type a percentage from 0 to 90 (0 trains on every row).');
    expect(useProjectStore().project?.settings.test_fraction).toBe(0.2);
  });
});
