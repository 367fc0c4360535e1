// Turns a reference case into a NetworkSpec with explicit weights, plus the maps an
// engine test needs to line its results up with `expected`:
//   layer i            -> node "L<i>" (its output is that layer's output)
//   body layer j of i  -> node "L<i>.body.<j>"; the residual's join is the add node "L<i>"
//   param "<path>.<p>" -> { nodeId: "L<path>", weight: p }  (same names as the case)
//   recurrent layer i  -> recurrent["<i>"] = "L<i>" (the key of timestep_hidden_grad_norms)
// A recurrent case's input [B][T][I] becomes an input node with sequence_length T;
// a dense after a recurrent layer that returns the sequence acts on every timestep.
import { GATE_COUNT, type NetworkSpec, type NetworkSpecInput } from '../network/spec.ts';
import { targetLayout, validateNetwork, type NetworkPlan } from '../network/validate.ts';
import {
  flattenNumbers,
  forEachLayer,
  shapeOf,
  type NestedNumbers,
  type ReferenceCase,
  type ReferenceLayer,
  type ReferenceLayerType,
} from './case.ts';

/** A tensor of the network: the node that holds it and its key in that node's `weights`. */
export interface WeightRef {
  nodeId: string;
  weight: string;
}

export interface ReferenceNetwork {
  /** Parsed and validated, defaults filled in. */
  spec: NetworkSpec;
  plan: NetworkPlan;
  /** For each top-level layer i, the node whose output is that layer's output. */
  layerOutputs: string[];
  /** Every parameter name of the case ("0.weight", "2.body.0.bias", "0.weight_hh") -> where it lives. */
  params: Record<string, WeightRef>;
  /**
   * Top-level recurrent layers: the case's layer index (as a string, the key of
   * expected.timestep_hidden_grad_norms) -> the id of the rnn / lstm / gru node.
   * Empty for a feed-forward case.
   */
  recurrent: Record<string, string>;
  /** "running_mean.<layer path>" / "running_var.<layer path>" of each batchnorm -> where it lives. */
  runningStats: Record<string, WeightRef>;
  /** The input batch, flattened row-major, with its shape ([B, F], or [B, T, F] for a sequence). */
  input: { data: Float32Array; shape: number[] };
  /**
   * softmax_cross_entropy: class indices, [B] (or [B, T] when the output is a
   * sequence); mse and bce_with_logits: values shaped like the output, [B, O] or [B, T, O].
   * Flattened row-major.
   */
  target: { data: Int32Array | Float32Array; shape: number[] };
}

export type ToNetworkResult = { ok: true; network: ReferenceNetwork } | { ok: false; error: string };

/** Parameter names of each layer type, as used in the case and in the node's `weights`. */
export const REFERENCE_PARAM_NAMES: Partial<Record<ReferenceLayerType, readonly string[]>> = {
  dense: ['weight', 'bias'],
  batchnorm: ['gamma', 'beta'],
  layernorm: ['gamma', 'beta'],
  rnn: ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'],
  lstm: ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'],
  gru: ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'],
};

class ConversionError extends Error {}

type SpecNode = NetworkSpecInput['nodes'][number];

class Builder {
  readonly nodes: SpecNode[] = [];
  readonly edges: { from: string; to: string }[] = [];
  readonly params: Record<string, WeightRef> = {};
  readonly runningStats: Record<string, WeightRef> = {};
  readonly recurrent: Record<string, string> = {};

  private connect(from: string, to: string): void {
    this.edges.push({ from, to });
  }

  private param(path: string, nodeId: string, name: string): void {
    this.params[`${path}.${name}`] = { nodeId, weight: name };
  }

