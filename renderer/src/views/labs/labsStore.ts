/**
 * The Labs view's state, kept across tab switches (the view unmounts when hidden):
 * the labs on offer, the open lab, the student's answers (sent with
 * labs.saveAnswers, debounced), the checkpoint results (measured again when a run
 * of this lab finishes) and teacher mode. Lab texts are someone else's document:
 * the view shows them as text only.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

import type { LabCheckpointResult, LabListing, RunSummary } from '../../../../core/api/labApi.ts';
import { presetNetwork, findPreset } from '../../../../core/labs/presets.ts';
import type { Lab } from '../../../../core/labs/schema.ts';
import { lab as client } from '../../api/api.ts';
import { downloadText } from '../../files/download.ts';
import { debounce } from '../../stores/debounce.ts';
import { useProjectStore } from '../../stores/project.ts';
import { useRunsStore } from '../../stores/runs.ts';
import { useUiStore } from '../../stores/ui.ts';
import { pickLabFile } from './pickLabFile.ts';

/** Answers wait this long for the next keystroke before they are saved (ms). */
export const ANSWER_DEBOUNCE_MS = 600;

const FINAL = new Set<RunSummary['state']>(['completed', 'cancelled', 'diverged', 'failed']);

export type AnswerSaveState = 'saved' | 'pending' | 'error';

export const useLabsStore = defineStore('labs', () => {
  const ui = useUiStore();
  const project = useProjectStore();
  const runs = useRunsStore();

  const list = shallowRef<LabListing[]>([]);
  const current = shallowRef<Lab | null>(null);
  const checkpoints = shallowRef<LabCheckpointResult[]>([]);
  const answers = ref<Record<string, string>>({});
  const answerState = ref<AnswerSaveState>('saved');
  const teacher = ref(false);
  const busy = ref(false);

  /** The latest run of each preset of the open lab, by preset id (runs list order: oldest first). */
  const presetRuns = computed(() => {
    const out = new Map<string, RunSummary>();
    const id = current.value?.id;
    if (!id) return out;
    for (const r of runs.runs) if (r.lab?.labId === id) out.set(r.lab.presetId, r);
    return out;
  });

  const attempt = ui.attempt;

  async function loadList(): Promise<void> {
    const labs = await attempt(() => client().invoke('labs.list', {}));
    if (labs) list.value = labs;
  }

  function show(lab: Lab): void {
    sendAnswers.flush();
    current.value = lab;
    answers.value = { ...(project.project?.labProgress?.[lab.id]?.answers ?? {}) };
    answerState.value = 'saved';
    checkpoints.value = [];
    void refreshCheckpoints();
  }

  async function open(id: string): Promise<boolean> {
    busy.value = true;
    try {
      const lab = await attempt(() => client().invoke('labs.open', { id }));
      if (lab) show(lab);
      return lab !== null;
    } finally {
      busy.value = false;
    }
  }

  /** "Open lab file…": a JSON file the student picks, checked by the lab. */
  async function openFile(): Promise<boolean> {
    const file = await pickLabFile();
    if (!file) return false;
    busy.value = true;
    try {
      const lab = await attempt(() => client().invoke('labs.openText', { text: file.text, fileName: file.fileName }));
      if (!lab) return false;
      show(lab);
      await loadList();
      return true;
    } finally {
      busy.value = false;
    }
  }

  function close(): void {
    sendAnswers.flush();
    current.value = null;
    checkpoints.value = [];
  }

  async function refreshCheckpoints(): Promise<void> {
    const lab = current.value;
    if (!lab) return;
    const results = await attempt(() => client().invoke('labs.checkpoints', { labId: lab.id }));
    if (results && current.value === lab) checkpoints.value = results;
  }

  /** "Load into designer": the preset's network, data set and settings become the project's. */
  async function loadPreset(presetId: string): Promise<boolean> {
    const lab = current.value;
    const preset = lab ? findPreset(lab, presetId) : undefined;
    if (!lab || !preset) return false;
    let network;
    try {
      network = presetNetwork(lab, presetId)!;
    } catch (e) {
      ui.error(e);
      return false;
    }
    project.flushEdits();
    const ok = await project.update({ network, dataset: preset.dataset, settings: preset.settings });
    if (ok) ui.notify(`Loaded “${preset.label ?? preset.id}” into the designer`, 'success');
    return ok;
  }

  /** "Run this preset": a new run of it, started and selected in Train. */
  async function startPreset(presetId: string): Promise<RunSummary | null> {
    const lab = current.value;
    if (!lab) return null;
    const run = await attempt(() => client().invoke('labs.startPreset', { labId: lab.id, presetId }));
    if (run) {
      if (!runs.runs.some((r) => r.id === run.id)) runs.runs = [...runs.runs, run];
      runs.select(run.id);
    }
    return run;
  }

  const sendAnswers = debounce(async ({ labId, values }: { labId: string; values: Record<string, string> }) => {
    try {
      await client().invoke('labs.saveAnswers', { labId, answers: values });
      if (current.value?.id === labId && !sendAnswers.pending) answerState.value = 'saved';
    } catch (e) {
      answerState.value = 'error';
      ui.error(e);
    }
  }, ANSWER_DEBOUNCE_MS);

  function setAnswer(questionId: string, text: string): void {
    const lab = current.value;
    if (!lab) return;
    answers.value = { ...answers.value, [questionId]: text };
    answerState.value = 'pending';
    sendAnswers({ labId: lab.id, values: answers.value });
  }

  /** Sends answers still waiting (leaving the view, exporting). */
  function flushAnswers(): void {
    sendAnswers.flush();
  }

  async function exportReport(): Promise<boolean> {
    const lab = current.value;
    if (!lab) return false;
    flushAnswers();
    const file = await attempt(() => client().invoke('labs.exportReport', { labId: lab.id, teacher: teacher.value }));
    if (!file) return false;
    downloadText(file.fileName, file.html, 'text/html');
    ui.notify(`Downloaded ${file.fileName}`, 'success');
    return true;
  }

  /** Measures the checkpoints again whenever a run of the open lab finishes; returns the unsubscribe function. */
  function listen(): () => void {
    return client().on('run.updated', (run) => {
      if (run.lab && run.lab.labId === current.value?.id && FINAL.has(run.state)) void refreshCheckpoints();
    });
  }

  return {
    list,
    current,
    checkpoints,
    answers,
    answerState,
    teacher,
    busy,
    presetRuns,
    loadList,
    open,
    openFile,
    close,
    refreshCheckpoints,
    loadPreset,
    startPreset,
    setAnswer,
    flushAnswers,
    exportReport,
    listen,
  };
});
