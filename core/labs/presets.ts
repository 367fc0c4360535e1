// A preset's network as the designer and the engine see it: a full spec as written,
// or a template built and edited (see templateNetworkSchema in schema.ts). Pure, no
// Node imports: the Labs view loads a step's preset with presetNetwork().
import { FIX_BUILDERS } from '../diagnosis/fixes/catalog.ts';
import { isActivationKind } from '../network/activationCurves.ts';
import { networkSpecSchema, type NetworkSpec, type NetworkSpecInput } from '../network/spec.ts';
import { buildTemplate } from '../network/templates.ts';
import { validateNetwork, type NetworkError, type NetworkPlan } from '../network/validate.ts';
import type { TrainingSettings } from '../training/settings.ts';
import type { Lab, LabPreset, LabStep, PresetNetwork, TemplateNetwork } from './schema.ts';

export type ResolvedNetwork =
  | { ok: true; spec: NetworkSpec; plan: NetworkPlan }
  | { ok: false; errors: NetworkError[] };

function isTemplate(network: PresetNetwork): network is TemplateNetwork {
  return 'template' in network;
}

type SpecNode = NetworkSpecInput['nodes'][number];

/**
 * The template's spec with `activation` and `params` applied (fixes come after
 * validation, on the parsed spec). A replaced activation is renamed after its new
 * type ("relu3" becomes "elu3"), so the charts name what the node is.
 */
function editedTemplate(t: TemplateNetwork): NetworkSpecInput {
  const built = buildTemplate(t.template, t.options);
  const renamed = new Map<string, string>();
  const nodes = built.nodes.map((node): SpecNode => {
    let n = node;
    if (t.activation && isActivationKind(n.type) && n.type !== t.activation) {
      const id = n.id.startsWith(n.type) ? `${t.activation}${n.id.slice(n.type.length)}` : n.id;
      renamed.set(n.id, id);
      n = { id, type: t.activation, params: {} } as SpecNode;
    }
    const set = t.params?.[n.id] ?? t.params?.[n.type];
    if (set) n = { ...n, params: { ...(n.params ?? {}), ...set } } as SpecNode;
    return n;
  });
  const edges = built.edges.map((e) => ({ from: renamed.get(e.from) ?? e.from, to: renamed.get(e.to) ?? e.to }));
  return { ...built, nodes, edges };
}

/**
 * The spec, plan and validation result of a preset's network. A template's edits
 * that leave the network invalid (a param the node type lacks, say) come back as
 * errors, like a hand-written spec's.
 */
export function resolveNetwork(network: PresetNetwork, settings: TrainingSettings): ResolvedNetwork {
  const raw = isTemplate(network) ? editedTemplate(network) : network;
  const first = validateNetwork(raw);
  if (!first.ok) return { ok: false, errors: first.errors };
  if (!isTemplate(network) || !network.fixes?.length) return first;
  let spec: NetworkSpec = first.spec;
  for (const id of network.fixes) {
    const fix = FIX_BUILDERS[id](spec, settings);
    if (fix) spec = fix.apply(spec, settings).spec;
  }
  // Re-parsed so defaults of inserted nodes are filled exactly as for a written spec.
  return validateNetwork(networkSpecSchema.parse(spec));
}

/** Every step's preset, in step order. */
export function labPresets(lab: Lab): LabPreset[] {
  return lab.steps.flatMap((s: LabStep) => (s.preset ? [s.preset] : []));
}

/** The preset with this id, or undefined. */
export function findPreset(lab: Lab, presetId: string): LabPreset | undefined {
  return labPresets(lab).find((p) => p.id === presetId);
}

/** A preset's run label: its own label, else its id. */
export function presetLabel(preset: LabPreset): string {
  return preset.label ?? preset.id;
}

/**
 * The network step `step` (an index into lab.steps, or a preset id) loads into the
 * designer; null when that step has no preset. Throws RangeError for an unknown
 * step and Error for a network that does not validate (loadLab refuses such labs,
 * so this happens only for a lab that skipped loadLab).
 */
export function presetNetwork(lab: Lab, step: number | string): NetworkSpec | null {
  let preset: LabPreset | undefined;
  if (typeof step === 'number') {
    if (!Number.isInteger(step) || step < 0 || step >= lab.steps.length) {
      throw new RangeError(`lab "${lab.id}" has no step ${step}; it has ${lab.steps.length}`);
    }
    preset = lab.steps[step].preset;
  } else {
    preset = findPreset(lab, step);
    if (!preset) throw new RangeError(`lab "${lab.id}" has no preset "${step}"`);
  }
  if (!preset) return null;
  const r = resolveNetwork(preset.network, preset.settings);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.spec;
}
