/** The example projects shipped in examples/: listed for File › Open Example, opened by id. */
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { LabError, type ExampleProject } from '../../core/api/labApi.ts';
import { PROJECT_EXTENSION, type Project } from '../../core/project/schema.ts';
import { openProject } from '../project/projectFile.ts';

/** examples/ at the repository root (and beside the app's files when packaged). */
export const DEFAULT_EXAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

const EXAMPLE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function listExamples(dir: string): ExampleProject[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(PROJECT_EXTENSION)).sort();
  } catch {
    return [];
  }
  const examples: ExampleProject[] = [];
  for (const name of names) {
    const opened = openProject(join(dir, name));
    // A broken example is a packaging bug, not the student's problem: leave it out of the menu.
    if (!opened.ok) continue;
    examples.push({ id: basename(name, PROJECT_EXTENSION), name: opened.project.name, description: opened.project.description });
  }
  return examples;
}

export function loadExample(dir: string, id: string): Project {
  // The id names a file, so it may not climb out of the folder.
  if (!EXAMPLE_ID.test(id)) throw new LabError('invalid-input', `"${id}" is not an example id`);
  const opened = openProject(join(dir, `${id}${PROJECT_EXTENSION}`));
  if (!opened.ok) {
    if (opened.reason === 'missing') throw new LabError('not-found', `there is no example "${id}"`);
    throw new LabError('internal', `the example "${id}" is damaged: ${opened.error}`);
  }
  return opened.project;
}
