/**
 * The Report view's state, kept across tab switches: which runs the report holds,
 * the preview page (built by the lab, the same page the export writes), and the
 * export in progress. Exports download in browser mode and go through the save
 * dialog in the desktop app; the PDF is printed by the lab (the desktop's own
 * window, else a local Chromium), so a missing browser comes back as a message.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

import type { ReportFormat, RunSummary } from '../../../../core/api/labApi.ts';
import { errorMessage, lab } from '../../api/api.ts';
import { downloadBytes, downloadText } from '../../files/download.ts';
import { useProjectStore } from '../../stores/project.ts';
import { useRunsStore } from '../../stores/runs.ts';
import { useUiStore } from '../../stores/ui.ts';
import { useLabsStore } from '../labs/labsStore.ts';

/** What is being exported: the project report or the open lab's, as HTML or PDF. */
export type ReportExport = `${'project' | 'lab'}-${ReportFormat}`;

/** A run has something to report once it has trained a step (its traces start then). */
export function hasTraces(run: RunSummary): boolean {
  return run.stepsDone > 0;
}

/** A new selection waits this long for the next click before the preview is built again (ms). */
export const PREVIEW_DEBOUNCE_MS = 300;

export type PreviewState = 'empty' | 'loading' | 'ready' | 'error';

export const useReportStore = defineStore('report', () => {
  const ui = useUiStore();
  const project = useProjectStore();
  const runs = useRunsStore();
  const labs = useLabsStore();

  /** The runs the student ticked; null until they touch a box: every run with traces. */
  const ticked = ref<string[] | null>(null);
  const previewHtml = shallowRef('');
  const previewState = ref<PreviewState>('empty');
  const previewError = ref('');
  const exporting = ref<ReportExport | null>(null);
  /** Only the newest preview request may fill the frame (selections change faster than reports build). */
  let previewRequest = 0;

  const reportable = computed(() => runs.runs.filter(hasTraces));
  /** The runs in the report, in the project's order. */
  const selectedIds = computed(() => {
    const chosen = ticked.value === null ? null : new Set(ticked.value);
    return reportable.value.filter((r) => chosen === null || chosen.has(r.id)).map((r) => r.id);
  });

  function isSelected(runId: string): boolean {
    return selectedIds.value.includes(runId);
  }

  function setSelected(runId: string, on: boolean): void {
    const now = new Set(selectedIds.value);
    if (on) now.add(runId);
    else now.delete(runId);
    ticked.value = [...now];
  }

  function selectAll(on: boolean): void {
    ticked.value = on ? reportable.value.map((r) => r.id) : [];
  }

  /** Builds the preview of the current selection (the newest request wins). */
  async function refreshPreview(): Promise<void> {
    const request = ++previewRequest;
    const runIds = selectedIds.value;
    if (runIds.length === 0) {
      previewHtml.value = '';
      previewState.value = 'empty';
      return;
    }
    previewState.value = 'loading';
    try {
      const file = await lab().invoke('export.reportHtml', { runIds });
      if (request !== previewRequest) return;
      previewHtml.value = file.html;
      previewState.value = 'ready';
    } catch (e) {
      if (request !== previewRequest) return;
      previewError.value = errorMessage(e);
      previewState.value = 'error';
    }
  }

  /** Runs one export at a time; a failure becomes an error notice that says why. */
  async function run(what: ReportExport, body: () => Promise<string | null>): Promise<boolean> {
    if (exporting.value) return false;
    exporting.value = what;
    try {
      const done = await body();
      if (done) ui.notify(done, 'success');
      return done !== null;
    } catch (e) {
      ui.notify(`The report was not exported: ${errorMessage(e)}`, 'error');
      return false;
    } finally {
      exporting.value = null;
    }
  }

  /** The project report of the selected runs: a download in the browser, the save dialog in the desktop. */
  function exportProject(format: ReportFormat): Promise<boolean> {
    const runIds = selectedIds.value;
    return run(`project-${format}`, async () => {
      if (project.dialogs) {
        const saved = await lab().invoke('export.reportDialog', { runIds, format });
        return saved ? `Saved the report to ${saved.files[0]}` : null;
      }
      if (format === 'pdf') {
        const file = await lab().invoke('export.reportPdf', { runIds });
        downloadBytes(file.fileName, file.pdf, 'application/pdf');
        return `Downloaded ${file.fileName}`;
      }
      const file = await lab().invoke('export.reportHtml', { runIds });
      downloadText(file.fileName, file.html, 'text/html');
      return `Downloaded ${file.fileName}`;
    });
  }

  /** The open lab's report (with the answer key in teacher mode). */
  function exportLab(format: ReportFormat): Promise<boolean> {
    const current = labs.current;
    if (!current) return Promise.resolve(false);
    const params = { labId: current.id, teacher: labs.teacher };
    return run(`lab-${format}`, async () => {
      // Answers typed a moment ago belong in the report.
      labs.flushAnswers();
      if (project.dialogs) {
        const saved = await lab().invoke('labs.saveReportDialog', { ...params, format });
        return saved ? `Saved the lab report to ${saved.files[0]}` : null;
      }
      if (format === 'pdf') {
        const file = await lab().invoke('labs.exportReportPdf', params);
        downloadBytes(file.fileName, file.pdf, 'application/pdf');
        return `Downloaded ${file.fileName}`;
      }
      const file = await lab().invoke('labs.exportReport', params);
      downloadText(file.fileName, file.html, 'text/html');
      return `Downloaded ${file.fileName}`;
    });
  }

  return {
    ticked,
    previewHtml,
    previewState,
    previewError,
    exporting,
    reportable,
    selectedIds,
    isSelected,
    setSelected,
    selectAll,
    refreshPreview,
    exportProject,
    exportLab,
  };
});
