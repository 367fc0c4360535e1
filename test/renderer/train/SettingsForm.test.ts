// @vitest-environment happy-dom
// The training settings form against the real LabService: it shows only the fields
// the chosen optimiser reads (Adam's betas and epsilon, momentum's coefficient and
// Nesterov), sends valid edits to the lab, and shows the schema's message, which
// names the field, beside the field that is wrong.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { LabService } from '../../../electron/service/labService.ts';
import { installLab } from '../../../renderer/src/api/api.ts';
import { useProjectStore } from '../../../renderer/src/stores/project.ts';
import SettingsForm from '../../../renderer/src/views/train/SettingsForm.vue';
import { backendClient } from '../helpers.ts';

let dir: string;
let service: LabService;
let off: () => void;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-settings-form-'));
  service = new LabService({ mode: 'browser', dataDir: dir, autosaveMs: 0 });
  installLab(backendClient(service));
  setActivePinia(createPinia());
  const project = useProjectStore();
  off = project.listen();
  await project.load();
});

afterEach(async () => {
  off();
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The labels of the form's fields, in order. */
function labels(w: VueWrapper): string[] {
  return w.findAll('label').map((l) => l.text());
}

async function choose(w: VueWrapper, optimizer: string): Promise<void> {
  await w.get('select').setValue(optimizer);
  await flushPromises();
}

async function type(w: VueWrapper, label: string, value: string): Promise<void> {
  const id = w.findAll('label').find((l) => l.text() === label)?.attributes('for');
  if (!id) throw new Error(`no field labelled ${label}`);
  const input = w.get(`#${id}`);
  await input.setValue(value); // setValue fires input and change
  await flushPromises();
}

describe('SettingsForm', () => {
  it('shows only the fields the chosen optimiser reads', async () => {
    const w = mount(SettingsForm, { attachTo: document.body });
    await choose(w, 'sgd');
    const sgd = labels(w);
    expect(sgd).toContain('Learning rate');
    expect(sgd).toContain('Weight decay');
    expect(sgd.filter((l) => /beta|epsilon|Momentum|Nesterov/.test(l))).toEqual([]);

    await choose(w, 'adam');
    expect(labels(w)).toEqual(expect.arrayContaining(['Adam beta1', 'Adam beta2', 'Adam epsilon', 'Weight decay']));
    expect(labels(w).filter((l) => /Momentum|Nesterov/.test(l))).toEqual([]);

    await choose(w, 'momentum');
    expect(labels(w)).toEqual(expect.arrayContaining(['Momentum', 'Nesterov look-ahead', 'Weight decay']));
    expect(labels(w).filter((l) => /beta|epsilon/.test(l))).toEqual([]);
    w.unmount();
  });

  it('sends a valid edit to the lab', async () => {
    const project = useProjectStore();
    const w = mount(SettingsForm, { attachTo: document.body });
    await choose(w, 'adam');
    await type(w, 'Adam beta2', '0.99');
    await type(w, 'Weight decay', '0.0005');
    expect(project.project?.settings.optimizer).toMatchObject({ type: 'adam', beta2: 0.99, weight_decay: 0.0005 });

    await choose(w, 'momentum');
    await w.findAll('label').find((l) => l.text() === 'Nesterov look-ahead')!.get('input').setValue(true);
    await flushPromises();
    expect(project.project?.settings.optimizer).toMatchObject({ type: 'momentum', nesterov: true });

    await w.findAll('label').find((l) => l.text() === 'Clip the gradient norm')!.get('input').setValue(true);
    await flushPromises();
    await type(w, 'Clip at norm', '5');
    expect(project.project?.settings.clip_norm).toBe(5);
    w.unmount();
  });

  it("shows the schema's message beside the field and sends nothing", async () => {
    const project = useProjectStore();
    const w = mount(SettingsForm, { attachTo: document.body });
    await choose(w, 'adam');
    const before = project.project?.settings.optimizer.beta1;
    await type(w, 'Adam beta1', '1.5');
    const input = w.get('#setting-optimizer-beta1');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toContain('setting-optimizer-beta1-error');
    expect(w.get('#setting-optimizer-beta1-error').text()).toMatch(/^optimizer\.beta1 must be a number from 0/);
    expect(project.project?.settings.optimizer.beta1).toBe(before);
    // What was typed stays, so the student can see and correct it.
    expect((input.element as HTMLInputElement).value).toBe('1.5');
    w.unmount();
  });
});
