// @vitest-environment happy-dom
// The Report view against the real LabService (in-process; real engine hosts and
// the real Chromium): trained runs are ticked, an untrained one is listed disabled;
// the preview is the lab's report page in a frame that may run nothing, and follows
// the selection; Export HTML and Export PDF download in browser mode (busy and
// disabled while they work) and go through the save dialog in the desktop (a
// stand-in for Electron's dialog); a missing browser is an error notice that says
// what to set; the open lab's report exports too; every control has a name.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { NodeHostLauncher } from '../../../electron/engineHost/nodeLauncher.ts';
import { LabService, type LabServiceOptions } from '../../../electron/service/labService.ts';
import { installLab } from '../../../renderer/src/api/api.ts';
import { useProjectStore } from '../../../renderer/src/stores/project.ts';
import { useRunsStore } from '../../../renderer/src/stores/runs.ts';
import { useUiStore } from '../../../renderer/src/stores/ui.ts';
import ReportView from '../../../renderer/src/views/ReportView.vue';
import { PREVIEW_DEBOUNCE_MS } from '../../../renderer/src/views/report/reportStore.ts';
import { useLabsStore } from '../../../renderer/src/views/labs/labsStore.ts';
import { backendClient } from '../helpers.ts';

let dir: string;
let service: LabService;
let offs: (() => void)[] = [];

/** What the page handed the browser to download: the anchor's file name and the blob. */
const downloads: { fileName: string; blob: Blob }[] = [];
let lastBlob: Blob | null = null;

function start(options: Partial<LabServiceOptions> = {}): LabService {
  // The host's path by name: under happy-dom this module's own URL does not lead to it.
  const launcher = new NodeHostLauncher({ entry: resolve('electron/engineHost/host.ts') });
  return new LabService({ mode: 'browser', dataDir: join(dir, `data-${Math.random()}`), autosaveMs: 0, launcher, ...options });
}

async function finished(s: LabService, runId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const run = (await s.dispatch('runs.list', {})).find((r) => r.id === runId)!;
    if (['completed', 'diverged', 'failed', 'cancelled'].includes(run.state)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

/** Connects fresh stores to `s`, as main.ts and App.vue do. */
async function connect(s: LabService): Promise<void> {
  installLab(backendClient(s));
  setActivePinia(createPinia());
  const project = useProjectStore();
  const runsStore = useRunsStore();
  offs = [project.listen(), runsStore.listen()];
  await Promise.all([project.load(), runsStore.load()]);
}

async function mounted(): Promise<VueWrapper> {
  const wrapper = mount(ReportView, { attachTo: document.body });
  await flushPromises();
  return wrapper;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `test` holds, flushing Vue between looks (exports print a PDF: seconds). */
async function until(test: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await wait(20);
    await flushPromises();
  }
}

function button(wrapper: VueWrapper, name: string) {
  const b = wrapper.findAll('button').find((x) => x.text() === name);
  if (!b) throw new Error(`no button "${name}" in ${wrapper.findAll('button').map((x) => x.text()).join(', ')}`);
  return b;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-report-view-'));
  service = start();
  await service.dispatch('project.new', { name: 'Report study' });
  const settings = { ...(await service.dispatch('project.get', {})).project.settings, steps: 30, trace_every: 5 };
  const a = await service.dispatch('runs.create', { label: 'First run', settings });
  const b = await service.dispatch('runs.create', { label: 'Second run', settings: { ...settings, seed: 7 } });
  await service.dispatch('runs.create', { label: 'Never trained', settings });
  await service.dispatch('runs.start', { runId: a.id });
  await service.dispatch('runs.start', { runId: b.id });
  await finished(service, a.id);
  await finished(service, b.id);
}, 60_000);

afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  downloads.length = 0;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob: Blob | MediaSource) => {
    lastBlob = blob as Blob;
    return 'blob:report';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  // The browser's download itself: the anchor's click, which happy-dom would follow as a navigation.
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ fileName: this.download, blob: lastBlob! });
  });
  await connect(service);
});

