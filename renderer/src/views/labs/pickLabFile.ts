/** "Open lab file…": lets the student pick a lab (.json) and reads it as text; null when cancelled. */
import { pickTextFile, type PickedFile } from '../../files/upload.ts';

export function pickLabFile(): Promise<PickedFile | null> {
  return pickTextFile('.json,application/json');
}
