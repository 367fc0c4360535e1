/**
 * The one open project of a LabService: its content (all but the runs, which the
 * RunManager holds), the file it belongs to, and whether it changed since. Knows
 * the files: atomic saves, the autosave (recovery) file and its clean-up.
 *
 * Recovery: a dirty project autosaves to `<path>.recovery`, or, while untitled,
 * to `<dataDir>/recovery/untitled-<id>.vglab.recovery`. Saving discards it; so does
 * leaving the project on purpose (new, open), because the renderer has asked the
 * student first. Only a crash leaves one behind for the next start to offer.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { LabError, type RecoveryOffer } from '../../core/api/labApi.ts';
import { serializeProject, ProjectError } from '../../core/project/migrate.ts';
import { NETWORK_FORMAT, type NetworkSpecInput } from '../../core/network/spec.ts';
import {
  PROJECT_EXTENSION,
  PROJECT_FORMAT,
  projectSchema,
  type Project,
  type ProjectInput,
  type ProjectRun,
} from '../../core/project/schema.ts';
import type { LabParsedParams } from '../../core/api/labApi.ts';
import { writeFileAtomic } from '../export/atomicWrite.ts';
import {
  cleanStaleTempFiles,
  discardRecovery,
  openProject,
  readRecovery,
  RECOVERY_SUFFIX,
  recoveryPath,
} from '../project/projectFile.ts';

export type ProjectContent = Omit<Project, 'runs'>;

/** A new project: a small sigmoid MLP on the spiral, the lab's first picture of vanishing gradients. */
export function blankProject(name = 'Untitled', now = new Date()): ProjectContent {
  const stamp = now.toISOString();
  const nodes: NetworkSpecInput['nodes'] = [{ id: 'x', type: 'input', params: { features: 2 } }];
  const edges: NetworkSpecInput['edges'] = [];
  let previous = 'x';
  for (let i = 1; i <= 4; i++) {
    nodes.push({ id: `dense${i}`, type: 'dense', params: { units: 16 } }, { id: `sigmoid${i}`, type: 'sigmoid', params: {} });
    edges.push({ from: previous, to: `dense${i}` }, { from: `dense${i}`, to: `sigmoid${i}` });
    previous = `sigmoid${i}`;
  }
  nodes.push({ id: 'logits', type: 'dense', params: { units: 3 } });
  edges.push({ from: previous, to: 'logits' });
  const draft: ProjectInput = {
    format: PROJECT_FORMAT,
    name,
    createdAt: stamp,
    savedAt: stamp,
    network: { format: NETWORK_FORMAT, nodes, edges, loss: { type: 'softmax_cross_entropy' } },
    dataset: { name: 'spiral', options: {} },
    settings: { optimizer: { type: 'sgd', lr: 0.1 }, steps: 500 },
  };
  // Through the schema, so every default is filled in exactly as a file would have it.
  const { runs: _runs, ...content } = projectSchema.parse(draft);
  return content;
}

/** The display name for a file: its name without the extension. */
function nameFromPath(path: string): string {
  const file = basename(path);
  return file.toLowerCase().endsWith(PROJECT_EXTENSION) ? file.slice(0, -PROJECT_EXTENSION.length) : file;
}

export class ProjectSession {
  content: ProjectContent;
  path: string | null = null;
  dirty = false;
  migratedFrom: number | undefined;
  /** Names the untitled project's autosave until it has a path. */
  private untitledId: string = randomUUID();

  constructor(private readonly recoveryDir: string) {
    this.content = blankProject();
  }

  /** Where this project autosaves. */
  get autosavePath(): string {
    return recoveryPath(this.path ?? join(this.recoveryDir, `untitled-${this.untitledId}${PROJECT_EXTENSION}`));
  }

  replace(content: ProjectContent, path: string | null, options: { dirty?: boolean; migratedFrom?: number } = {}): void {
    this.discardAutosave();
    // A save killed mid-write leaves its temp file beside the project: the next open of that folder removes it.
    if (path !== null) ProjectSession.sweep([dirname(path)]);
    this.content = content;
    this.path = path;
    this.dirty = options.dirty ?? false;
    this.migratedFrom = options.migratedFrom;
    this.untitledId = randomUUID();
  }

