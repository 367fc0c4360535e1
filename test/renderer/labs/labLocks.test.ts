// @vitest-environment happy-dom
// Lab locks, enforced while the lab is open in the Labs view, against the real
// LabService: a lab that locks the network makes the designer refuse every edit
// (palette, delete, paste, inspector) under a banner that says how to leave the
// lab, and leaving it gives the editing, and the undo history, back; a lab that
// limits node types filters the palette and refuses a paste or template with
// others, saying why; a lab that locks the settings disables the settings form.
// The locks survive a lab file's round trip through the service.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';

import type { LabInput } from '../../../core/labs/schema.ts';
import { buildTemplate } from '../../../core/network/templates.ts';
import { LabService } from '../../../electron/service/labService.ts';
import { installLab } from '../../../renderer/src/api/api.ts';
import NetworkDesigner from '../../../renderer/src/designer/NetworkDesigner.vue';
import TemplatePicker from '../../../renderer/src/designer/TemplatePicker.vue';
import { useProjectStore } from '../../../renderer/src/stores/project.ts';
import DesignerView from '../../../renderer/src/views/DesignerView.vue';
import { labLockState, NO_LOCKS } from '../../../renderer/src/views/labs/labLocks.ts';
import { useLabsStore } from '../../../renderer/src/views/labs/labsStore.ts';
import SettingsForm from '../../../renderer/src/views/train/SettingsForm.vue';
import { backendClient } from '../helpers.ts';

// The browser's file dialog is the one stand-in: it hands over the lab file's text.
const picked = vi.hoisted(() => ({ file: null as { fileName: string; text: string } | null }));
vi.mock('../../../renderer/src/views/labs/pickLabFile.ts', () => ({ pickLabFile: async () => picked.file }));

const LAB_01 = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'labs', '01-see-the-vanishing.json'), 'utf8')) as LabInput;
const LAB_03_TYPES = ['input', 'dense', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu'];

let dir: string;
let service: LabService;
let offs: (() => void)[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-lab-locks-'));
  service = new LabService({ mode: 'browser', dataDir: dir, autosaveMs: 0 });
  installLab(backendClient(service));
  setActivePinia(createPinia());
  picked.file = null;
  const project = useProjectStore();
  offs = [project.listen()];
  await project.load();
});

