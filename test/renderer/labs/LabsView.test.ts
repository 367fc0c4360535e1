// @vitest-environment happy-dom
// The Labs view against the real LabService (in-process, browser mode): the picker
// lists the bundled labs; a lab opens as a sheet whose every control has a name;
// "Load into designer" makes the preset the project's network; "Run this preset"
// shows its run's state; answers are saved after a pause; teacher mode reveals
// the answer keys; a lab file's text stays text (no markup); the report downloads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { LabService } from '../../../electron/service/labService.ts';
import { installLab } from '../../../renderer/src/api/api.ts';
import { useProjectStore } from '../../../renderer/src/stores/project.ts';
import { useRunsStore } from '../../../renderer/src/stores/runs.ts';
import LabsView from '../../../renderer/src/views/LabsView.vue';
import { ANSWER_DEBOUNCE_MS, useLabsStore } from '../../../renderer/src/views/labs/labsStore.ts';
import { backendClient } from '../helpers.ts';

const downloads = vi.hoisted(() => [] as { fileName: string; text: string; type?: string }[]);
vi.mock('../../../renderer/src/files/download.ts', () => ({
  downloadText: (fileName: string, text: string, type?: string) => downloads.push({ fileName, text, type }),
}));
const picked = vi.hoisted(() => ({ file: null as { fileName: string; text: string } | null }));
vi.mock('../../../renderer/src/views/labs/pickLabFile.ts', () => ({ pickLabFile: async () => picked.file }));

let dir: string;
let service: LabService;
let offs: (() => void)[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-labs-view-'));
  service = new LabService({ mode: 'browser', dataDir: dir, autosaveMs: 0 });
  installLab(backendClient(service));
  setActivePinia(createPinia());
  downloads.length = 0;
  picked.file = null;
  const project = useProjectStore();
  const runs = useRunsStore();
  offs = [project.listen(), runs.listen()];
  await Promise.all([project.load(), runs.load()]);
});

afterEach(async () => {
  for (const off of offs) off();
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openLab1(): Promise<VueWrapper> {
  const wrapper = mount(LabsView, { attachTo: document.body });
  await flushPromises();
  await wrapper.get('button[aria-label="Open Lab 1: See the gradient vanish"]').trigger('click');
  await flushPromises();
  return wrapper;
}

/** Every button, input and text area has an accessible name (its text, aria-label or a label). */
function unnamedControls(wrapper: VueWrapper): string[] {
  const root = wrapper.element as HTMLElement;
  return Array.from(root.querySelectorAll('button, input, textarea'))
    .filter((el) => {
      const label = el.getAttribute('aria-label') || el.textContent?.trim() || (el.id && root.querySelector(`label[for="${el.id}"]`)?.textContent?.trim()) || el.closest('label')?.textContent?.trim();
      return !label;
    })
    .map((el) => el.outerHTML);
}

describe('LabsView', () => {
  it('lists the seven bundled labs, and opens one as a sheet with headings and named controls', async () => {
    const wrapper = mount(LabsView, { attachTo: document.body });
    await flushPromises();
    expect(wrapper.findAll('.lab-card')).toHaveLength(7);
    expect(wrapper.get('h2').text()).toBe('Guided labs');
    await wrapper.get('button[aria-label="Open Lab 1: See the gradient vanish"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('h2').text()).toBe('Lab 1: See the gradient vanish');
    expect(wrapper.findAll('h3').map((h) => h.text())).toEqual(['Objectives', 'Steps', 'Checkpoints', 'Questions']);
    // Lab 1 locks nothing, so no lock note.
    expect(wrapper.text()).not.toContain('Designer locks');
    expect(wrapper.findAll('[data-verdict="not-yet"]')).toHaveLength(6);
    expect(unnamedControls(wrapper)).toEqual([]);
    wrapper.unmount();
  });

  it('loads a preset into the designer, and runs one showing its state', async () => {
    const wrapper = await openLab1();
    await wrapper.get('button[aria-label="Load into designer: 3 sigmoid layers"]').trigger('click');
    await flushPromises();
    const project = useProjectStore();
    expect(project.project?.network.nodes.filter((n) => n.type === 'sigmoid')).toHaveLength(3);
    expect(project.project?.settings.optimizer).toMatchObject({ type: 'adam', lr: 0.03 });
    expect(project.project?.dataset).toEqual({ name: 'spiral', options: { n: 400 } });

    await wrapper.get('button[aria-label="Run this preset: 3 sigmoid layers"]').trigger('click');
    await flushPromises();
    const run = useRunsStore().runs.find((r) => r.lab?.presetId === 'shallow-sigmoid');
    expect(run?.label).toBe('3 sigmoid layers');
    expect(wrapper.find('button[aria-label="Run again: 3 sigmoid layers"]').exists()).toBe(true);
    expect(wrapper.find('[role="progressbar"][aria-label="Progress of 3 sigmoid layers"]').exists()).toBe(true);
    await service.dispatch('runs.stop', { runId: run!.id }).catch(() => {});
    wrapper.unmount();
  });

  it('saves answers after a pause, and teacher mode shows the answer keys', async () => {
    const wrapper = await openLab1();
    expect(wrapper.text()).not.toContain('Answer key:');
    await wrapper.get('textarea#answer-why-flat').setValue('ln 2 <b>guessing</b>');
    expect(useLabsStore().answerState).toBe('pending');
    await wait(ANSWER_DEBOUNCE_MS + 100);
    await flushPromises();
    expect((await service.dispatch('project.get', {})).project.labProgress?.['see-the-vanishing']?.answers).toEqual({ 'why-flat': 'ln 2 <b>guessing</b>' });
    expect(wrapper.text()).toContain('Answers saved with the project');

    await wrapper.get('input[type="checkbox"]').setValue(true);
    expect(wrapper.findAll('.key')).toHaveLength(3);
    expect(wrapper.text()).toContain('Notes for the teacher');

    await wrapper.get('button.primary').trigger('click'); // Export lab report
    await flushPromises();
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({ fileName: 'see-the-vanishing-report-teacher.html', type: 'text/html' });
    expect(downloads[0].text).toContain('ln 2 &lt;b&gt;guessing&lt;/b&gt;');
    wrapper.unmount();
  });

  it('shows a lab file\'s text as text, and its locks with a note on how to lift them', async () => {
    const own = JSON.parse(readFileSync(join(import.meta.dirname, '../../../labs/01-see-the-vanishing.json'), 'utf8'));
    own.id = 'hostile';
    own.title = '<img src=x onerror="alert(1)">Hostile';
    own.locks = { network: 'readonly', settings: 'editable' };
    picked.file = { fileName: 'hostile.json', text: JSON.stringify(own) };
    const wrapper = mount(LabsView, { attachTo: document.body });
    await flushPromises();
    await wrapper.get('.head button').trigger('click'); // Open lab file…
    await flushPromises();
    expect(wrapper.get('h2').text()).toBe('<img src=x onerror="alert(1)">Hostile');
    expect(wrapper.find('img').exists()).toBe(false);
    expect(wrapper.text()).toContain('The network is read-only');
    expect(wrapper.text()).toContain('keep to these locks while this lab is open; “← All labs” leaves the lab');
    await wrapper.get('button').trigger('click'); // ← All labs
    await flushPromises();
    expect(wrapper.findAll('.lab-card').at(-1)?.text()).toContain('Opened from a file');
    wrapper.unmount();
  });
});
