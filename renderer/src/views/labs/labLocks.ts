/**
 * The designer and settings locks of the lab open in the Labs view: the ONE place
 * the renderer asks "what may the student change right now?". The Designer and
 * Train views import useLabLocks(); nothing else reads a lab's `locks`.
 *
 * A lab is active while the Labs view has it open (labsStore.current: it stays open
 * across tab switches until "← All labs" closes it). Leaving the lab lifts its locks.
 *
 * Why the renderer, not LabService, enforces them: the service does not know that a
 * lab is open. labs.open and labs.openText only read a lab document (the CLI, the
 * report and a second browser tab call them too), the project file records no
 * active lab, and "Load into designer" itself changes the network and settings
 * through project.update. A service-side lock would need an "enter/leave lab"
 * state that survives a renderer reload without the page knowing, locking a
 * student out with no banner to explain why. The locks are a teaching aid, not a
 * security boundary: the page that shows them is the right place to hold them.
 */
import { computed, type ComputedRef } from 'vue';

import { NODE_TYPES, type NodeType } from '../../../../core/network/spec.ts';
import type { RunRecipe } from '../../../../core/network/variants.ts';
import type { Lab } from '../../../../core/labs/schema.ts';
import { useLabsStore } from './labsStore.ts';

export interface LabLockState {
  /** The title of the open lab that locks something; null when nothing is locked. */
  labTitle: string | null;
  /** The network may not be edited (lab `locks.network: "readonly"`). */
  networkLocked: boolean;
  /** The training settings may not be edited (lab `locks.settings: "readonly"`). */
  settingsLocked: boolean;
  /** The node types the palette offers (and paste and templates may add); null: every type. */
  nodeTypes: readonly NodeType[] | null;
}

export const NO_LOCKS: LabLockState = Object.freeze({ labTitle: null, networkLocked: false, settingsLocked: false, nodeTypes: null });

/** What `lab` locks (NO_LOCKS when no lab is open or it locks nothing). */
export function labLockState(lab: Lab | null): LabLockState {
  const locks = lab?.locks;
  if (!lab || !locks) return NO_LOCKS;
  const state: LabLockState = {
    labTitle: lab.title,
    networkLocked: locks.network === 'readonly',
    settingsLocked: locks.settings === 'readonly',
    nodeTypes: locks.nodeTypes ? [...locks.nodeTypes] : null,
  };
  return state.networkLocked || state.settingsLocked || state.nodeTypes ? state : NO_LOCKS;
}

/** The locks of the lab open in the Labs view, kept up to date as labs open and close. */
export function useLabLocks(): ComputedRef<LabLockState> {
  const labs = useLabsStore();
  return computed(() => labLockState(labs.current));
}

/** "Dense, ReLU and Sigmoid": node types in the words of the palette. */
export function nodeTypeWords(types: readonly NodeType[]): string {
  const words = types.map((t) => NODE_TYPES[t].label);
  return words.length <= 1 ? (words[0] ?? 'none') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Why the designer refuses some node types, for its notices: names the lab and the types it allows. */
export function nodeTypesReason(state: LabLockState): string | null {
  if (!state.nodeTypes) return null;
  return `the lab “${state.labTitle}” allows only ${nodeTypeWords(state.nodeTypes)} layers`;
}

/**
 * Why the open lab forbids turning `before` into `after` (a diagnosis fix, a
 * duplicate with a change), or null when it allows it: the same locks the designer
 * and the settings form hold, applied to the copies the Train and Compare views make.
 */
export function lockedChangeReason(state: LabLockState, before: RunRecipe, after: RunRecipe): string | null {
  if (state.networkLocked && JSON.stringify(before.network) !== JSON.stringify(after.network)) {
    return `the lab “${state.labTitle}” locks the network`;
  }
  if (state.settingsLocked && JSON.stringify(before.settings) !== JSON.stringify(after.settings)) {
    return `the lab “${state.labTitle}” locks the training settings`;
  }
  const allowed = state.nodeTypes;
  if (allowed && after.network.nodes.some((n) => !allowed.includes(n.type))) return nodeTypesReason(state);
  return null;
}
