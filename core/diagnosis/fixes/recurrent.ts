// Fixes for gradients fading through time: swap plain rnn nodes for gated cells
// (LSTM with forget bias 1, or GRU) of the same hidden size and return mode, or open
// an LSTM's forget gate at the start. The new cells take the standard PyTorch
// initialisation, as the LSTM and GRU templates do: the rnn's own init was chosen for
// a different cell. Ids stay, so the new run's timestep curves line up with the old.
import { PARAM_DEFAULTS, type NetworkNode, type NetworkSpec, type NodeOf } from '../../network/spec.ts';
import { texts } from '../texts.ts';
import type { Fix } from '../types.ts';
import { mapNodes, withoutWeights } from './edit.ts';

/** Forget bias the LSTM fix and the forget-bias fix set (the LSTM template's). */
export const OPEN_FORGET_BIAS = 1;

function rnnIds(spec: NetworkSpec): string[] {
  return spec.nodes.filter((n) => n.type === 'rnn').map((n) => n.id);
}

function gated(node: NodeOf<'rnn'>, cell: 'lstm' | 'gru'): NetworkNode {
  const common = {
    hidden_size: node.params.hidden_size,
    return: node.params.return,
    init: PARAM_DEFAULTS[cell].init,
    recurrent_init: PARAM_DEFAULTS[cell].recurrent_init,
    init_scale: PARAM_DEFAULTS[cell].init_scale,
  };
  return cell === 'lstm'
    ? { id: node.id, type: 'lstm', params: { ...common, forget_bias: OPEN_FORGET_BIAS } }
    : { id: node.id, type: 'gru', params: common };
}

function cellFix(spec: NetworkSpec, cell: 'lstm' | 'gru'): Fix | null {
  const nodes = rnnIds(spec);
  if (nodes.length === 0) return null;
  const words = cell === 'lstm' ? texts.fixes.lstm : texts.fixes.gru;
  return {
    id: cell,
    label: words.label(),
    description: words.description({ nodes }),
    apply: (s, settings) => ({ spec: mapNodes(s, (n) => (n.type === 'rnn' ? gated(n, cell) : n)), settings }),
  };
}

/** Every rnn becomes an LSTM (forget bias 1) with the same hidden size. */
export function lstmFix(spec: NetworkSpec): Fix | null {
  return cellFix(spec, 'lstm');
}

/** Every rnn becomes a GRU with the same hidden size. */
export function gruFix(spec: NetworkSpec): Fix | null {
  return cellFix(spec, 'gru');
}

function closedLstms(spec: NetworkSpec): string[] {
  return spec.nodes.filter((n) => n.type === 'lstm' && n.params.forget_bias < OPEN_FORGET_BIAS).map((n) => n.id);
}

/**
 * LSTMs whose forget bias is below 1 start at 1. Explicit weights (whose bias_ih
 * already holds a forget bias) are dropped so the engine draws them again.
 */
export function forgetBiasFix(spec: NetworkSpec): Fix | null {
  const nodes = closedLstms(spec);
  if (nodes.length === 0) return null;
  const open = (s: NetworkSpec) => {
    const ids = new Set(closedLstms(s));
    return mapNodes(s, (n) =>
      n.type === 'lstm' && ids.has(n.id)
        ? withoutWeights({ ...n, params: { ...n.params, forget_bias: OPEN_FORGET_BIAS } })
        : n,
    );
  };
  return {
    id: 'forget-bias',
    label: texts.fixes.forgetBias.label(),
    description: texts.fixes.forgetBias.description({ nodes }),
    apply: (s, settings) => ({ spec: open(s), settings }),
  };
}
