// Unsaved changes when the window closes or another project replaces this one.
import { describe, expect, it } from 'vitest';

import {
  choiceFromResponse,
  CloseGate,
  guardUnsaved,
  unsavedDialogOptions,
  type GuardDeps,
  type UnsavedChoice,
} from '../../../electron/main/closeGuard.ts';

function deps(choice: UnsavedChoice, save: () => Promise<boolean> = async () => true) {
  const log: string[] = [];
  const d: GuardDeps = {
    ask: async () => {
      log.push('ask');
      return choice;
    },
    save: async () => {
      log.push('save');
      return save();
    },
    reportSaveError: (e) => {
      log.push(`error:${(e as Error).message}`);
    },
    discard: () => {
      log.push('discard');
    },
  };
  return { d, log };
}

const dirty = { name: 'Deep sigmoid', path: '/p/a.vglab', dirty: true };

describe('guardUnsaved', () => {
  it('goes ahead without asking when nothing is unsaved', async () => {
    const { d, log } = deps('cancel');
    expect(await guardUnsaved({ ...dirty, dirty: false }, d)).toBe('proceed');
    expect(log).toEqual([]);
  });

  it('Save: saves, then goes ahead', async () => {
    const { d, log } = deps('save');
    expect(await guardUnsaved(dirty, d)).toBe('proceed');
    expect(log).toEqual(['ask', 'save']);
  });

  it("Save, but the save dialog was cancelled: stays", async () => {
    const { d } = deps('save', async () => false);
    expect(await guardUnsaved({ ...dirty, path: null }, d)).toBe('stay');
  });

  it('Save, but saving failed: says why and stays (the work is not thrown away)', async () => {
    const { d, log } = deps('save', async () => {
      throw new Error('disk full');
    });
    expect(await guardUnsaved(dirty, d)).toBe('stay');
    expect(log).toEqual(['ask', 'save', 'error:disk full']);
  });

  it("Don't Save: goes ahead without saving", async () => {
    const { d, log } = deps('discard');
    expect(await guardUnsaved(dirty, d)).toBe('proceed');
    expect(log).toEqual(['ask', 'discard']);
  });

  it('Cancel: stays', async () => {
    const { d, log } = deps('cancel');
    expect(await guardUnsaved(dirty, d)).toBe('stay');
    expect(log).toEqual(['ask']);
  });
});

describe('the question', () => {
  it('offers Save, Don’t Save, Cancel; Enter saves, Escape cancels', () => {
    const o = unsavedDialogOptions(dirty, 'close');
    expect(o.buttons).toEqual(['Save', "Don't Save", 'Cancel']);
    expect(o.buttons[o.defaultId]).toBe('Save');
    expect(o.buttons[o.cancelId]).toBe('Cancel');
    expect(o.message).toContain('Deep sigmoid');
  });

  it('maps the answer back; anything unexpected is Cancel', () => {
    expect([0, 1, 2, 3, -1].map(choiceFromResponse)).toEqual(['save', 'discard', 'cancel', 'cancel', 'cancel']);
  });
});

describe('CloseGate', () => {
  it('holds the first close, lets the repeated one through after proceed', async () => {
    const gate = new CloseGate();
    expect(gate.mayClose()).toBe(false);
    expect(await gate.request(async () => 'proceed')).toBe(true);
    expect(gate.mayClose()).toBe(true);
  });

  it('stays closable-not after Cancel, and asks again next time', async () => {
    const gate = new CloseGate();
    expect(await gate.request(async () => 'stay')).toBe(false);
    expect(gate.mayClose()).toBe(false);
    let asked = 0;
    await gate.request(async () => (asked++, 'stay'));
    expect(asked).toBe(1);
  });

  it('asks once when close is pressed twice while the question is open', async () => {
    const gate = new CloseGate();
    let answer!: (o: 'proceed') => void;
    let asked = 0;
    const first = gate.request(() => {
      asked++;
      return new Promise((resolve) => (answer = resolve));
    });
    expect(await gate.request(async () => (asked++, 'proceed'))).toBe(false);
    answer('proceed');
    expect(await first).toBe(true);
    expect(asked).toBe(1);
  });
});
