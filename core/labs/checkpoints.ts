// Checkpoints judged on a student's own run: each condition of schema.ts measured on
// the run's TraceColumns and its network, compared with the lab's threshold, and
// explained in a sentence (texts.ts). Pure and cheap: the Labs view can call it on
// every trace chunk of a training run.
//
// A condition that cannot be measured (the run is too short, the loss became NaN,
// the layer does not exist) fails with measured = null and says why: a checkpoint
// passes only on evidence.
import { analyseNetwork, type NetworkAnatomy } from '../diagnosis/anatomy.ts';
import { TraceReader } from '../diagnosis/traceReader.ts';
import { isRecurrentNode, type NetworkSpec } from '../network/spec.ts';
import { validateNetwork, type NetworkPlan } from '../network/validate.ts';
import { saturationKindOf, type TraceColumns } from '../traces/metrics.ts';
import { labPresets } from './presets.ts';
import type {
  Condition,
  DivergedCondition,
  Expectation,
  GradientRatioCondition,
  Lab,
  LabCheckpoint,
  LossCondition,
  LossRatioCondition,
  SaturationCondition,
  TimestepRatioCondition,
} from './schema.ts';
import { checkpointTexts as T, type Threshold } from './texts.ts';

/** A run as the evaluator reads it. */
export interface LabRun {
  /** The network the run trained (the student may have changed the preset's). */
  spec: NetworkSpec;
  /** Its plan; computed from `spec` when absent. */
  plan?: NetworkPlan;
  traces: TraceColumns;
  /** How the run ended ('completed', 'diverged', 'cancelled', ...); absent while it trains. */
  stopped?: string;
}

export interface ConditionResult {
  passed: boolean;
  /** The number compared with the threshold; null when there is none (a combinator, or nothing could be measured). */
  measured: number | null;
  /** Plain text: what was measured and how it compares. */
  explanation: string;
  /** The results of a combinator's conditions, in order. */
  parts?: ConditionResult[];
}

export interface CheckpointResult extends ConditionResult {
  checkpointId: string;
  presetId: string;
  /** What the lab's author expects on the preset's untouched run, when stated. */
  expected?: Expectation;
}

/** Everything a condition needs, computed once per run. */
interface RunView {
  run: LabRun;
  reader: TraceReader;
  anatomy: NetworkAnatomy | null;
  invalid: string | null;
}

function viewOf(run: LabRun): RunView {
  const reader = new TraceReader(run.traces);
  if (run.plan) return { run, reader, anatomy: analyseNetwork(run.spec, run.plan), invalid: null };
  const v = validateNetwork(run.spec);
  if (!v.ok) return { run, reader, anatomy: null, invalid: v.errors[0]?.message ?? 'invalid' };
  return { run, reader, anatomy: analyseNetwork(v.spec, v.plan), invalid: null };
}

function unmeasured(explanation: string): ConditionResult {
  return { passed: false, measured: null, explanation };
}

function within(v: number, t: Threshold): boolean {
  if (!Number.isFinite(v)) return false;
  return (t.below === undefined || v < t.below) && (t.above === undefined || v > t.above);
}

/** The traced row a condition reads, or the reason there is none. */
function pickRow(view: RunView, at: 'first' | 'last' | { step: number }): number | string {
  const steps = view.run.traces.steps;
  if (steps.length === 0) return T.noTraces();
  if (at === 'first') return 0;
  if (at === 'last') return steps.length - 1;
  for (let r = 0; r < steps.length; r++) if (steps[r] >= at.step) return r;
  return T.notReached(at.step, steps[steps.length - 1]);
}

function resolveLayer(anatomy: NetworkAnatomy, ref: string): { id: string; weighted: boolean; type: string } | null {
  if (ref === 'firstHidden' || ref === 'lastHidden') {
    const hidden = anatomy.hidden;
    const layer = ref === 'firstHidden' ? hidden[0] : hidden[hidden.length - 1];
    return layer ? { id: layer.id, weighted: true, type: layer.type } : null;
  }
  const node = anatomy.byId.get(ref);
  if (!node) return null;
  return { id: ref, weighted: node.type === 'dense' || isRecurrentNode(node), type: node.type };
}

