// "Duplicate this run with one change": pure transforms of a run's network and
// training settings, the label the copy gets, and a final check that the result is
// a network and settings the engine accepts (so the Compare view never sends a
// recipe that runs.create would reject).
//
// Node ids are kept, so the copy lines up layer by layer with the original in the
// compare charts and in the diff ("sigmoid3: type sigmoid → relu"). Transforms return
// their argument unchanged when there is nothing to change, and never mutate it.
import { OPTIMIZER_TYPES, validateTrainingSettings, type OptimizerType, type TrainingSettings } from '../training/settings.ts';
import { ACTIVATION_KINDS, type ActivationKind } from './activationCurves.ts';
import { INIT_SCHEMES, PARAM_DEFAULTS, type InitScheme, type NetworkNode, type NetworkSpec } from './spec.ts';
import { validateNetwork } from './validate.ts';

/** Activations a hidden layer can be switched to ('linear' left out: it would remove the nonlinearity). */
export const HIDDEN_ACTIVATIONS: readonly ActivationKind[] = ACTIVATION_KINDS.filter((k) => k !== 'linear');
export { INIT_SCHEMES, OPTIMIZER_TYPES };

/** One change of a duplicated run. */
export type RunChange =
  | { kind: 'activation'; to: ActivationKind }
  | { kind: 'init'; to: InitScheme }
  | { kind: 'lr'; to: number }
  | { kind: 'optimizer'; to: OptimizerType }
  | { kind: 'batch_size'; to: number }
  | { kind: 'steps'; to: number }
  /** A positive norm to clip to, or null for no clipping. */
  | { kind: 'clip_norm'; to: number | null };

/** What a run is made from (the parts "duplicate" may change). */
export interface RunRecipe {
  network: NetworkSpec;
  settings: TrainingSettings;
}

/** runs.create takes labels of at most this many characters. */
export const MAX_LABEL_LENGTH = 200;

function isActivationNode(node: NetworkNode): node is NetworkNode & { type: ActivationKind } {
  return (ACTIVATION_KINDS as readonly string[]).includes(node.type);
}

/**
 * Ids of the activation nodes that are not the network's output, in plan order: the
 * output keeps its function, which the loss may rely on. Empty for a spec that does
 * not validate.
 */
export function hiddenActivationIds(spec: NetworkSpec): string[] {
  const v = validateNetwork(spec);
  if (!v.ok) return [];
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  return v.plan.order.filter((id) => {
    const node = byId.get(id);
    return node !== undefined && id !== v.plan.output && isActivationNode(node);
  });
}

/** A fresh activation node of `kind` with its default params (leaky ReLU's slope, ELU's alpha). */
function activationNode(id: string, kind: ActivationKind): NetworkNode {
  if (kind === 'leaky_relu') return { id, type: kind, params: { slope: PARAM_DEFAULTS.leaky_relu.slope } };
  if (kind === 'elu') return { id, type: kind, params: { alpha: PARAM_DEFAULTS.elu.alpha } };
  return { id, type: kind, params: {} } as NetworkNode;
}

/** Every hidden activation (see hiddenActivationIds) becomes `kind`; ones already of that kind keep their params. */
export function withHiddenActivation(spec: NetworkSpec, kind: ActivationKind): NetworkSpec {
  const ids = new Set(hiddenActivationIds(spec));
  let changed = false;
  const nodes = spec.nodes.map((n) => {
    if (!ids.has(n.id) || n.type === kind) return n;
    changed = true;
    return activationNode(n.id, kind);
  });
  return changed ? { ...spec, nodes } : spec;
}

/**
 * Every dense layer is initialised by `scheme`. init_scale is kept (a gain for the
 * xavier / he / lecun families); explicit weights are dropped so the engine draws
 * them from the new scheme, which is the point of the change.
 */