afterEach(() => {
  for (const off of offs) off();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('ReportView', () => {
  it('ticks the trained runs, lists an untrained one disabled, and previews the report in a frame that runs nothing', async () => {
    const wrapper = await mounted();
    const boxes = wrapper.findAll('input[type="checkbox"]');
    expect(boxes).toHaveLength(3);
    const byLabel = (label: string) => boxes.find((b) => b.element.closest('label')!.textContent!.includes(label))!.element as HTMLInputElement;
    expect(byLabel('First run').checked).toBe(true);
    expect(byLabel('Second run').checked).toBe(true);
    expect(byLabel('Never trained').disabled).toBe(true);
    expect(byLabel('Never trained').closest('label')!.textContent).toContain('not trained yet');

    await until(() => wrapper.find('iframe').exists());
    const frame = wrapper.get('iframe').element as HTMLIFrameElement;
    expect(frame.getAttribute('title')).toBe('Report preview');
    // An empty sandbox: no scripts, no forms, no top navigation, an opaque origin.
    expect(frame.getAttribute('sandbox')).toBe('');
    const page = frame.getAttribute('srcdoc')!;
    expect(page).toContain('<h2 id="run-0">First run</h2>');
    expect(page).toContain('<h2 id="run-1">Second run</h2>');
    expect(page).toContain('class="network-diagram"');

    // Unticking a run builds the preview again without it.
    await wrapper.findAll('input[type="checkbox"]')[0].setValue(false);
    await wait(PREVIEW_DEBOUNCE_MS + 50);
    await until(() => !(wrapper.get('iframe').element.getAttribute('srcdoc') ?? '').includes('First run'));
    expect(wrapper.get('iframe').element.getAttribute('srcdoc')).toContain('<h2 id="run-0">Second run</h2>');
    wrapper.unmount();
  });

  it('says there is nothing to report and disables the exports when no run is picked', async () => {
    const wrapper = await mounted();
    await button(wrapper, 'Clear the selection').trigger('click');
    await wait(PREVIEW_DEBOUNCE_MS + 50);
    await flushPromises();
    expect(wrapper.text()).toContain('Pick at least one trained run to see the report.');
    expect(wrapper.find('iframe').exists()).toBe(false);
    expect(button(wrapper, 'Export HTML').attributes('disabled')).toBeDefined();
    expect(button(wrapper, 'Export PDF').attributes('disabled')).toBeDefined();
    await button(wrapper, 'Select all runs').trigger('click');
    expect(button(wrapper, 'Export HTML').attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('downloads the report as HTML, and as PDF with the buttons busy while it prints', async () => {
    const wrapper = await mounted();
    await button(wrapper, 'Export HTML').trigger('click');
    await until(() => downloads.length === 1);
    expect(downloads[0].fileName).toBe('Report study report.html');
    expect(downloads[0].blob.type).toBe('text/html');
    expect(await downloads[0].blob.text()).toContain('class="network-diagram"');

    await button(wrapper, 'Export PDF').trigger('click');
    await flushPromises();
    // While the lab prints: the button says so, every export is disabled, the status line speaks.
    expect(button(wrapper, 'Printing PDF…').attributes('disabled')).toBeDefined();
    expect(button(wrapper, 'Export HTML').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[role="status"]').text()).toBe('Printing the report to PDF…');
    expect(wrapper.get('.report-view').attributes('aria-busy')).toBe('true');
    await until(() => downloads.length === 2);
    expect(downloads[1].fileName).toBe('Report study report.pdf');
    expect(downloads[1].blob.type).toBe('application/pdf');
    const bytes = Buffer.from(await downloads[1].blob.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await flushPromises();
    expect(button(wrapper, 'Export PDF').attributes('disabled')).toBeUndefined();
    expect(useUiStore().notices.map((n) => n.text)).toContain('Downloaded Report study report.pdf');
    wrapper.unmount();
  });

  it('shows an error notice naming VGLAB_CHROMIUM when it points at no browser', async () => {
    const before = process.env.VGLAB_CHROMIUM;
    process.env.VGLAB_CHROMIUM = join(dir, 'missing-browser');
    try {
      const wrapper = await mounted();
      await button(wrapper, 'Export PDF').trigger('click');
      await until(() => useUiStore().errors.length > 0);
      expect(useUiStore().errors[0].text).toMatch(/^The report was not exported: VGLAB_CHROMIUM is set to ".*missing-browser", which does not exist/);
      expect(downloads).toHaveLength(0);
      await flushPromises();
      expect(button(wrapper, 'Export PDF').attributes('disabled')).toBeUndefined();
      wrapper.unmount();
    } finally {
      if (before === undefined) delete process.env.VGLAB_CHROMIUM;
      else process.env.VGLAB_CHROMIUM = before;
    }
  });

  it('exports the open lab report too', async () => {
    const labs = useLabsStore();
    await labs.open('see-the-vanishing');
    const wrapper = await mounted();
    expect(wrapper.get('#lab-report-heading').text()).toBe('Lab report: Lab 1: See the gradient vanish');
    await button(wrapper, 'Export lab report as HTML').trigger('click');
    await until(() => downloads.length === 1);
    expect(downloads[0].fileName).toBe('see-the-vanishing-report.html');
    expect(await downloads[0].blob.text()).toContain('<!DOCTYPE html>');
    wrapper.unmount();
  });

  it('names every control and leaves each in the tab order', async () => {
    await useLabsStore().open('see-the-vanishing');
    const wrapper = await mounted();
    await until(() => wrapper.find('iframe').exists());
    const root = wrapper.element as HTMLElement;
    const controls = Array.from(root.querySelectorAll('button, input, iframe'));
    expect(controls.length).toBeGreaterThanOrEqual(9);
    for (const el of controls) {
      const name = el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent?.trim() || el.closest('label')?.textContent?.trim();
      expect(name, el.outerHTML).toBeTruthy();
      expect(el.getAttribute('tabindex'), el.outerHTML).not.toBe('-1');
    }
    wrapper.unmount();
  });
});

describe('ReportView in the desktop app', () => {
  it('exports through the save dialog', async () => {
    const chosen = join(dir, 'saved report.html');
    const desktop = start({
      mode: 'desktop',
      dialogs: { openProject: async () => null, saveProject: async () => null, saveReport: async () => chosen },
    });
    try {
      const settings = { ...(await desktop.dispatch('project.get', {})).project.settings, steps: 10, trace_every: 5 };
      const run = await desktop.dispatch('runs.create', { label: 'Desk run', settings });
      await desktop.dispatch('runs.start', { runId: run.id });
      await finished(desktop, run.id);
      for (const off of offs) off();
      await connect(desktop);
      const wrapper = await mounted();
      await button(wrapper, 'Export HTML').trigger('click');
      await until(() => useUiStore().notices.some((n) => n.kind === 'success'));
      expect(useUiStore().notices.at(-1)!.text).toBe(`Saved the report to ${chosen}`);
      expect(readFileSync(chosen, 'utf8')).toContain('<h2 id="run-0">Desk run</h2>');
      expect(downloads).toHaveLength(0);
      wrapper.unmount();
    } finally {
      await desktop.dispose();
    }
  });
});
