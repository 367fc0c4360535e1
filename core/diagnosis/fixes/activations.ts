// Fixes that swap activation functions: sigmoid / tanh layers become ReLU (with the
// dense layers feeding them redrawn by He initialisation, which is sized for ReLU),
// and ReLU layers become leaky ReLU so dead units keep a little slope. Node ids stay
// as they are, so the duplicated run lines up layer by layer with the original
// (a node called "sigmoid3" may then hold a ReLU; its type says so on the canvas).
import { PARAM_DEFAULTS, type NetworkNode, type NetworkSpec } from '../../network/spec.ts';
import { PASS_THROUGH, analyseSpec } from '../anatomy.ts';
import { texts } from '../texts.ts';
import type { Fix } from '../types.ts';
import { mapNodes, withoutWeights } from './edit.ts';

interface ReluHeTargets {
  activations: string[];
  /** Dense layers feeding those activations whose init is not already He at scale 1. */
  dense: string[];
}

/** The dense node feeding `id`, looking back through batchnorm, layernorm and dropout; null when there is none. */
function denseBefore(spec: NetworkSpec, id: string, byId: ReadonlyMap<string, NetworkNode>): string | null {
  let at = id;
  for (let guard = 0; guard < spec.nodes.length; guard++) {
    const from = spec.edges.filter((e) => e.to === at).map((e) => e.from);
    if (from.length !== 1) return null;
    const node = byId.get(from[0]);
    if (!node) return null;
    if (node.type === 'dense') return node.id;
    if (!PASS_THROUGH.has(node.type)) return null;
    at = node.id;
  }
  return null;
}

function reluHeTargets(spec: NetworkSpec): ReluHeTargets | null {
  const analysed = analyseSpec(spec);
  if (!analysed) return null;
  const { anatomy } = analysed;
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  // The output node keeps its squashing function: it may be what the loss expects.
  const activations = [...anatomy.sigmoid, ...anatomy.tanh].filter((id) => byId.has(id));
  if (activations.length === 0) return null;
  const order = new Map(analysed.plan.order.map((id, i) => [id, i]));
  activations.sort((a, b) => order.get(a)! - order.get(b)!);
  const dense: string[] = [];
  for (const id of activations) {
    const d = denseBefore(spec, id, byId);
    const node = d === null ? undefined : byId.get(d);
    if (node?.type !== 'dense' || dense.includes(node.id)) continue;
    if (node.params.init !== 'he_normal' || node.params.init_scale !== 1 || node.weights !== undefined) dense.push(node.id);
  }
  return { activations, dense };
}

function applyReluHe(spec: NetworkSpec): NetworkSpec {
  const t = reluHeTargets(spec);
  if (!t) return spec;
  const acts = new Set(t.activations);
  const dense = new Set(t.dense);
  return mapNodes(spec, (n) => {
    if (acts.has(n.id)) return { id: n.id, type: 'relu', params: {} };
    if (n.type === 'dense' && dense.has(n.id)) {
      return withoutWeights({ ...n, params: { ...n.params, init: 'he_normal', init_scale: 1 } });
    }
    return n;
  });
}

/** Sigmoid and tanh layers (but the output) become ReLU; the dense layers before them get He init. */
export function reluHeFix(spec: NetworkSpec): Fix | null {
  const t = reluHeTargets(spec);
  if (!t) return null;
  return {
    id: 'relu-he',
    label: texts.fixes.reluHe.label(),
    description: texts.fixes.reluHe.description(t),
    apply: (s, settings) => ({ spec: applyReluHe(s), settings }),
  };
}

function reluIds(spec: NetworkSpec): string[] {
  const analysed = analyseSpec(spec);
  if (!analysed) return [];
  return analysed.anatomy.reluLike.filter((id) => analysed.anatomy.byId.get(id)?.type === 'relu');
}

function applyLeakyRelu(spec: NetworkSpec): NetworkSpec {
  const ids = new Set(reluIds(spec));
  return mapNodes(spec, (n) =>
    ids.has(n.id) ? { id: n.id, type: 'leaky_relu', params: { slope: PARAM_DEFAULTS.leaky_relu.slope } } : n,
  );
}

/** ReLU layers become leaky ReLU (slope 0.01 below zero), so a dead unit can come back. */
export function leakyReluFix(spec: NetworkSpec): Fix | null {
  const nodes = reluIds(spec);
  if (nodes.length === 0) return null;
  return {
    id: 'leaky-relu',
    label: texts.fixes.leakyRelu.label(),
    description: texts.fixes.leakyRelu.description({ nodes }),
    apply: (s, settings) => ({ spec: applyLeakyRelu(s), settings }),
  };
}
