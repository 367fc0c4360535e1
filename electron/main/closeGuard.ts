/**
 * What happens to unsaved changes when the window closes or another project
 * replaces this one: ask Save / Don't Save / Cancel, and go ahead only when the
 * work is saved or the user chose to drop it. The dialog and the save are
 * passed in (main.ts uses dialog.showMessageBox and the service), so the
 * decisions are tested without Electron.
 */
import { projectDisplayName } from './title.ts';

export type UnsavedChoice = 'save' | 'discard' | 'cancel';
export type GuardOutcome = 'proceed' | 'stay';

export interface UnsavedProject {
  name: string;
  path: string | null;
  dirty: boolean;
}

export interface GuardDeps {
  /** Shows the question; resolves to the user's choice. */
  ask(project: UnsavedProject): Promise<UnsavedChoice>;
  /**
   * Saves the project (to its file, or via the save dialog when untitled).
   * Resolves true once saved, false when the user cancelled the save dialog;
   * rejects when saving failed.
   */
  save(project: UnsavedProject): Promise<boolean>;
  /** Tells the user why saving failed (the window stays open). */
  reportSaveError(error: unknown): Promise<void> | void;
  /** Drops the unsaved changes (and their autosave, so no recovery is offered next time). */
  discard(project: UnsavedProject): void;
}

/** Decides whether the current project may be closed or replaced. */
export async function guardUnsaved(project: UnsavedProject, deps: GuardDeps): Promise<GuardOutcome> {
  if (!project.dirty) return 'proceed';
  const choice = await deps.ask(project);
  if (choice === 'discard') {
    deps.discard(project);
    return 'proceed';
  }
  if (choice === 'cancel') return 'stay';
  try {
    return (await deps.save(project)) ? 'proceed' : 'stay';
  } catch (e) {
    await deps.reportSaveError(e);
    return 'stay';
  }
}

/** The message box of the question; button order is the platform-neutral Save, Don't Save, Cancel. */
export const UNSAVED_BUTTONS = ['Save', "Don't Save", 'Cancel'] as const;
const CHOICES: readonly UnsavedChoice[] = ['save', 'discard', 'cancel'];

export function unsavedDialogOptions(project: UnsavedProject, action: 'close' | 'replace'): {
  type: 'warning';
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: true;
  message: string;
  detail: string;
} {
  const name = projectDisplayName(project);
  return {
    type: 'warning',
    buttons: [...UNSAVED_BUTTONS],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
    message: `Save the changes to “${name}”?`,
    detail:
      action === 'close'
        ? 'If you close without saving, the changes since the last save are lost.'
        : 'If you open another project without saving, the changes since the last save are lost.',
  };
}

/** The choice of a showMessageBox response index (Escape and closing the box give cancelId). */
export function choiceFromResponse(response: number): UnsavedChoice {
  return CHOICES[response] ?? 'cancel';
}

/**
 * The window's close handler state: the first close is held back while the
 * guard asks; once it says proceed, the repeated close goes through.
 */
export class CloseGate {
  private allowed = false;
  private asking = false;

  /** Call from the 'close' event: true when the close may happen now (else preventDefault and run the guard). */
  mayClose(): boolean {
    return this.allowed;
  }

  /** Runs the guard once at a time; resolves true when the window should close now. */
  async request(run: () => Promise<GuardOutcome>): Promise<boolean> {
    if (this.allowed) return true;
    if (this.asking) return false;
    this.asking = true;
    try {
      this.allowed = (await run()) === 'proceed';
      return this.allowed;
    } finally {
      this.asking = false;
    }
  }
}
