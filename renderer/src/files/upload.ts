/** Browser mode's "open": lets the student pick a file and reads it as text. */
import { PROJECT_EXTENSION } from '../../../core/project/schema.ts';

export interface PickedFile {
  fileName: string;
  text: string;
}

/** Opens the browser's file picker for `accept` (an <input accept> list); null when the student cancels. */
export function pickTextFile(accept: string): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
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

/** A .vglab project file. */
export function pickProjectFile(): Promise<PickedFile | null> {
  return pickTextFile(`${PROJECT_EXTENSION},application/json`);
}
