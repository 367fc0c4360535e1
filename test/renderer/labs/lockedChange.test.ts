// The copies the Train and Compare views make (a diagnosis fix, "Duplicate with a
// change") answer to the open lab's locks like the designer and the settings form.
import { describe, expect, it } from 'vitest';

import { networkSpecSchema } from '../../../core/network/spec.ts';
import { buildTemplate } from '../../../core/network/templates.ts';
import { trainingSettingsSchema } from '../../../core/training/settings.ts';
import { lockedChangeReason, NO_LOCKS, type LabLockState } from '../../../renderer/src/views/labs/labLocks.ts';

const network = networkSpecSchema.parse(buildTemplate('deep_sigmoid', { depth: 3, width: 8 }));
const settings = trainingSettingsSchema.parse({ optimizer: { type: 'sgd', lr: 0.1 } });
const run = { network, settings };
const relu = { network: { ...network, nodes: network.nodes.map((n) => (n.type === 'sigmoid' ? { ...n, type: 'relu' as const } : n)) }, settings };
const faster = { network, settings: { ...settings, optimizer: { ...settings.optimizer, lr: 0.5 } } };

function locks(patch: Partial<LabLockState>): LabLockState {
  return { ...NO_LOCKS, labTitle: 'Lab X', ...patch };
}

describe('lockedChangeReason', () => {
  it('allows anything when no lab locks something', () => {
    expect(lockedChangeReason(NO_LOCKS, run, relu)).toBeNull();
    expect(lockedChangeReason(NO_LOCKS, run, faster)).toBeNull();
  });

  it('refuses a changed network under a network lock, but not new settings', () => {
    const state = locks({ networkLocked: true });
    expect(lockedChangeReason(state, run, relu)).toBe('the lab “Lab X” locks the network');
    expect(lockedChangeReason(state, run, faster)).toBeNull();
  });

  it('refuses changed settings under a settings lock, but not a new network', () => {
    const state = locks({ settingsLocked: true });
    expect(lockedChangeReason(state, run, faster)).toBe('the lab “Lab X” locks the training settings');
    expect(lockedChangeReason(state, run, relu)).toBeNull();
  });

  it('refuses a node type the lab does not offer, naming the ones it does', () => {
    const state = locks({ nodeTypes: ['input', 'dense', 'sigmoid'] });
    expect(lockedChangeReason(state, run, relu)).toBe('the lab “Lab X” allows only Input, Dense and Sigmoid layers');
    expect(lockedChangeReason(state, run, faster)).toBeNull();
  });
});
