/**
 * The commands NetworkDesigner exposes (defineExpose), held while the Designer tab
 * is mounted so shortcuts and the desktop menu can reach the canvas.
 */
import type { AppCommand } from '../../../core/api/labApi.ts';

export interface DesignerHandle {
  undo(): void;
  redo(): void;
  cut(): void;
  copy(): void;
  paste(): void;
  deleteSelection(): void;
  selectAll(): void;
  zoomIn(): void;
  zoomOut(): void;
  fitView(): void;
  autoLayout(): void;
}

let current: DesignerHandle | null = null;

export function setDesignerHandle(handle: DesignerHandle | null): void {
  current = handle;
}

/** Runs a canvas command on the mounted designer; false when none is mounted. */
export function runDesignerCommand(command: AppCommand): boolean {
  if (!current) return false;
  const h = current;
  const actions: Partial<Record<AppCommand, () => void>> = {
    undo: () => h.undo(),
    redo: () => h.redo(),
    cut: () => h.cut(),
    copy: () => h.copy(),
    paste: () => h.paste(),
    delete: () => h.deleteSelection(),
    selectAll: () => h.selectAll(),
    zoomIn: () => h.zoomIn(),
    zoomOut: () => h.zoomOut(),
    fitView: () => h.fitView(),
    autoLayout: () => h.autoLayout(),
  };
  const action = actions[command];
  if (!action) return false;
  action();
  return true;
}
