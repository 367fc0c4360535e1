/**
 * The labs the Labs view offers: those shipped in labs/*.json (found as examples
 * are: beside the app's files), and those the student opened from a file this
 * session. Labs are read with core/labs/load.ts; a refused file comes back as
 * LabError('invalid-input') with every field message of loadLab.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { LabError, type LabListing } from '../../core/api/labApi.ts';
import { loadLab } from '../../core/labs/load.ts';
import type { Lab } from '../../core/labs/schema.ts';

/** labs/ at the repository root (and beside the app's files when packaged). */
export const DEFAULT_LABS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'labs');

interface Entry {
  lab: Lab;
  source: LabListing['source'];
}

export class LabCatalog {
  /** The bundled labs by id, read on first use (a broken file is a packaging bug: left out). */
  private bundled: Map<string, Lab> | null = null;
  /** Labs opened from files this session, by id; one with a bundled lab's id stands in for it. */
  private readonly opened = new Map<string, Lab>();

  constructor(private readonly dir: string = DEFAULT_LABS_DIR) {}

  private bundledLabs(): Map<string, Lab> {
    if (this.bundled) return this.bundled;
    const labs = new Map<string, Lab>();
    let names: string[] = [];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json')).sort();
    } catch {
      names = [];
    }
    for (const name of names) {
      let text: string;
      try {
        text = readFileSync(join(this.dir, name), 'utf8');
      } catch {
        continue;
      }
      const loaded = loadLab(text);
      if (loaded.ok && !labs.has(loaded.lab.id)) labs.set(loaded.lab.id, loaded.lab);
    }
    this.bundled = labs;
    return labs;
  }

  private entries(): Entry[] {
    const out: Entry[] = [];
    for (const [id, lab] of this.bundledLabs()) out.push(this.opened.has(id) ? { lab: this.opened.get(id)!, source: 'file' } : { lab, source: 'bundled' });
    for (const [id, lab] of this.opened) if (!this.bundledLabs().has(id)) out.push({ lab, source: 'file' });
    return out;
  }

  list(): LabListing[] {
    return this.entries().map(({ lab, source }) => ({ id: lab.id, title: lab.title, summary: lab.summary, source }));
  }

  /** The lab with this id; LabError('not-found') when there is none. */
  get(id: string): Lab {
    const lab = this.opened.get(id) ?? this.bundledLabs().get(id);
    if (!lab) throw new LabError('not-found', `there is no lab "${id}"`);
    return lab;
  }

  /** Reads a lab file's text and adds it to the list; its problems, each naming its field, otherwise. */
  openText(text: string, fileName: string): Lab {
    const loaded = loadLab(text);
    if (!loaded.ok) throw new LabError('invalid-input', `${fileName}: ${loaded.errors.map((e) => e.message).join('; ')}`);
    this.opened.set(loaded.lab.id, loaded.lab);
    return loaded.lab;
  }
}