afterEach(async () => {
  for (const off of offs) off();
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Lab 01 as a file of the student's own, with `locks`. */
async function openLockedLab(locks: LabInput['locks']): Promise<void> {
  picked.file = { fileName: 'locked.json', text: JSON.stringify({ ...LAB_01, id: 'locked-lab', title: 'Locked lab', locks }) };
  expect(await useLabsStore().openFile()).toBe(true);
  await flushPromises();
}

type Designer = { selectAll(): void; copy(): void; paste(): void; deleteSelection(): void; undo(): void };

function designerOf(w: VueWrapper): { vm: Designer; networks: () => unknown[] } {
  const d = w.findComponent(NetworkDesigner);
  return { vm: d.vm as unknown as Designer, networks: () => d.emitted('update:network') ?? [] };
}

function paletteTypes(w: VueWrapper): string[] {
  return w.findAll('button[data-node-type]').map((b) => b.attributes('data-node-type')!);
}

describe('labLockState', () => {
  it('locks nothing without a lab or for a lab whose locks leave everything editable', () => {
    expect(labLockState(null)).toBe(NO_LOCKS);
    expect(labLockState({ ...LAB_01, locks: { network: 'editable', settings: 'editable' } } as never)).toBe(NO_LOCKS);
  });
});

describe('a lab file with locks', () => {
  it('keeps its locks through the service and back: opened, written out and opened again', async () => {
    const locks = { nodeTypes: ['input', 'dense', 'relu'], network: 'readonly', settings: 'readonly' } as const;
    const first = await service.dispatch('labs.openText', { text: JSON.stringify({ ...LAB_01, id: 'round-trip', locks }), fileName: 'a.json' });
    expect(first.locks).toEqual(locks);
    const again = await service.dispatch('labs.openText', { text: JSON.stringify(first), fileName: 'b.json' });
    expect(again).toEqual(first);
    expect(labLockState(again)).toEqual({ labTitle: LAB_01.title, networkLocked: true, settingsLocked: true, nodeTypes: locks.nodeTypes });
  });
});

describe('the designer under a lab that locks the network', () => {
  it('refuses every edit, shows a banner saying how to leave, and leaving restores editing and the undo history', async () => {
    const w = mount(DesignerView, { attachTo: document.body });
    await flushPromises();
    const { vm, networks } = designerOf(w);
    // An edit before the lab opens, to undo after it closes.
    await w.get('button[data-node-type="relu"]').trigger('click');
    expect(networks()).toHaveLength(1);

    await openLockedLab({ network: 'readonly' });
    const banner = w.get('[role="note"]');
    expect(banner.text()).toContain('The lab “Locked lab” locks the network');
    expect(banner.text()).toContain('← All labs');
    expect(w.findAll('button[data-node-type]').every((b) => b.attributes('disabled') !== undefined)).toBe(true);
    await w.get('button[data-node-type="dense"]').trigger('click');
    vm.selectAll();
    await nextTick();
    vm.deleteSelection();
    vm.copy();
    vm.paste();
    vm.undo();
    await flushPromises();
    expect(networks()).toHaveLength(1);
    const fields = w.findAll('.vg-designer__side input, .vg-designer__side select');
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.every((f) => f.attributes('disabled') !== undefined)).toBe(true);

    await banner.get('button').trigger('click');
    await flushPromises();
    expect(useLabsStore().current).toBeNull();
    expect(w.find('[role="note"]').exists()).toBe(false);
    vm.undo();
    await nextTick();
    const undone = networks().at(-1) as [{ nodes: { id: string }[] }];
    expect(networks()).toHaveLength(2);
    expect(undone[0].nodes.some((n) => n.id === 'relu1')).toBe(false);
    // The designer's edits reach the project after a pause: send them now, not into the next test's service.
    useProjectStore().flushEdits();
    await flushPromises();
    w.unmount();
  });
});

describe('the designer under a lab that limits node types (bundled lab 03)', () => {
  it('offers only those types, and refuses a paste or a template that would add others, saying why', async () => {
    // The project's network holds a dropout node, which lab 03 does not allow.
    const project = useProjectStore();
    const net = structuredClone(project.network!);
    net.nodes.push({ id: 'drop', type: 'dropout', params: { p: 0.5 } });
    expect(await project.update({ network: net })).toBe(true);
    const w = mount(DesignerView, { attachTo: document.body });
    await flushPromises();
    expect(paletteTypes(w)).toContain('lstm');

    expect(await useLabsStore().open('activations')).toBe(true);
    await flushPromises();
    expect(paletteTypes(w).sort()).toEqual([...LAB_03_TYPES].sort());
    expect(w.get('[role="note"]').text()).toContain('allows only Input, Dense, Sigmoid');

    const { vm, networks } = designerOf(w);
    vm.selectAll();
    await nextTick();
    vm.copy();
    vm.paste();
    await flushPromises();
    expect(networks()).toHaveLength(0);
    const notice = w.get('.vg-designer__notice').text();
    expect(notice).toMatch(/^Not pasted: it would add Dropout, and the lab “Lab 3[^”]*” allows only/);

    await w.get('button[aria-controls="vg-designer-templates"]').trigger('click');
    w.findComponent(TemplatePicker).vm.$emit('apply', buildTemplate('lstm_adding'));
    await flushPromises();
    expect(networks()).toHaveLength(0);
    expect(w.get('.vg-designer__notice').text()).toContain('not applied: it would add LSTM');
    // An allowed type is still added.
    await w.get('button[data-node-type="tanh"]').trigger('click');
    expect(networks()).toHaveLength(1);
    project.flushEdits();
    await flushPromises();
    w.unmount();
  });
});

describe('the settings form under a lab that locks the settings', () => {
  it('puts every field in a disabled fieldset, with a banner, until the lab is left', async () => {
    const w = mount(SettingsForm, { attachTo: document.body });
    await flushPromises();
    expect(w.find('fieldset').attributes('disabled')).toBeUndefined();
    await openLockedLab({ settings: 'readonly' });
    const fieldset = w.get('fieldset');
    expect(fieldset.attributes('disabled')).toBeDefined();
    const controls = w.findAll('input, select');
    expect(controls.length).toBeGreaterThan(3);
    expect(controls.every((c) => fieldset.element.contains(c.element))).toBe(true);
    expect(w.get('[role="note"]').text()).toContain('locks the training settings');
    useLabsStore().close();
    await flushPromises();
    expect(w.get('fieldset').attributes('disabled')).toBeUndefined();
    w.unmount();
  });
});