function gradientRatio(view: RunView, c: GradientRatioCondition): ConditionResult {
  if (!view.anatomy) return unmeasured(T.invalidNetwork(view.invalid ?? ''));
  const row = pickRow(view, c.at);
  if (typeof row === 'string') return unmeasured(row);
  const num = resolveLayer(view.anatomy, c.numerator);
  const den = resolveLayer(view.anatomy, c.denominator);
  if (!num) return unmeasured(T.noLayer(c.numerator));
  if (!den) return unmeasured(T.noLayer(c.denominator));
  const read = (l: { id: string; weighted: boolean; type: string }) =>
    c.metric === 'weight' && l.weighted
      ? view.reader.param(TraceReader.weightName({ id: l.id, type: l.type as 'dense' }), 'grad_norm', row)
      : view.reader.node(l.id, 'out_grad_norm', row);
  const a = read(num);
  const b = read(den);
  const step = view.reader.stepOf(row);
  const bad = [num, den].filter((_, k) => {
    const v = k === 0 ? a : b;
    return !(Number.isFinite(v) && v > 0);
  });
  if (bad.length > 0) return unmeasured(T.notMeasured(bad.map((l) => l.id), step));
  const ratio = a / b;
  const passed = within(ratio, c);
  const explanation = T.gradientRatio({ numerator: num.id, denominator: den.id, metric: c.metric, step, ratio, passed, below: c.below, above: c.above });
  return { passed, measured: ratio, explanation };
}

/** The mean loss over steps [from, from + window), or the reason it cannot be had. */
function lossMean(loss: Float32Array, from: number, window: number): number | string {
  if (loss.length < from + window) return T.tooShort(from + window, loss.length);
  let sum = 0;
  for (let s = from; s < from + window; s++) {
    if (!Number.isFinite(loss[s])) {
      let first = s;
      for (let k = 0; k < s; k++) if (!Number.isFinite(loss[k])) { first = k; break; }
      return T.lossNotFinite(first);
    }
    sum += loss[s];
  }
  return sum / window;
}

function lossRatio(view: RunView, c: LossRatioCondition): ConditionResult {
  const loss = view.run.traces.metrics.loss;
  const initial = lossMean(loss, 0, c.window);
  if (typeof initial === 'string') return unmeasured(initial);
  const later = lossMean(loss, c.after, c.window);
  if (typeof later === 'string') return unmeasured(later);
  const ratio = later / initial;
  const passed = within(ratio, c);
  return { passed, measured: ratio, explanation: T.lossRatio({ initial, later, after: c.after, window: c.window, ratio, passed, below: c.below, above: c.above }) };
}

function lossValue(view: RunView, c: LossCondition): ConditionResult {
  const value = lossMean(view.run.traces.metrics.loss, c.after, c.window);
  if (typeof value === 'string') return unmeasured(value);
  const passed = within(value, c);
  return { passed, measured: value, explanation: T.loss({ value, after: c.after, window: c.window, passed, below: c.below, above: c.above }) };
}

function saturation(view: RunView, c: SaturationCondition): ConditionResult {
  const row = pickRow(view, c.at);
  if (typeof row === 'string') return unmeasured(row);
  const step = view.reader.stepOf(row);
  const values: { id: string; v: number }[] = [];
  for (const node of view.run.spec.nodes) {
    if (c.layer !== 'any' && c.layer !== 'mean' && node.id !== c.layer) continue;
    if (saturationKindOf(node) === null || node.id === view.anatomy?.output) continue;
    const v = view.reader.node(node.id, 'saturated_frac', row);
    if (Number.isFinite(v)) values.push({ id: node.id, v });
  }
  if (values.length === 0) return c.layer === 'any' || c.layer === 'mean' ? unmeasured(T.noSaturation(step)) : unmeasured(T.noLayer(c.layer));
  let measured: number;
  let layer = c.layer;
  if (c.layer === 'mean') measured = values.reduce((s, x) => s + x.v, 0) / values.length;
  else {
    const top = values.reduce((a, b) => (b.v > a.v ? b : a));
    measured = top.v;
    layer = top.id;
  }
  const mode = c.layer === 'any' ? 'any' : c.layer === 'mean' ? 'mean' : 'node';
  const passed = within(measured, c);
  return { passed, measured, explanation: T.saturation({ layer, mode, step, value: measured, passed, below: c.below, above: c.above }) };
}

