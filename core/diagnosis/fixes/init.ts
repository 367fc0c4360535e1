// Redraws badly scaled dense layers with the scheme their activation wants: He in
// front of ReLU-like units, Xavier in front of anything else, both at gain 1.
// Layers already on a fitting scheme at scale 1 keep theirs (xavier_normal before a
// tanh is as good as xavier_uniform; only a mismatch is changed).
import type { InitScheme, NetworkSpec } from '../../network/spec.ts';
import { HE_ACTIVATIONS, analyseSpec } from '../anatomy.ts';
import { texts } from '../texts.ts';
import type { Fix } from '../types.ts';
import { mapNodes, withoutWeights } from './edit.ts';

const HE_SCHEMES: readonly InitScheme[] = ['he_normal', 'he_uniform'];
const XAVIER_SCHEMES: readonly InitScheme[] = ['xavier_uniform', 'xavier_normal', 'lecun_uniform', 'lecun_normal'];

interface InitTargets {
  he: string[];
  xavier: string[];
}

function initTargets(spec: NetworkSpec): InitTargets | null {
  const analysed = analyseSpec(spec);
  if (!analysed) return null;
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const out: InitTargets = { he: [], xavier: [] };
  for (const layer of analysed.anatomy.weighted) {
    const node = byId.get(layer.id);
    if (node?.type !== 'dense') continue;
    const wantsHe = layer.activation !== null && HE_ACTIVATIONS.has(layer.activation.type);
    // A read-out layer with no activation after it is fine with either family.
    const fitting = layer.activation === null ? [...HE_SCHEMES, ...XAVIER_SCHEMES] : wantsHe ? HE_SCHEMES : XAVIER_SCHEMES;
    if (fitting.includes(node.params.init) && node.params.init_scale === 1) continue;
    (wantsHe ? out.he : out.xavier).push(node.id);
  }
  return out.he.length + out.xavier.length > 0 ? out : null;
}

function applyStandardInit(spec: NetworkSpec): NetworkSpec {
  const t = initTargets(spec);
  if (!t) return spec;
  const he = new Set(t.he);
  const xavier = new Set(t.xavier);
  return mapNodes(spec, (n) => {
    if (n.type !== 'dense' || !(he.has(n.id) || xavier.has(n.id))) return n;
    const init: InitScheme = he.has(n.id) ? 'he_normal' : 'xavier_uniform';
    return withoutWeights({ ...n, params: { ...n.params, init, init_scale: 1 } });
  });
}

/** Dense layers whose init does not suit the activation after them get He or Xavier at scale 1. */
export function standardInitFix(spec: NetworkSpec): Fix | null {
  const t = initTargets(spec);
  if (!t) return null;
  return {
    id: 'standard-init',
    label: texts.fixes.standardInit.label(),
    description: texts.fixes.standardInit.description(t),
    apply: (s, settings) => ({ spec: applyStandardInit(s), settings }),
  };
}
