/**
 * A run's three exports as the Train view offers them: its trace files as a zip
 * (with or without Parquet tables) and its network as a PyTorch module. In browser
 * mode each downloads; in the desktop app it goes through the save dialog.
 */
import type { RunSummary } from '../../../../core/api/labApi.ts';
import { lab } from '../../api/api.ts';
import { downloadBytes, downloadText } from '../../files/download.ts';

export type RunExportKind = 'traces' | 'traces-parquet' | 'pytorch';

export interface RunExportChoice {
  kind: RunExportKind;
  /** The button's text, which is its name. */
  label: string;
  /** The button's text while this export works. */
  busyLabel: string;
  /** What the file holds, shown as the button's tooltip. */
  hint: string;
}

export const RUN_EXPORTS: readonly RunExportChoice[] = [
  {
    kind: 'traces',
    label: 'Traces (CSV + JSON)',
    busyLabel: 'Zipping traces…',
    hint: 'A zip of steps.csv, nodes.csv, params.csv and traces.json (and the time, gate and test tables when the run has them)',
  },
  {
    kind: 'traces-parquet',
    label: 'Traces with Parquet',
    busyLabel: 'Zipping traces…',
    hint: 'The same zip with every table also as a .parquet file, for pandas or polars',
  },
  {
    kind: 'pytorch',
    label: 'PyTorch module (.py)',
    busyLabel: 'Writing module…',
    hint: "One Python file: the network as a torch.nn.Module with this run's trained weights",
  },
];

/**
 * Why `run` cannot be exported now, in words for the student; null when it can.
 * A run that has trained a step has traces and weights; one that is training has
 * weights that change under the export, so it is paused or finished first.
 */
export function exportBlocker(run: RunSummary | null): string | null {
  if (!run) return 'Select a run to export it.';
  if (run.state === 'running') return `${run.label} is training: pause it or let it finish to export it.`;
  if (run.stepsDone === 0) return `${run.label} has not trained a step yet, so it has no traces or weights to export.`;
  return null;
}

/**
 * Exports `run` as `kind`: the save dialog when `dialogs` (desktop), else a download.
 * Resolves to what happened, for a notice; null when the student cancelled the dialog.
 */
export async function exportRun(run: RunSummary, kind: RunExportKind, dialogs: boolean): Promise<string | null> {
  const runId = run.id;
  if (kind === 'pytorch') {
    if (dialogs) {
      const saved = await lab().invoke('export.pytorchDialog', { runId });
      return saved ? `Saved the PyTorch module of ${run.label} to ${saved.files[0]}` : null;
    }
    const file = await lab().invoke('export.pytorchSource', { runId });
    downloadText(file.fileName, file.text, 'text/x-python');
    return `Downloaded ${file.fileName}`;
  }
  const parquet = kind === 'traces-parquet';
  if (dialogs) {
    const saved = await lab().invoke('export.tracesDialog', { runId, parquet });
    return saved ? `Saved the traces of ${run.label} to ${saved.files[0]}` : null;
  }
  const file = await lab().invoke('export.tracesArchive', { runId, parquet });
  downloadBytes(file.fileName, file.zip, 'application/zip');
  return `Downloaded ${file.fileName}`;
}
