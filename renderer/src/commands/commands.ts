/**
 * One handler per AppCommand, whether it came from a key press or from the
 * desktop menu ('app.command'). On the desktop a menu accelerator may also reach
 * the page as a key press; the same command twice within DUPLICATE_MS is run once.
 */
import type { AppCommand } from '../../../core/api/labApi.ts';
import { useProjectStore } from '../stores/project.ts';
import { useRunsStore } from '../stores/runs.ts';
import { useUiStore } from '../stores/ui.ts';
import { runDesignerCommand } from './designerHandle.ts';
import { newProjectAction, openProjectAction } from './fileActions.ts';
import { DESIGNER_COMMANDS } from './shortcuts.ts';

const DUPLICATE_MS = 250;

export interface CommandRunner {
  /** Runs `command`; returns false when it does not apply now (the key press then keeps its default). */
  run(command: AppCommand, source: 'key' | 'menu'): boolean;
}

export function createCommandRunner(showHelp: () => void): CommandRunner {
  const project = useProjectStore();
  const runs = useRunsStore();
  const ui = useUiStore();
  let last: { command: AppCommand; source: 'key' | 'menu'; at: number } | null = null;

  const handlers: Record<AppCommand, () => unknown> = {
    new: newProjectAction,
    open: openProjectAction,
    save: () => project.save(),
    saveAs: () => project.saveAs(),
    undo: () => runDesignerCommand('undo'),
    redo: () => runDesignerCommand('redo'),
    cut: () => runDesignerCommand('cut'),
    copy: () => runDesignerCommand('copy'),
    paste: () => runDesignerCommand('paste'),
    delete: () => runDesignerCommand('delete'),
    selectAll: () => runDesignerCommand('selectAll'),
    zoomIn: () => runDesignerCommand('zoomIn'),
    zoomOut: () => runDesignerCommand('zoomOut'),
    fitView: () => runDesignerCommand('fitView'),
    autoLayout: () => runDesignerCommand('autoLayout'),
    runStart: () => runs.startOrResume(),
    runPause: () => runs.pause(),
    runStep: () => runs.stepOrCreate(),
    runStop: () => runs.stop(),
    showHelp,
  };

  return {
    run(command, source) {
      if (DESIGNER_COMMANDS.has(command) && ui.view !== 'designer') return false;
      const now = Date.now();
      if (last && last.command === command && last.source !== source && now - last.at < DUPLICATE_MS) return true;
      last = { command, source, at: now };
      const result = handlers[command]();
      if (result instanceof Promise) result.catch((e: unknown) => ui.error(e));
      return true;
    },
  };
}