  update(patch: LabParsedParams<'project.update'>): void {
    const { name, network, dataset, settings, description, designer } = patch;
    this.content = {
      ...this.content,
      ...(name !== undefined ? { name } : {}),
      ...(network !== undefined ? { network } : {}),
      ...(dataset !== undefined ? { dataset } : {}),
      ...(settings !== undefined ? { settings } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(designer !== undefined ? { designer } : {}),
    };
    this.dirty = true;
  }

  /**
   * Keeps an imported CSV file's text with the project, under its SHA-256. The
   * project is not changed by this alone (no data set names it yet); a file keeps
   * only the texts its data sets name (see snapshot).
   */
  embedCsv(sha256: string, text: string): void {
    if (this.content.csvTexts?.[sha256] === text) return;
    this.content = { ...this.content, csvTexts: { ...this.content.csvTexts, [sha256]: text } };
  }

  /** The text of an embedded CSV file, by its SHA-256. */
  csvText(sha256: string): string | undefined {
    const texts = this.content.csvTexts;
    return texts && Object.hasOwn(texts, sha256) ? texts[sha256] : undefined;
  }

  /**
   * The whole project as a file holds it. Of the CSV texts imported this session,
   * only those the project's or a run's data set names are kept (an import that was
   * replaced, or undone, is not written).
   */
  snapshot(runs: ProjectRun[], now = new Date()): Project {
    const { csvTexts, ...content } = this.content;
    const named = [content.dataset, ...runs.map((r) => r.dataset)].flatMap((d) => (d && 'csv' in d && d.csv.sha256 ? [d.csv.sha256] : []));
    const kept = Object.entries(csvTexts ?? {}).filter(([sha256]) => named.includes(sha256));
    return { ...content, ...(kept.length > 0 ? { csvTexts: Object.fromEntries(kept) } : {}), savedAt: now.toISOString(), runs };
  }

  /** The file's text; throws LabError when the project is not valid (nothing is written). */
  serialize(runs: ProjectRun[]): string {
    try {
      return serializeProject(this.snapshot(runs));
    } catch (e) {
      if (e instanceof ProjectError) throw new LabError('invalid-input', e.message);
      throw e;
    }
  }

  /** Saves atomically to `path` (default: the project's own); the recovery file goes. */
  save(runs: ProjectRun[], path = this.path): void {
    if (path === null) throw new LabError('conflict', 'this project has not been saved yet: choose where with Save As');
    const text = this.serialize(runs);
    const oldAutosave = this.autosavePath;
    try {
      writeFileAtomic(path, text);
    } catch (e) {
      throw new LabError('io', `could not save ${path}: ${(e as Error).message}`);
    }
    this.content = { ...this.content, savedAt: new Date().toISOString() };
    this.path = path;
    this.dirty = false;
    this.migratedFrom = undefined;
    discardRecovery(oldAutosave.slice(0, -RECOVERY_SUFFIX.length));
  }

  /** Writes the autosave when there are unsaved changes; returns whether it wrote. */
  autosave(runs: ProjectRun[]): boolean {
    if (!this.dirty) return false;
    mkdirSync(dirname(this.autosavePath), { recursive: true });
    writeFileAtomic(this.autosavePath, this.serialize(runs));
    return true;
  }

  discardAutosave(): void {
    discardRecovery(this.autosavePath.slice(0, -RECOVERY_SUFFIX.length));
  }

  /** Autosaves left behind: untitled ones in the recovery folder, and those of `knownPaths` newer than their project. */
  recoveries(knownPaths: string[]): RecoveryOffer[] {
    const offers: RecoveryOffer[] = [];
    const own = this.autosavePath;
    const consider = (projectPath: string | null, recovery: string) => {
      if (recovery === own) return;
      const found = readRecovery(recovery.slice(0, -RECOVERY_SUFFIX.length));
      if (!found || !found.ok) return;
      if (projectPath !== null && !found.newerThanProject) return;
      offers.push({
        path: projectPath,
        recoveryPath: recovery,
        name: found.project.name,
        modifiedAt: (found.modifiedAt ?? new Date()).toISOString(),
      });
    };
    let names: string[] = [];
    try {
      names = readdirSync(this.recoveryDir);
    } catch {
      names = [];
    }
    for (const n of names) if (n.endsWith(RECOVERY_SUFFIX)) consider(null, join(this.recoveryDir, n));
    for (const p of knownPaths) consider(p, recoveryPath(p));
    return offers.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
  }

  /**
   * Opens an autosave as the current project, unsaved, belonging to its project
   * file (or untitled). The recovery file stays until the project is saved.
   */
  static readRecoveryFile(recovery: string, offers: RecoveryOffer[]): { project: Project; path: string | null } {
    const offer = offers.find((o) => o.recoveryPath === recovery);
    if (!offer) throw new LabError('not-found', `there is no recovered project at ${recovery}`);
    const opened = openProject(recovery);
    if (!opened.ok) throw new LabError('invalid-input', opened.error);
    return { project: opened.project, path: offer.path };
  }

  /** Takes over an autosave found by recoveries(): saving will replace it. */
  adoptRecovery(recovery: string, path: string | null): void {
    if (path === null) {
      const m = /^untitled-(.+)\.vglab\.recovery$/.exec(basename(recovery));
      if (m) this.untitledId = m[1];
    }
  }

  /** Removes crash leftovers: temp files of interrupted saves beside the project and in the recovery folder. */
  static sweep(dirs: string[]): string[] {
    return dirs.flatMap((d) => cleanStaleTempFiles(d));
  }

  static nameFromPath = nameFromPath;

  /** Deletes a recovery file the student chose not to restore. */
  static discardFile(recovery: string): void {
    discardRecovery(recovery.slice(0, -RECOVERY_SUFFIX.length));
  }

  static fileExists(path: string): boolean {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }
}