  /** Adds `layer` (at `path`, e.g. "3" or "2.body.1") after node `prev`; returns its output node id. */
  addLayer(layer: ReferenceLayer, path: string, prev: string): string {
    const id = `L${path}`;
    switch (layer.type) {
      case 'dense': {
        expectShape(layer.weight, [layer.out, layer.in], `layer ${path} (dense): weight`);
        if (layer.bias) expectShape(layer.bias, [layer.out], `layer ${path} (dense): bias`);
        const weights: Record<string, number[]> = { weight: flattenNumbers(layer.weight) };
        if (layer.bias) weights.bias = flattenNumbers(layer.bias);
        const params = { units: layer.out, in_features: layer.in, bias: layer.bias !== undefined };
        this.nodes.push({ id, type: 'dense', params, weights });
        this.param(path, id, 'weight');
        if (layer.bias) this.param(path, id, 'bias');
        break;
      }
      case 'sigmoid':
      case 'tanh':
      case 'relu':
      case 'gelu':
      case 'softplus':
      case 'linear':
        this.nodes.push({ id, type: layer.type });
        break;
      case 'leaky_relu':
        this.nodes.push({ id, type: 'leaky_relu', params: { slope: layer.slope } });
        break;
      case 'elu':
        this.nodes.push({ id, type: 'elu', params: { alpha: layer.alpha } });
        break;
      case 'batchnorm': {
        expectShape(layer.gamma, [layer.features], `layer ${path} (batchnorm): gamma`);
        expectShape(layer.beta, [layer.features], `layer ${path} (batchnorm): beta`);
        // Running statistics start at 0 / 1, as in a freshly built torch.nn.BatchNorm1d.
        const weights = {
          gamma: flattenNumbers(layer.gamma),
          beta: flattenNumbers(layer.beta),
          running_mean: new Array<number>(layer.features).fill(0),
          running_var: new Array<number>(layer.features).fill(1),
        };
        this.nodes.push({ id, type: 'batchnorm', params: { eps: layer.eps, momentum: layer.momentum }, weights });
        this.param(path, id, 'gamma');
        this.param(path, id, 'beta');
        this.runningStats[`running_mean.${path}`] = { nodeId: id, weight: 'running_mean' };
        this.runningStats[`running_var.${path}`] = { nodeId: id, weight: 'running_var' };
        break;
      }
      case 'layernorm': {
        expectShape(layer.gamma, [layer.features], `layer ${path} (layernorm): gamma`);
        expectShape(layer.beta, [layer.features], `layer ${path} (layernorm): beta`);
        const weights = { gamma: flattenNumbers(layer.gamma), beta: flattenNumbers(layer.beta) };
        this.nodes.push({ id, type: 'layernorm', params: { eps: layer.eps }, weights });
        this.param(path, id, 'gamma');
        this.param(path, id, 'beta');
        break;
      }
      case 'residual': {
        // y = x + body(x): the body hangs off `prev`, and the add joins it with the skip edge.
        let bodyOut = prev;
        layer.body.forEach((inner, j) => {
          bodyOut = this.addLayer(inner, `${path}.body.${j}`, bodyOut);
        });
        if (layer.body.length === 0) {
          // An empty body is the identity: y = 2x. A linear node keeps the two edges distinct.
          bodyOut = `${id}.body`;
          this.nodes.push({ id: bodyOut, type: 'linear' });
          this.connect(prev, bodyOut);
        }
        this.nodes.push({ id, type: 'add' });
        this.connect(bodyOut, id);
        this.connect(prev, id);
        return id;
      }
      case 'rnn':
      case 'lstm':
      case 'gru': {
        const rows = GATE_COUNT[layer.type] * layer.hidden_size;
        const what = `layer ${path} (${layer.type})`;
        expectShape(layer.weight_ih, [rows, layer.input_size], `${what}: weight_ih`);
        expectShape(layer.weight_hh, [rows, layer.hidden_size], `${what}: weight_hh`);
        expectShape(layer.bias_ih, [rows], `${what}: bias_ih`);
        expectShape(layer.bias_hh, [rows], `${what}: bias_hh`);
        const weights = {
          weight_ih: flattenNumbers(layer.weight_ih),
          weight_hh: flattenNumbers(layer.weight_hh),
          bias_ih: flattenNumbers(layer.bias_ih),
          bias_hh: flattenNumbers(layer.bias_hh),
        };
        const params = { hidden_size: layer.hidden_size, return: layer.return };
        if (layer.type === 'rnn') {
          this.nodes.push({ id, type: 'rnn', params: { ...params, nonlinearity: layer.nonlinearity }, weights });
        } else {
          this.nodes.push({ id, type: layer.type, params, weights });
        }
        for (const name of Object.keys(weights)) this.param(path, id, name);
        if (!path.includes('.')) this.recurrent[path] = id;
        break;
      }
      default: {
        const unknown: never = layer;
        throw new ConversionError(`layer ${path}: unsupported type ${JSON.stringify((unknown as { type: unknown }).type)}`);
      }
    }
    this.connect(prev, id);
    return id;
  }
}

