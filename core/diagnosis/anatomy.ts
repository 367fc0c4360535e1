// What a network is made of, as the diagnosis needs it: its weighted layers in plan
// order (each with the activation that follows it), the hidden ones apart from the
// read-out head, its squashing activations, normalisation, skip connections and
// recurrent layers. Read from the spec and its plan only; the traces come later.
import { isActivationKind } from '../network/activationCurves.ts';
import { isRecurrentNode, type NetworkNode, type NetworkSpec, type NodeType, type RecurrentType } from '../network/spec.ts';
import { validateNetwork, type NetworkPlan } from '../network/validate.ts';

export type WeightedType = 'dense' | RecurrentType;

export interface WeightedLayer {
  id: string;
  type: WeightedType;
  /** Fan-in: features reaching it per example (per timestep for a sequence). */
  inFeatures: number;
  /** Fan-out: its units, or its hidden size. */
  units: number;
  /** The activation node applied to its output (past norm and dropout nodes), or null. */
  activation: { id: string; type: NodeType } | null;
  /** A batchnorm or layernorm follows it before the activation or the next layer. */
  normalised: boolean;
}

export interface RecurrentLayer {
  id: string;
  type: RecurrentType;
  /** T: timesteps it reads. */
  time: number;
  node: NetworkNode & { type: RecurrentType };
}

export interface NetworkAnatomy {
  byId: ReadonlyMap<string, NetworkNode>;
  /** Nodes each node feeds, in edge order. */
  consumers: ReadonlyMap<string, string[]>;
  /** Dense and recurrent nodes in plan order. */
  weighted: WeightedLayer[];
  /** The weighted layer nearest the output: the read-out, not counted as hidden. */
  head: WeightedLayer | null;
  /** `weighted` without the head. */
  hidden: WeightedLayer[];
  /** Activation nodes other than the network's output, by kind, in plan order. */
  sigmoid: string[];
  tanh: string[];
  /** ReLU-family nodes (the ones that can die: relu, leaky_relu, elu). */
  reluLike: string[];
  /** batchnorm and layernorm nodes. */
  normalisation: string[];
  /** add nodes (skip connections). */
  skips: string[];
  recurrent: RecurrentLayer[];
  output: string;
}

/** Nodes that sit between a layer and its activation without changing what it means. */
export const PASS_THROUGH: ReadonlySet<NodeType> = new Set(['batchnorm', 'layernorm', 'dropout']);
const NORMALISATION: ReadonlySet<NodeType> = new Set(['batchnorm', 'layernorm']);
/** Activations He initialisation is sized for: they pass about half of a zero-mean signal. */
export const HE_ACTIVATIONS: ReadonlySet<NodeType> = new Set(['relu', 'leaky_relu', 'elu', 'gelu']);
/** Activations whose units can die (saturated_frac counts dead units for them). */
const DEAD_KIND: ReadonlySet<NodeType> = new Set(['relu', 'leaky_relu', 'elu']);

export function consumersOf(spec: NetworkSpec): Map<string, string[]> {
  const out = new Map<string, string[]>(spec.nodes.map((n) => [n.id, []]));
  for (const e of spec.edges) out.get(e.from)?.push(e.to);
  return out;
}

/**
 * The activation a weighted layer feeds, following single-consumer batchnorm,
 * layernorm and dropout nodes; `normalised` tells whether one of them normalises.
 */
export function followActivation(
  id: string,
  byId: ReadonlyMap<string, NetworkNode>,
  consumers: ReadonlyMap<string, string[]>,
): { activation: { id: string; type: NodeType } | null; normalised: boolean } {
  let normalised = false;
  let at = id;
  for (let guard = 0; guard < byId.size; guard++) {
    const next = consumers.get(at) ?? [];
    if (next.length !== 1) break;
    const node = byId.get(next[0]);
    if (!node) break;
    if (isActivationKind(node.type)) return { activation: { id: node.id, type: node.type }, normalised };
    if (!PASS_THROUGH.has(node.type)) break;
    if (NORMALISATION.has(node.type)) normalised = true;
    at = node.id;
  }
  return { activation: null, normalised };
}

export function analyseNetwork(spec: NetworkSpec, plan: NetworkPlan): NetworkAnatomy {
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const consumers = consumersOf(spec);
  const weighted: WeightedLayer[] = [];
  const recurrent: RecurrentLayer[] = [];
  const kinds = { sigmoid: [] as string[], tanh: [] as string[], reluLike: [] as string[] };
  const normalisation: string[] = [];
  const skips: string[] = [];

  for (const id of plan.order) {
    const node = byId.get(id);
    if (!node) continue;
    const source = plan.inputs[id]?.[0];
    const inFeatures = source === undefined ? 0 : plan.shapes[source];
    if (node.type === 'dense' || isRecurrentNode(node)) {
      const follow = followActivation(id, byId, consumers);
      weighted.push({ id, type: node.type as WeightedType, inFeatures, units: plan.shapes[id], ...follow });
    }
    if (isRecurrentNode(node)) recurrent.push({ id, type: node.type, time: plan.time[source], node });
    if (id !== plan.output) {
      if (node.type === 'sigmoid') kinds.sigmoid.push(id);
      if (node.type === 'tanh') kinds.tanh.push(id);
      if (DEAD_KIND.has(node.type)) kinds.reluLike.push(id);
    }
    if (NORMALISATION.has(node.type)) normalisation.push(id);
    if (node.type === 'add') skips.push(id);
  }

  const head = weighted.length > 0 ? weighted[weighted.length - 1] : null;
  return {
    byId,
    consumers,
    weighted,
    head,
    hidden: weighted.slice(0, -1),
    ...kinds,
    normalisation,
    skips,
    recurrent,
    output: plan.output,
  };
}

/** The plan and anatomy of a spec, or null when it does not validate (a fix then leaves it alone). */
export function analyseSpec(spec: NetworkSpec): { plan: NetworkPlan; anatomy: NetworkAnatomy } | null {
  const v = validateNetwork(spec);
  return v.ok ? { plan: v.plan, anatomy: analyseNetwork(v.spec, v.plan) } : null;
}
