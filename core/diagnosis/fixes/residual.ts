// Turns a plain stack into a residual one: each hidden block (a dense layer and the
// activation, norm and dropout nodes that follow it alone) gets an add node that
// sums its output with its input, h -> h + f(h), as in the residual MLP template.
// Only blocks whose input and output have the same width and time shape can be
// summed; the others (the first layer, which widens the data, for one) stay plain.
// Consecutive blocks chain through the new add nodes, so the skip path runs the
// whole length of the stack.
import { isActivationKind } from '../../network/activationCurves.ts';
import type { NetworkSpec } from '../../network/spec.ts';
import type { NetworkPlan } from '../../network/validate.ts';
import { PASS_THROUGH, analyseSpec, type NetworkAnatomy } from '../anatomy.ts';
import { texts } from '../texts.ts';
import type { Fix } from '../types.ts';
import { derivedId, freshId, idsOf, insertSkip } from './edit.ts';

interface Block {
  /** The dense layer that opens the block. */
  dense: string;
  /** The block's input (what feeds the dense layer) and its last node. */
  input: string;
  end: string;
}

interface ResidualTargets {
  blocks: Block[];
  /** Dense layers whose block changes width, so it cannot be wrapped. */
  skipped: string[];
}

/** The last node of the block opened by `dense`: follows single-consumer activation / norm / dropout nodes. */
function blockEnd(dense: string, anatomy: NetworkAnatomy): string {
  let end = dense;
  for (let guard = 0; guard < anatomy.byId.size; guard++) {
    const next = anatomy.consumers.get(end) ?? [];
    if (next.length !== 1) break;
    const node = anatomy.byId.get(next[0]);
    if (!node || !(isActivationKind(node.type) || PASS_THROUGH.has(node.type))) break;
    end = node.id;
  }
  return end;
}

function residualTargets(anatomy: NetworkAnatomy, plan: NetworkPlan): ResidualTargets {
  const blocks: Block[] = [];
  const skipped: string[] = [];
  for (const layer of anatomy.hidden) {
    if (layer.type !== 'dense') continue;
    const input = plan.inputs[layer.id][0];
    const end = blockEnd(layer.id, anatomy);
    if (end === plan.output) continue;
    // Already wrapped: its output feeds an add node.
    if ((anatomy.consumers.get(end) ?? []).some((c) => anatomy.byId.get(c)?.type === 'add')) continue;
    const sameShape =
      plan.shapes[input] === plan.shapes[end] &&
      plan.sequence[input] === plan.sequence[end] &&
      plan.time[input] === plan.time[end];
    if (sameShape) blocks.push({ dense: layer.id, input, end });
    else skipped.push(layer.id);
  }
  return { blocks, skipped };
}

function targetsOf(spec: NetworkSpec): ResidualTargets | null {
  const analysed = analyseSpec(spec);
  return analysed ? residualTargets(analysed.anatomy, analysed.plan) : null;
}

function applyResidual(spec: NetworkSpec): NetworkSpec {
  const t = targetsOf(spec);
  if (!t) return spec;
  const taken = idsOf(spec);
  // A block whose input was the previous block's end now reads that block's add node.
  const replacedBy = new Map<string, string>();
  let out = spec;
  for (const b of t.blocks) {
    const addId = freshId(derivedId(b.dense, 'add'), taken);
    out = insertSkip(out, b.end, replacedBy.get(b.input) ?? b.input, addId);
    replacedBy.set(b.end, addId);
  }
  return out;
}

/** Skip connections around every hidden block whose width allows one. */
export function residualFix(spec: NetworkSpec): Fix | null {
  const t = targetsOf(spec);
  if (!t || t.blocks.length === 0) return null;
  return {
    id: 'residual',
    label: texts.fixes.residual.label(),
    description: texts.fixes.residual.description({ blocks: t.blocks.map((b) => b.dense), skipped: t.skipped }),
    apply: (s, settings) => ({ spec: applyResidual(s), settings }),
  };
}
