/**
 * New and Open as the header buttons, the shortcuts and the desktop menu run
 * them: replacing a project with unsaved changes asks first.
 */
import { useProjectStore } from '../stores/project.ts';

function mayDiscard(): boolean {
  const project = useProjectStore();
  return !project.dirty || confirm('The project has unsaved changes. Discard them?');
}

export async function newProjectAction(): Promise<void> {
  if (mayDiscard()) await useProjectStore().newProject();
}

export async function openProjectAction(): Promise<void> {
  if (mayDiscard()) await useProjectStore().open();
}