function timestepRatio(view: RunView, c: TimestepRatioCondition): ConditionResult {
  const row = pickRow(view, c.at);
  if (typeof row === 'string') return unmeasured(row);
  const node = c.node ?? view.anatomy?.recurrent[0]?.id ?? view.run.traces.recurrent?.nodes[0]?.nodeId;
  if (node === undefined) return unmeasured(T.noRecurrent(undefined));
  const curve = view.reader.timesteps(node, row);
  if (!curve || curve.length === 0) return unmeasured(T.noRecurrent(node));
  const step = view.reader.stepOf(row);
  const first = curve[0];
  const last = curve[curve.length - 1];
  if (!(Number.isFinite(first) && Number.isFinite(last) && last > 0)) return unmeasured(T.notMeasured([node], step));
  const ratio = first / last;
  const passed = within(ratio, c);
  return { passed, measured: ratio, explanation: T.timestepRatio({ node, step, time: curve.length, ratio, passed, below: c.below, above: c.above }) };
}

function diverged(view: RunView, c: DivergedCondition): ConditionResult {
  const summary = view.reader.lossSummary();
  const at = summary.firstNonFinite >= 0 ? summary.firstNonFinite : null;
  const isDiverged = view.run.stopped === 'diverged' || at !== null;
  const passed = isDiverged === c.expected;
  return { passed, measured: at, explanation: T.diverged({ diverged: isDiverged, at, expected: c.expected }) };
}

function evaluate(view: RunView, c: Condition): ConditionResult {
  if ('all' in c || 'any' in c) {
    const all = 'all' in c;
    const parts = (all ? c.all : c.any).map((x) => evaluate(view, x));
    const passed = all ? parts.every((p) => p.passed) : parts.some((p) => p.passed);
    const words = parts.map((p) => p.explanation);
    return { passed, measured: null, explanation: all ? T.all(passed, words) : T.any(passed, words), parts };
  }
  switch (c.kind) {
    case 'gradientRatio':
      return gradientRatio(view, c);
    case 'lossRatio':
      return lossRatio(view, c);
    case 'loss':
      return lossValue(view, c);
    case 'saturation':
      return saturation(view, c);
    case 'timestepRatio':
      return timestepRatio(view, c);
    case 'diverged':
      return diverged(view, c);
  }
}

/** One condition on one run. */
export function evaluateCondition(condition: Condition, run: LabRun): ConditionResult {
  return evaluate(viewOf(run), condition);
}

/** One checkpoint on the run of one of its presets. */
export function evaluateCheckpoint(checkpoint: LabCheckpoint, presetId: string, run: LabRun | undefined): CheckpointResult {
  const expected = checkpoint.expect?.[presetId];
  const base = { checkpointId: checkpoint.id, presetId, ...(expected ? { expected } : {}) };
  if (!run) return { ...base, ...unmeasured(T.noRun()) };
  return { ...base, ...evaluateCondition(checkpoint.condition, run) };
}

/**
 * Every checkpoint of `lab` on every preset it judges, in checkpoint order, then
 * preset order. `runs` maps a preset id to the run made from it (the student's
 * latest, say); a preset without a run gets a failed result that says so.
 */
export function evaluateCheckpoints(lab: Lab, runs: ReadonlyMap<string, LabRun> | Readonly<Record<string, LabRun>>): CheckpointResult[] {
  const get = (id: string) => (runs instanceof Map ? runs.get(id) : (runs as Record<string, LabRun>)[id]);
  const views = new Map<string, RunView>();
  const known = new Set(labPresets(lab).map((p) => p.id));
  const out: CheckpointResult[] = [];
  for (const cp of lab.checkpoints) {
    for (const presetId of cp.presets) {
      if (!known.has(presetId)) continue;
      const run = get(presetId);
      if (!run) {
        out.push(evaluateCheckpoint(cp, presetId, undefined));
        continue;
      }
      let view = views.get(presetId);
      if (!view) views.set(presetId, (view = viewOf(run)));
      const expected = cp.expect?.[presetId];
      out.push({ checkpointId: cp.id, presetId, ...(expected ? { expected } : {}), ...evaluate(view, cp.condition) });
    }
  }
  return out;
}
