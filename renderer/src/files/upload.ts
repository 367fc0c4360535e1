/** Browser mode's "open": lets the student pick a .vglab file and reads it as text. */
import { PROJECT_EXTENSION } from '../../../core/project/schema.ts';

export interface PickedFile {
  fileName: string;
  text: string;
}

/** Opens the browser's file picker; null when the student cancels. */
export function pickProjectFile(): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = `${PROJECT_EXTENSION},application/json`;
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      file.text().then(
        (text) => resolve({ fileName: file.name, text }),
        () => resolve(null),
      );
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}