function expectShape(values: NestedNumbers, want: number[], what: string): void {
  const got = shapeOf(values);
  if (got === null) throw new ConversionError(`${what} is ragged or holds something other than numbers`);
  if (got.length !== want.length || got.some((d, k) => d !== want[k])) {
    throw new ConversionError(`${what} has shape [${got.join(', ')}], expected [${want.join(', ')}]`);
  }
}

/**
 * Converts a reference case (feed-forward or recurrent) into a validated network
 * with explicit weights, its input and target tensors, and the name maps described
 * above. A case that does not fit gives `{ ok: false, error }` naming the layer or
 * the field.
 */
export function referenceCaseToNetwork(rc: ReferenceCase): ToNetworkResult {
  try {
    return { ok: true, network: convert(rc) };
  } catch (err) {
    if (err instanceof ConversionError) return { ok: false, error: `${rc.name}: ${err.message}` };
    throw err;
  }
}

function convert(rc: ReferenceCase): ReferenceNetwork {
  const inputShape = shapeOf(rc.input);
  if (inputShape === null) throw new ConversionError('input is ragged or holds something other than numbers');
  if ((inputShape.length !== 2 && inputShape.length !== 3) || inputShape.some((d) => d < 1)) {
    throw new ConversionError(
      `input has shape [${inputShape.join(', ')}]; a network takes [batch][features] or, recurrent, [batch][time][features]`,
    );
  }
  // [B][F], or a sequence [B][T][F].
  const features = inputShape[inputShape.length - 1];
  const sequenceLength = inputShape.length === 3 ? inputShape[1] : undefined;

  const b = new Builder();
  b.nodes.push({
    id: 'x',
    type: 'input',
    params: sequenceLength === undefined ? { features } : { features, sequence_length: sequenceLength },
  });
  let prev = 'x';
  const layerOutputs = rc.layers.map((layer, i) => (prev = b.addLayer(layer, String(i), prev)));

  const spec: NetworkSpecInput = {
    format: 'vglab-network/1',
    name: rc.name,
    nodes: b.nodes,
    edges: b.edges,
    loss: { type: rc.loss.type },
  };
  const checked = validateNetwork(spec);
  if (!checked.ok) {
    throw new ConversionError(`the converted network is invalid: ${checked.errors.map((e) => e.message).join('; ')}`);
  }

  return {
    spec: checked.spec,
    plan: checked.plan,
    layerOutputs,
    params: b.params,
    runningStats: b.runningStats,
    recurrent: b.recurrent,
    input: { data: Float32Array.from(flattenNumbers(rc.input)), shape: inputShape },
    target: convertTarget(rc, inputShape[0], checked.plan),
  };
}

function convertTarget(rc: ReferenceCase, batch: number, plan: NetworkPlan): ReferenceNetwork['target'] {
  const shape = shapeOf(rc.target);
  if (shape === null) throw new ConversionError('target is ragged or holds something other than numbers');
  const values = flattenNumbers(rc.target);
  const layout = targetLayout(plan, rc.loss.type);
  const want = [batch, ...layout.shape];
  if (shape.length !== want.length || shape.some((d, k) => d !== want[k])) {
    const what =
      layout.kind === 'labels'
        ? `softmax_cross_entropy takes one class index per ${layout.shape.length > 0 ? 'timestep' : 'sample'}`
        : `${rc.loss.type} needs the output's shape`;
    throw new ConversionError(`target has shape [${shape.join(', ')}]; ${what}, [${want.join(', ')}]`);
  }
  if (layout.kind === 'labels') {
    const classes = plan.shapes[plan.output];
    const bad = values.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= classes);
    if (bad >= 0) throw new ConversionError(`target[${bad}] is ${values[bad]}; class indices run from 0 to ${classes - 1}`);
    return { data: Int32Array.from(values), shape };
  }
  return { data: Float32Array.from(values), shape };
}

/** Every parameter name the case's layers define, in layer order ("0.weight", "2.body.0.bias", ...). */
export function referenceParamNames(layers: readonly ReferenceLayer[]): string[] {
  const names: string[] = [];
  forEachLayer(layers, (layer, path) => {
    for (const p of REFERENCE_PARAM_NAMES[layer.type] ?? []) {
      if (layer.type === 'dense' && p === 'bias' && !layer.bias) continue;
      names.push(`${path}.${p}`);
    }
  });
  return names;
}
