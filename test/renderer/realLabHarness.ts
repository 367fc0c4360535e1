/**
 * What a happy-dom component test against the real LabService needs beyond
 * helpers.ts: a service whose engine hosts start from their source path, runs
 * trained to the end, fresh stores connected as App.vue connects them, a wait that
 * flushes Vue, buttons found by their text, and the downloads the page starts.
 */
import { join, resolve } from 'node:path';

import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, vi } from 'vitest';

import type { RunSummary } from '../../core/api/labApi.ts';
import { NodeHostLauncher } from '../../electron/engineHost/nodeLauncher.ts';
import { LabService, type LabServiceOptions } from '../../electron/service/labService.ts';
import { installLab } from '../../renderer/src/api/api.ts';
import { useProjectStore } from '../../renderer/src/stores/project.ts';
import { useRunsStore } from '../../renderer/src/stores/runs.ts';
import { backendClient } from './helpers.ts';

export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A LabService in browser mode (unless `options` say otherwise) keeping its files under `dir`. */
export function startService(dir: string, options: Partial<LabServiceOptions> = {}): LabService {
  // The host's path by name: under happy-dom a module's own URL does not lead to it.
  const launcher = new NodeHostLauncher({ entry: resolve('electron/engineHost/host.ts') });
  return new LabService({ mode: 'browser', dataDir: join(dir, `data-${Math.random()}`), autosaveMs: 0, launcher, ...options });
}

/** Waits until run `runId` has stopped (completed, diverged, failed, cancelled); its summary then. */
export async function finished(s: LabService, runId: string): Promise<RunSummary> {
  for (let i = 0; i < 600; i++) {
    const run = (await s.dispatch('runs.list', {})).find((r) => r.id === runId)!;
    if (['completed', 'diverged', 'failed', 'cancelled'].includes(run.state)) return run;
    await wait(50);
  }
  throw new Error(`run ${runId} did not finish`);
}

/**
 * Fresh stores connected to `s`, as main.ts and App.vue do; returns the function
 * that stops their listening.
 */
export async function connectStores(s: LabService): Promise<() => void> {
  installLab(backendClient(s));
  setActivePinia(createPinia());
  const project = useProjectStore();
  const runs = useRunsStore();
  const offs = [project.listen(), runs.listen()];
  await Promise.all([project.load(), runs.load()]);
  return () => offs.forEach((off) => off());
}

/** Waits until `test` holds, flushing Vue between looks. */
export async function until(test: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await wait(20);
    await flushPromises();
  }
}

/** The button whose text is `name`; the error lists the buttons there are. */
export function button(wrapper: VueWrapper, name: string) {
  const b = wrapper.findAll('button').find((x) => x.text() === name);
  if (!b) throw new Error(`no button "${name}" in ${wrapper.findAll('button').map((x) => x.text()).join(', ')}`);
  return b;
}

export interface Download {
  fileName: string;
  blob: Blob;
}

/**
 * The downloads the page starts in each test of the calling file (cleared before
 * each): files/download.ts's anchor click, which happy-dom would follow as a
 * navigation, is caught with the blob it points at.
 */
export function captureDownloads(): Download[] {
  const downloads: Download[] = [];
  let lastBlob: Blob | null = null;
  beforeEach(() => {
    downloads.length = 0;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob: Blob | MediaSource) => {
      lastBlob = blob as Blob;
      return 'blob:download';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ fileName: this.download, blob: lastBlob! });
    });
  });
  afterEach(() => vi.restoreAllMocks());
  return downloads;
}
