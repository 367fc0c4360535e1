// @vitest-environment happy-dom
// The run controls' Export… panel against the real LabService (in-process, a real
// engine host trains the run): the trained run's traces download as a zip holding
// the CSV and JSON files (and the Parquet tables when asked), its PyTorch module as
// a .py file; an untrained run's choices are disabled and the panel says why;
// Escape closes it from the keyboard; in the desktop app the exports go through the
// save dialog (a stand-in for Electron's, held open to see the busy state), a cancel
// says nothing and a failed write is an error notice that says why.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RunSummary } from '../../../core/api/labApi.ts';
import type { LabService } from '../../../electron/service/labService.ts';
import { useRunsStore } from '../../../renderer/src/stores/runs.ts';
import { useUiStore } from '../../../renderer/src/stores/ui.ts';
import RunControls from '../../../renderer/src/views/train/RunControls.vue';
import { exportBlocker } from '../../../renderer/src/views/train/runExport.ts';
import { button, captureDownloads, connectStores, finished, startService, until } from '../realLabHarness.ts';

let dir: string;
let service: LabService;
let trained: RunSummary;
let untrained: RunSummary;
let disconnect: () => void = () => {};
const downloads = captureDownloads();

/** A 20-step run labelled `label`, trained to the end. */
async function train(s: LabService, label: string): Promise<RunSummary> {
  const settings = { ...(await s.dispatch('project.get', {})).project.settings, steps: 20, trace_every: 5 };
  const run = await s.dispatch('runs.create', { label, settings });
  await s.dispatch('runs.start', { runId: run.id });
  return finished(s, run.id);
}

/** Fresh stores on `s` with run `runId` selected. */
async function connect(s: LabService, runId: string): Promise<void> {
  disconnect();
  disconnect = await connectStores(s);
  useRunsStore().select(runId);
}

/** The controls, with the Export… panel opened. */
async function openedPanel(): Promise<VueWrapper> {
  const wrapper = mount(RunControls, { attachTo: document.body });
  await flushPromises();
  const toggle = button(wrapper, 'Export…');
  expect(toggle.attributes('aria-expanded')).toBe('false');
  await toggle.trigger('click');
  expect(toggle.attributes('aria-expanded')).toBe('true');
  expect(wrapper.get(`#${toggle.attributes('aria-controls')}`).attributes('role')).toBe('group');
  return wrapper;
}

async function zipEntries(blob: Blob): Promise<string[]> {
  return Object.keys(unzipSync(new Uint8Array(await blob.arrayBuffer()))).sort();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-run-export-'));
  service = startService(dir);
  trained = await train(service, 'First run');
  untrained = await service.dispatch('runs.create', { label: 'Never trained' });
}, 60_000);

afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  disconnect();
  disconnect = () => {};
  document.body.innerHTML = '';
});

describe('the Export… panel in browser mode', () => {
  it('downloads the traces as a zip, with Parquet when asked, and the PyTorch module, busy while each works', async () => {
    await connect(service, trained.id);
    const wrapper = await openedPanel();
    expect(wrapper.find('[role="group"][aria-label="Export First run"]').exists()).toBe(true);

    await button(wrapper, 'Traces (CSV + JSON)').trigger('click');
    await until(() => downloads.length === 1);
    expect(downloads[0].fileName).toBe('First run-traces.zip');
    expect(downloads[0].blob.type).toBe('application/zip');
    const plain = await zipEntries(downloads[0].blob);
    expect(plain).toContain('First run-traces/steps.csv');
    expect(plain).toContain('First run-traces/traces.json');
    expect(plain.filter((name) => name.endsWith('.parquet'))).toEqual([]);
    await flushPromises();
    expect(useUiStore().notices.at(-1)?.text).toBe('Downloaded First run-traces.zip');

    await button(wrapper, 'Traces with Parquet').trigger('click');
    await until(() => downloads.length === 2);
    const withParquet = await zipEntries(downloads[1].blob);
    expect(withParquet).toEqual([...plain, ...plain.filter((n) => n.endsWith('.csv')).map((n) => n.replace(/\.csv$/, '.parquet'))].sort());

    await button(wrapper, 'PyTorch module (.py)').trigger('click');
    await until(() => downloads.length === 3);
    expect(downloads[2].fileName).toBe('first_run.py');
    expect(downloads[2].blob.type).toBe('text/x-python');
    expect(await downloads[2].blob.text()).toContain('class VglabNet(nn.Module):');
    wrapper.unmount();
  });

  it('disables the choices of a run that has not trained, and says why', async () => {
    await connect(service, untrained.id);
    const wrapper = await openedPanel();
    const reason = wrapper.get('.reason');
    expect(reason.text()).toBe('Never trained has not trained a step yet, so it has no traces or weights to export.');
    for (const name of ['Traces (CSV + JSON)', 'Traces with Parquet', 'PyTorch module (.py)']) {
      const choice = button(wrapper, name);
      expect(choice.attributes('disabled'), name).toBeDefined();
      expect(choice.attributes('aria-describedby')).toBe(reason.attributes('id'));
    }
    wrapper.unmount();
  });

  it('closes on Escape and gives the focus back to Export…', async () => {
    await connect(service, trained.id);
    const wrapper = await openedPanel();
    const first = button(wrapper, 'Traces (CSV + JSON)');
    (first.element as HTMLButtonElement).focus();
    await first.trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.find('[role="group"][aria-label="Export First run"]').exists()).toBe(false);
    expect(document.activeElement).toBe(button(wrapper, 'Export…').element);
    expect(button(wrapper, 'Export…').attributes('aria-expanded')).toBe('false');
    wrapper.unmount();
  });

  it('cannot open with no run selected', async () => {
    await connect(service, trained.id);
    useRunsStore().select(null);
    const wrapper = mount(RunControls, { attachTo: document.body });
    await flushPromises();
    expect(button(wrapper, 'Export…').attributes('disabled')).toBeDefined();
    expect(button(wrapper, 'Export…').attributes('title')).toBe('Select a run to export it');
    wrapper.unmount();
  });
});