export function withDenseInit(spec: NetworkSpec, scheme: InitScheme): NetworkSpec {
  let changed = false;
  const nodes = spec.nodes.map((n): NetworkNode => {
    if (n.type !== 'dense' || (n.params.init === scheme && n.weights === undefined)) return n;
    changed = true;
    return { id: n.id, type: 'dense', params: { ...n.params, init: scheme } };
  });
  return changed ? { ...spec, nodes } : spec;
}

/** The settings with one setting changed (network changes leave them as they are). */
export function withSetting(settings: TrainingSettings, change: RunChange): TrainingSettings {
  switch (change.kind) {
    case 'lr':
      return { ...settings, optimizer: { ...settings.optimizer, lr: change.to } };
    case 'optimizer':
      return { ...settings, optimizer: { ...settings.optimizer, type: change.to } };
    case 'batch_size':
      return { ...settings, batch_size: change.to };
    case 'steps':
      return { ...settings, steps: change.to };
    case 'clip_norm': {
      if (change.to !== null) return { ...settings, clip_norm: change.to };
      const copy = { ...settings };
      delete copy.clip_norm;
      return copy;
    }
    default:
      return settings;
  }
}

/** The recipe with one change applied. */
export function applyChange(recipe: RunRecipe, change: RunChange): RunRecipe {
  if (change.kind === 'activation') return { ...recipe, network: withHiddenActivation(recipe.network, change.to) };
  if (change.kind === 'init') return { ...recipe, network: withDenseInit(recipe.network, change.to) };
  return { ...recipe, settings: withSetting(recipe.settings, change) };
}

/** The recipe with every change applied, in order. */
export function applyChanges(recipe: RunRecipe, changes: readonly RunChange[]): RunRecipe {
  return changes.reduce(applyChange, recipe);
}

/** A change in a few words for a label: "relu", "he_normal init", "lr 0.01", "adam", "batch 128", "5000 steps", "clip 1". */
export function changeWords(change: RunChange): string {
  switch (change.kind) {
    case 'activation':
      return change.to;
    case 'init':
      return `${change.to} init`;
    case 'lr':
      return `lr ${change.to}`;
    case 'optimizer':
      return change.to;
    case 'batch_size':
      return `batch ${change.to}`;
    case 'steps':
      return `${change.to} steps`;
    case 'clip_norm':
      return change.to === null ? 'no clipping' : `clip ${change.to}`;
  }
}

/** "<label> (lr 0.01)", or "<label> (relu, he_normal init)"; the label is cut so the whole fits MAX_LABEL_LENGTH. */
export function variantLabel(label: string, changes: readonly RunChange[]): string {
  const suffix = ` (${changes.map(changeWords).join(', ')})`;
  const room = Math.max(0, MAX_LABEL_LENGTH - suffix.length);
  const base = label.length > room ? `${label.slice(0, Math.max(0, room - 1))}…` : label;
  return `${base}${suffix}`.slice(0, MAX_LABEL_LENGTH);
}

export type VariantResult =
  | { ok: true; label: string; recipe: RunRecipe }
  | { ok: false; errors: string[] };

/**
 * The duplicate of a run with `changes`: its label and its recipe, checked by the
 * same validators the lab uses (the network's defaults filled in). Errors are
 * messages a student can act on; no changes at all is an error too.
 */
export function makeVariant(base: { label: string } & RunRecipe, changes: readonly RunChange[]): VariantResult {
  if (changes.length === 0) return { ok: false, errors: ['Choose at least one thing to change.'] };
  const recipe = applyChanges({ network: base.network, settings: base.settings }, changes);
  const errors: string[] = [];
  const net = validateNetwork(recipe.network);
  if (!net.ok) errors.push(...net.errors.map((e) => e.message)); // they name the node and field already
  const settings = validateTrainingSettings(recipe.settings);
  if (!settings.ok) errors.push(...settings.errors.map((e) => e.message));
  if (!net.ok || !settings.ok) return { ok: false, errors };
  return { ok: true, label: variantLabel(base.label, changes), recipe: { network: net.spec, settings: settings.settings } };
}
