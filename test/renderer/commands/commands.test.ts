// @vitest-environment happy-dom
// One handler per AppCommand: canvas commands reach the designer only while it is
// shown, and a menu accelerator that also arrives as a key press runs once.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';

import { installLab } from '../../../renderer/src/api/api.ts';
import { createCommandRunner } from '../../../renderer/src/commands/commands.ts';
import { setDesignerHandle, type DesignerHandle } from '../../../renderer/src/commands/designerHandle.ts';
import { useUiStore } from '../../../renderer/src/stores/ui.ts';
import { FakeLab, summary } from '../stores/fakeLab.ts';

let calls: string[];

function handle(): DesignerHandle {
  const h = {} as Record<string, () => void>;
  for (const name of ['undo', 'redo', 'cut', 'copy', 'paste', 'deleteSelection', 'selectAll', 'zoomIn', 'zoomOut', 'fitView', 'autoLayout']) {
    h[name] = () => calls.push(name);
  }
  return h as unknown as DesignerHandle;
}

let lab: FakeLab;

beforeEach(() => {
  calls = [];
  lab = new FakeLab();
  installLab(lab);
  setActivePinia(createPinia());
  setDesignerHandle(handle());
});

describe('command runner', () => {
  it('sends canvas commands to the designer only while the Designer view is shown', () => {
    const ui = useUiStore();
    const runner = createCommandRunner(() => {});
    ui.view = 'train';
    expect(runner.run('undo', 'key')).toBe(false);
    ui.view = 'designer';
    expect(runner.run('undo', 'key')).toBe(true);
    expect(runner.run('delete', 'menu')).toBe(true);
    expect(calls).toEqual(['undo', 'deleteSelection']);
  });

  it('runs a command once when the menu and the key press both deliver it', () => {
    useUiStore().view = 'designer';
    const runner = createCommandRunner(() => {});
    runner.run('redo', 'key');
    runner.run('redo', 'menu');
    expect(calls).toEqual(['redo']);
    runner.run('redo', 'key');
    expect(calls).toEqual(['redo', 'redo']);
  });

  it('F5 from the menu starts a new run when none can go on', async () => {
    lab.runs = [summary('r1', { state: 'completed', stepsDone: 100 })];
    const runner = createCommandRunner(() => {});
    runner.run('runStart', 'menu');
    await expect.poll(() => lab.calls.map((c) => c.method)).toEqual(['runs.create', 'runs.start']);
  });

  it('F1 shows the help', () => {
    let shown = 0;
    createCommandRunner(() => shown++).run('showHelp', 'key');
    expect(shown).toBe(1);
  });
});