describe('exportBlocker', () => {
  it('lets a finished or paused run with steps export, and says why a training or untrained one cannot', () => {
    expect(exportBlocker(trained)).toBeNull();
    expect(exportBlocker({ ...trained, state: 'paused' })).toBeNull();
    expect(exportBlocker({ ...trained, state: 'running' })).toBe('First run is training: pause it or let it finish to export it.');
    expect(exportBlocker(untrained)).toMatch(/^Never trained has not trained a step yet/);
    expect(exportBlocker(null)).toBe('Select a run to export it.');
  });
});

describe('the Export… panel in the desktop app', () => {
  it('saves through the save dialog, busy while it is open; says nothing on cancel; shows a failed write as an error', async () => {
    let answer: string | null = join(dir, 'chosen traces.zip');
    // The stand-in for Electron's dialog stays open until the test answers it.
    let asked = 0;
    let answerDialog = () => {};
    const desktop = startService(dir, {
      mode: 'desktop',
      dialogs: {
        openProject: async () => null,
        saveProject: async () => null,
        saveExport: () => {
          asked++;
          return new Promise((resolve) => (answerDialog = () => resolve(answer)));
        },
      },
    });
    try {
      const run = await train(desktop, 'Desk run');
      await connect(desktop, run.id);
      const wrapper = await openedPanel();
      await button(wrapper, 'Traces with Parquet').trigger('click');
      await until(() => asked === 1);
      // While it works: the button says so, every choice waits (aria-disabled, so the focus
      // stays on the button pressed), the status line speaks, and another click starts nothing.
      expect(button(wrapper, 'Zipping traces…').attributes('aria-disabled')).toBe('true');
      expect(button(wrapper, 'PyTorch module (.py)').attributes('aria-disabled')).toBe('true');
      expect(wrapper.get('[role="status"]').text()).toBe('Exporting Desk run…');
      expect(wrapper.get('[role="group"][aria-label="Export Desk run"]').attributes('aria-busy')).toBe('true');
      await button(wrapper, 'PyTorch module (.py)').trigger('click');
      await flushPromises();
      expect(asked).toBe(1);
      answerDialog();
      await until(() => useUiStore().notices.some((n) => n.kind === 'success'));
      expect(wrapper.find('[role="group"][aria-busy]').exists()).toBe(false);
      expect(button(wrapper, 'Traces with Parquet').attributes('aria-disabled')).toBeUndefined();
      expect(useUiStore().notices.at(-1)!.text).toBe(`Saved the traces of Desk run to ${answer}`);
      expect(Object.keys(unzipSync(new Uint8Array(readFileSync(answer!))))).toContain('Desk run-traces/params.parquet');

      answer = null;
      const before = useUiStore().notices.length;
      await button(wrapper, 'PyTorch module (.py)').trigger('click');
      await until(() => asked === 2);
      answerDialog();
      await until(() => !wrapper.find('[role="group"][aria-busy="true"]').exists());
      expect(useUiStore().notices).toHaveLength(before);

      answer = join(dir, 'missing', 'desk.py');
      await button(wrapper, 'PyTorch module (.py)').trigger('click');
      await until(() => asked === 3);
      answerDialog();
      await until(() => useUiStore().errors.length > 0);
      expect(useUiStore().errors[0].text).toMatch(/^Desk run was not exported: could not write .*missing\/desk\.py: /);
      expect(downloads).toHaveLength(0);
      wrapper.unmount();
    } finally {
      await desktop.dispose();
    }
  }, 60_000);
});
