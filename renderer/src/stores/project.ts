/**
 * The open project as the lab reports it ('project.changed'), plus what the
 * header and the start screen need: app info, examples, recent files, recovery
 * offers. Designer edits are debounced (EDIT_DEBOUNCE_MS) and sent with
 * project.update; until the lab confirms them, the local edit is what the
 * designer shows, so an older 'project.changed' cannot snap the canvas back.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

import type {
  AppInfo,
  ExampleProject,
  LabParams,
  ProjectState,
  RecentProject,
  RecoveryOffer,
} from '../../../core/api/labApi.ts';
import { networkSpecSchema, type NetworkSpecInput } from '../../../core/network/spec.ts';
import { errorMessage, lab } from '../api/api.ts';
import { downloadText } from '../files/download.ts';
import { pickProjectFile } from '../files/upload.ts';
import { debounce } from './debounce.ts';
import { useUiStore } from './ui.ts';

export type Positions = Record<string, { x: number; y: number }>;
export type ProjectPatch = LabParams<'project.update'>;

/** Designer edits wait this long for the next one before they are sent (ms). */
export const EDIT_DEBOUNCE_MS = 300;

export const useProjectStore = defineStore('project', () => {
  const ui = useUiStore();
  const state = shallowRef<ProjectState | null>(null);
  const appInfo = shallowRef<AppInfo | null>(null);
  const examples = shallowRef<ExampleProject[]>([]);
  const recent = shallowRef<RecentProject[]>([]);
  const recoveries = shallowRef<RecoveryOffer[]>([]);
  /** Local edits not yet confirmed by the lab. */
  const pendingNetwork = shallowRef<NetworkSpecInput | null>(null);
  const pendingPositions = shallowRef<Positions | null>(null);
  /** Why the lab refused the last network edit (shown beside the designer); null when it took it. */
  const networkError = ref<string | null>(null);
  /** A call is running that replaces the project (open, new): buttons wait. */
  const busy = ref(false);

  const project = computed(() => state.value?.project ?? null);
  const name = computed(() => project.value?.name ?? '');
  const dirty = computed(() => state.value?.dirty ?? false);
  const path = computed(() => state.value?.path ?? null);
  const network = computed<NetworkSpecInput | null>(() => pendingNetwork.value ?? project.value?.network ?? null);
  const positions = computed<Positions>(() => pendingPositions.value ?? project.value?.designer?.positions ?? {});
  const dialogs = computed(() => appInfo.value?.dialogs ?? false);

  function accept(next: ProjectState): void {
    state.value = next;
  }

  /** Runs a call, reports its failure as a notice and returns null instead of throwing. */
  const attempt = ui.attempt;

  /** Loads everything the shell shows at start (and again after a reconnect). */
  async function load(): Promise<void> {
    const client = lab();
    const [info, current, ex, rec, recov] = await Promise.all([
      client.invoke('app.info', {}),
      client.invoke('project.get', {}),
      client.invoke('project.examples', {}),
      client.invoke('project.recent', {}).catch(() => []),
      client.invoke('project.recoveries', {}).catch(() => []),
    ]);
    appInfo.value = info;
    accept(current);
    examples.value = ex;
    recent.value = rec;
    recoveries.value = recov;
  }

  /** Follows the lab's 'project.changed' events; returns the unsubscribe function. */
  function listen(): () => void {
    return lab().on('project.changed', accept);
  }

  async function replaceWith(call: () => Promise<ProjectState | null>): Promise<boolean> {
    flushEdits();
    busy.value = true;
    try {
      const next = await attempt(call);
      if (!next) return false;
      pendingNetwork.value = null;
      pendingPositions.value = null;
      networkError.value = null;
      accept(next);
      return true;
    } finally {
      busy.value = false;
    }
  }

  function newProject(projectName?: string): Promise<boolean> {
    return replaceWith(() => lab().invoke('project.new', projectName ? { name: projectName } : {}));
  }

  function openExample(id: string): Promise<boolean> {
    return replaceWith(() => lab().invoke('project.openExample', { id }));
  }

  function openPath(filePath: string): Promise<boolean> {
    return replaceWith(() => lab().invoke('project.open', { path: filePath }));
  }

  /** Open: the native dialog on the desktop, a file upload in the browser. */
  function open(): Promise<boolean> {
    if (dialogs.value) return replaceWith(() => lab().invoke('project.openDialog', {}));
    return replaceWith(async () => {
      const file = await pickProjectFile();
      return file ? lab().invoke('project.openText', { text: file.text, fileName: file.fileName }) : null;
    });
  }

  /**
   * Save: to the project's file when it has one (desktop), through the save dialog
   * when it has none; in the browser, a download of the project file.
   */
  async function save(): Promise<boolean> {
    if (!dialogs.value) return download();
    if (!path.value) return saveAs();
    flushEdits();
    const next = await attempt(() => lab().invoke('project.save', {}));
    if (next) {
      accept(next);
      ui.notify(`Saved ${next.path ?? ''}`.trim(), 'success');
    }
    return next !== null;
  }

  async function saveAs(): Promise<boolean> {
    if (!dialogs.value) return download();
    flushEdits();
    const next = await attempt(() => lab().invoke('project.saveDialog', {}));
    if (next) {
      accept(next);
      ui.notify(`Saved ${next.path ?? ''}`.trim(), 'success');
    }
    return next !== null;
  }

  async function download(): Promise<boolean> {
    flushEdits();
    const file = await attempt(() => lab().invoke('project.serialize', { asSaved: true }));
    if (!file) return false;
    downloadText(file.fileName, file.text);
    ui.notify(`Downloaded ${file.fileName}`, 'success');
    return true;
  }

  /** Sends a change of the project; the lab's answer (or its refusal, as a notice) follows. */
  async function update(patch: ProjectPatch): Promise<boolean> {
    const next = await attempt(() => lab().invoke('project.update', patch));
    if (next) accept(next);
    return next !== null;
  }

  const sendNetwork = debounce(async (spec: NetworkSpecInput) => {
    try {
      accept(await lab().invoke('project.update', { network: spec }));
      networkError.value = null;
      // A newer edit may be waiting; only the one just confirmed is cleared.
      if (pendingNetwork.value === spec) pendingNetwork.value = null;
    } catch (e) {
      networkError.value = errorMessage(e);
      ui.error(e);
    }
  }, EDIT_DEBOUNCE_MS);

  /**
   * A network from the designer. Only schema-valid specs go to the lab (the
   * designer checks the graph itself with core/network/validate.ts); an invalid one
   * stays local and its problem is shown.
   */
  function editNetwork(spec: NetworkSpecInput): void {
    pendingNetwork.value = spec;
    const parsed = networkSpecSchema.safeParse(spec);
    if (!parsed.success) {
      sendNetwork.cancel();
      const issue = parsed.error.issues[0];
      networkError.value = `${issue.path.map(String).join('.') || 'network'}: ${issue.message}`;
      return;
    }
    sendNetwork(spec);
  }

  const sendPositions = debounce(async (p: Positions) => {
    try {
      accept(await lab().invoke('project.update', { designer: { positions: p } }));
      if (pendingPositions.value === p) pendingPositions.value = null;
    } catch (e) {
      ui.error(e);
    }
  }, EDIT_DEBOUNCE_MS);

  function editPositions(p: Positions): void {
    pendingPositions.value = p;
    sendPositions(p);
  }

  /** Sends waiting designer edits now (before save, open, run start). */
  function flushEdits(): void {
    sendNetwork.flush();
    sendPositions.flush();
  }

  async function recover(recoveryPath: string): Promise<boolean> {
    const ok = await replaceWith(() => lab().invoke('project.recover', { recoveryPath }));
    if (ok) recoveries.value = recoveries.value.filter((r) => r.recoveryPath !== recoveryPath);
    return ok;
  }

  async function discardRecovery(recoveryPath: string): Promise<void> {
    const left = await attempt(() => lab().invoke('project.discardRecovery', { recoveryPath }));
    if (left) recoveries.value = left;
  }

  function dismissRecoveries(): void {
    recoveries.value = [];
  }

  return {
    state,
    appInfo,
    examples,
    recent,
    recoveries,
    pendingNetwork,
    pendingPositions,
    networkError,
    busy,
    project,
    name,
    dirty,
    path,
    network,
    positions,
    dialogs,
    load,
    listen,
    newProject,
    openExample,
    openPath,
    open,
    save,
    saveAs,
    update,
    editNetwork,
    editPositions,
    flushEdits,
    recover,
    discardRecovery,
    dismissRecoveries,
  };
});
