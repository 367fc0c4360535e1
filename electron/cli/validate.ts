/**
 * `vglab validate FILE`: exit 0 with a one-line summary for a valid network, project,
 * lab or reference case; exit 1 with every problem (naming node and field) otherwise.
 * A project's network is also checked against its built-in data set (input width,
 * sequence length, task) exactly as a run would start, and so is every preset of a lab.
 */
import { readFileSync } from 'node:fs';

import { makeDataset } from '../../core/datasets/catalog.ts';
import { NETWORK_FORMAT } from '../../core/network/spec.ts';
import { parseProject } from '../../core/project/migrate.ts';
import { decodeTraces, decodeTypedArray, TraceCodecError } from '../../core/project/traceCodec.ts';
import { PROJECT_FORMAT_PREFIX } from '../../core/project/schema.ts';
import { validateNetwork } from '../../core/network/validate.ts';
import { parseReferenceCase, REFERENCE_FORMAT } from '../../core/reference/case.ts';
import { loadAddon } from '../engine/addon.ts';
import { prepareRun, TrainInputError } from '../engine/trainer.ts';
import { DatasetError } from '../../core/datasets/generators.ts';
import { exitWith } from './exit.ts';
import { isLabDocument, loadLab } from '../../core/labs/load.ts';
import { labPresets, resolveNetwork } from '../../core/labs/presets.ts';

export class ValidationFailed extends Error {}

/** Checks a network with the TypeScript validator, then compiles it natively (the engine's own checks). */
export function checkNetwork(spec: unknown): string {
  const v = validateNetwork(spec);
  if (!v.ok) throw new ValidationFailed(v.errors.map((e) => e.message).join('\n'));
  const info = new (loadAddon().Network)(v.spec).info();
  return `${info.nodes.length} nodes, ${info.parameterCount.toLocaleString('en-US')} parameters`;
}

function projectSummary(path: string, text: string): string {
  const parsed = parseProject(text);
  if (!parsed.ok) throw new ValidationFailed(`${path}: ${parsed.error}`);
  const p = parsed.project;
  // Decode every run's traces and weights as the app does on open: damage inside them is damage to the file.
  for (const [i, run] of p.runs.entries()) {
    try {
      if (run.traces) decodeTraces(run.traces);
      for (const [name, w] of Object.entries(run.weights ?? {})) decodeTypedArray(w, 'float32', `weights.${name}`);
    } catch (e) {
      if (e instanceof TraceCodecError) throw new ValidationFailed(`${path}: the project file is damaged: runs[${i}]: ${e.message}`);
      throw e;
    }
  }
  const network = checkNetwork(p.network);
  let data = 'a CSV data set, not checked here';
  if ('name' in p.dataset) {
    prepareRun(p.network, p.settings, makeDataset(p.dataset.name, p.dataset.options ?? {}));
    data = `data set ${p.dataset.name}`;
  }
  return `${path}: a valid project "${p.name}" (${network}; ${data}; ${p.runs.length} runs)`;
}

function labSummary(path: string, text: string): string {
  const loaded = loadLab(text);
  if (!loaded.ok) throw new ValidationFailed(loaded.errors.map((e) => `${path}: ${e.message}`).join('\n'));
  const lab = loaded.lab;
  const presets = labPresets(lab);
  const problems: string[] = [];
  for (const p of presets) {
    const r = resolveNetwork(p.network, p.settings);
    if (!r.ok) continue; // loadLab already refused it
    try {
      checkNetwork(r.spec);
      prepareRun(r.spec, p.settings, makeDataset(p.dataset.name, p.dataset.options));
    } catch (e) {
      problems.push(`${path}: preset "${p.id}": ${(e as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ValidationFailed(problems.join('\n'));
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return (
    `${path}: a valid lab "${lab.id}" (${count(lab.steps.length, 'step')}, ${count(presets.length, 'preset')}, ` +
    `${count(lab.questions.length, 'question')}, ${count(lab.checkpoints.length, 'checkpoint')})`
  );
}

function summary(path: string, withBom: string): string {
  // Editors such as Notepad start UTF-8 files with a byte-order mark; it is not part of the JSON.
  const text = withBom.charCodeAt(0) === 0xfeff ? withBom.slice(1) : withBom;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // parseProject reports the line and column of broken JSON.
    return projectSummary(path, text);
  }
  if (isLabDocument(json)) return labSummary(path, text);
  const format = json !== null && typeof json === 'object' ? (json as { format?: unknown }).format : undefined;
  if (typeof format === 'string' && format.startsWith(PROJECT_FORMAT_PREFIX)) return projectSummary(path, text);
  if (format === NETWORK_FORMAT) return `${path}: a valid network (${checkNetwork(json)})`;
  if (format === REFERENCE_FORMAT) {
    const r = parseReferenceCase(json);
    if (!r.ok) throw new ValidationFailed(r.errors.join('\n'));
    return `${path}: a valid reference case (${r.case.layers.length} layers)`;
  }
  throw new ValidationFailed(
    `${path}: "format" is ${JSON.stringify(format)}; expected a project, a lab, "${NETWORK_FORMAT}" or "${REFERENCE_FORMAT}"`,
  );
}

export function validateCommand(path: string): void {
  exitWith(() => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ValidationFailed(`cannot read ${path}: ${(e as Error).message}`);
    }
    process.stdout.write(`${summary(path, text)}\n`);
    return 0;
  }, ValidationFailed, TrainInputError, DatasetError);
}
