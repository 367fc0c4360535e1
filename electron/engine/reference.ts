/**
 * Evaluates a PyTorch reference case (shared/reference-cases/FORMAT.md) with our
 * engine: one forward and backward pass in training mode, the results gathered under
 * the same keys as the case's `expected` object.
 */
import {
  expectedResults,
  parseReferenceCase,
  shapeOf,
  type NestedNumbers,
  type NumericArray,
  type ReferenceCase,
  type ResultValues,
} from '../../core/reference/case.ts';
import { compareWithExpected, type Comparison } from '../../core/reference/tolerance.ts';
import { referenceCaseToNetwork } from '../../core/reference/toNetwork.ts';
import { loadAddon } from './addon.ts';

/** Thrown for a case the engine cannot take (bad file, unsupported layer); the message says why. */
export class ReferenceInputError extends Error {}

/** Nests a flat array into `shape` (row-major), as JSON shows the case's arrays. */
function reshape(flat: ArrayLike<number>, shape: number[]): NestedNumbers {
  let offset = 0;
  const build = (depth: number): NestedNumbers => {
    if (depth === shape.length) return flat[offset++];
    const out: NestedNumbers[] = [];
    for (let i = 0; i < shape[depth]; i++) out.push(build(depth + 1));
    return out;
  };
  return build(0);
}

function shaped(flat: ArrayLike<number>, like: NumericArray | undefined): NumericArray {
  const shape = like === undefined ? null : shapeOf(like as NestedNumbers);
  return shape ? (reshape(flat, shape) as NumericArray) : Array.from(flat);
}

export function parseCase(json: unknown): ReferenceCase {
  const parsed = parseReferenceCase(json);
  if (!parsed.ok) throw new ReferenceInputError(`not a valid reference case: ${parsed.errors.join('; ')}`);
  return parsed.case;
}

/**
 * Our engine's results for `rc`: every key of `expected`, plus the batch norm
 * running statistics under "running_mean.<path>" / "running_var.<path>".
 */
export function evaluateReferenceCase(rc: ReferenceCase): ResultValues {
  const converted = referenceCaseToNetwork(rc);
  if (!converted.ok) throw new ReferenceInputError(converted.error);
  const ref = converted.network;
  const { Network } = loadAddon();
  const net = new Network(ref.spec);
  const info = net.info();
  const rows = ref.input.shape[0];
  const targets =
    ref.target.data instanceof Int32Array ? { labels: ref.target.data } : { targets: ref.target.data as Float32Array };
  const e = net.evaluate(ref.input.data, rows, targets, true);

  const nodeIndex = new Map(info.nodes.map((n, i) => [n.id, i]));
  const paramIndex = new Map(info.params.map((p, i) => [p.name, i]));
  const exp = rc.expected;
  const out: ResultValues = {};
  if (exp.output !== undefined) out.output = shaped(e.output, exp.output);
  if (exp.loss !== undefined) out.loss = e.loss;
  if (exp.input_grad !== undefined) out.input_grad = shaped(e.inputGrad, exp.input_grad);
  if (exp.param_grads !== undefined) {
    out.param_grads = {};
    for (const name of Object.keys(exp.param_grads)) {
      const at = ref.params[name];
      const grad = at && e.paramGrads[`${at.nodeId}.${at.weight}`];
      if (!grad) throw new ReferenceInputError(`the case names a parameter "${name}" the network does not have`);
      out.param_grads[name] = shaped(grad, exp.param_grads[name]);
    }
  }
  if (exp.param_grad_norms !== undefined) {
    out.param_grad_norms = {};
    for (const name of Object.keys(exp.param_grad_norms)) {
      const at = ref.params[name];
      const index = at ? paramIndex.get(`${at.nodeId}.${at.weight}`) : undefined;
      if (index === undefined) throw new ReferenceInputError(`the case names a parameter "${name}" the network does not have`);
      out.param_grad_norms[name] = e.paramGradNorms[index];
    }
  }
  if (exp.layer_output_grad_norms !== undefined) {
    out.layer_output_grad_norms = ref.layerOutputs.map((id) => e.nodeGradNorms[nodeIndex.get(id)!]);
  }
  if (exp.timestep_hidden_grad_norms !== undefined) {
    out.timestep_hidden_grad_norms = {};
    for (const [layer, nodeId] of Object.entries(ref.recurrent)) {
      const norms = e.timestepGradNorms[nodeId];
      if (!norms) throw new ReferenceInputError(`layer ${layer} ("${nodeId}") has no per-timestep gradients`);
      out.timestep_hidden_grad_norms[layer] = Array.from(norms);
    }
  }
  const stats = Object.entries(ref.runningStats);
  if (stats.length > 0) {
    const params = net.getParams();
    out.running_stats = {};
    for (const [label, at] of stats) out.running_stats[label] = Array.from(params[`${at.nodeId}.${at.weight}`]);
  }
  return out;
}

/** Evaluates `rc` and checks the results against its expected values under its tolerance. */
export function checkReferenceCase(rc: ReferenceCase): { actual: ResultValues; comparison: Comparison } {
  const actual = evaluateReferenceCase(rc);
  return { actual, comparison: compareWithExpected(rc.tolerance, expectedResults(rc), actual) };
}
