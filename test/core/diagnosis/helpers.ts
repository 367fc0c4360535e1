// Networks, settings and hand-made TraceColumns for the diagnosis tests. The traces
// have the layout the engine streams (node columns for every node but the input,
// param columns for every trainable tensor, both in plan order; recurrent columns
// per recurrentLayouts), with values the test chooses per layer, row and timestep.
import { buildTemplate, type TemplateId } from '../../../core/network/templates.ts';
import { NETWORK_FORMAT, nodeTensors, type InitScheme, type NetworkSpec, type NetworkSpecInput } from '../../../core/network/spec.ts';
import { validateNetwork, type NetworkPlan } from '../../../core/network/validate.ts';
import {
  allocateTraceColumns,
  recurrentLayouts,
  recurrentSpan,
  recurrentWidth,
  type TraceColumns,
} from '../../../core/traces/metrics.ts';
import { trainingSettingsSchema, type TrainingSettings, type TrainingSettingsInput } from '../../../core/training/settings.ts';

export interface Validated {
  spec: NetworkSpec;
  plan: NetworkPlan;
}

/** The parsed spec and its plan; throws with the messages when the spec is invalid. */
export function validated(input: unknown): Validated {
  const v = validateNetwork(input);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('\n'));
  return { spec: v.spec, plan: v.plan };
}

export function template(id: TemplateId, options: { depth?: number; width?: number; sequenceLength?: number } = {}): Validated {
  return validated(buildTemplate(id, options));
}

/** x -> [dense_i (init) -> act_i] * depth -> logits, ids as in the templates. */
export function mlp(act: 'sigmoid' | 'tanh' | 'relu', depth: number, init: InitScheme, initScale = 1, width = 32): Validated {
  const nodes: NetworkSpecInput['nodes'] = [{ id: 'x', type: 'input', params: { features: 2 } }];
  const edges: NetworkSpecInput['edges'] = [];
  let prev = 'x';
  for (let i = 1; i <= depth; i++) {
    nodes.push({ id: `dense${i}`, type: 'dense', params: { units: width, init, init_scale: initScale } }, { id: `${act}${i}`, type: act });
    edges.push({ from: prev, to: `dense${i}` }, { from: `dense${i}`, to: `${act}${i}` });
    prev = `${act}${i}`;
  }
  nodes.push({ id: 'logits', type: 'dense', params: { units: 2, init } });
  edges.push({ from: prev, to: 'logits' });
  return validated({ format: NETWORK_FORMAT, nodes, edges, loss: { type: 'softmax_cross_entropy' } });
}

export function settings(input: Partial<TrainingSettingsInput> = {}): TrainingSettings {
  return trainingSettingsSchema.parse({ optimizer: { type: 'sgd', lr: 0.1 }, ...input });
}

export interface SyntheticTraceOptions {
  rows: number;
  /** Training steps between traced rows. */
  traceEvery?: number;
  /**
   * ||dL/dW|| of the k-th weighted layer (dense / recurrent, plan order, 0 = nearest
   * the input, `count` of them) at `row`; also written as out_grad_norm of the layer
   * and of the nodes that follow it up to the next layer.
   */
  layerGrad: (k: number, count: number, row: number) => number;
  /** Loss at training step `step` (default: 0.7 falling slowly). */
  loss?: (step: number) => number;
  /** saturated_frac of an activation node (default 0.05 for those that record it, NaN for others). */
  saturated?: (nodeId: string, row: number) => number;
  /** ||dL/dh_t|| of a recurrent node at timestep t of T (default: flat 0.1). */
  timestep?: (nodeId: string, t: number, time: number, row: number) => number;
}

const RECORDS_SATURATION = new Set(['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'rnn']);

/** Hand-made traces for a validated network, laid out as the engine lays them out. */
export function synthTraces(net: Validated, o: SyntheticTraceOptions): TraceColumns {
  const { spec, plan } = net;
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));
  const nodeIds = plan.order.filter((id) => id !== plan.input);
  const params: { name: string; node: string }[] = [];
  for (const id of nodeIds) {
    const node = byId.get(id)!;
    const inFeatures = plan.inputs[id].length > 0 ? plan.shapes[plan.inputs[id][0]] : 0;
    for (const t of nodeTensors(node, inFeatures, plan.shapes[id])) if (t.trainable) params.push({ name: `${id}.${t.name}`, node: id });
  }
  const layouts = recurrentLayouts(spec, plan);
  const traceEvery = o.traceEvery ?? 10;
  const steps = o.rows === 0 ? 0 : (o.rows - 1) * traceEvery + 1;
  const cols = allocateTraceColumns(o.rows, nodeIds, params.map((p) => p.name), false, steps, layouts);

  // Which weighted layer (index) each node belongs to: a layer and everything after it up to the next one.
  const weighted = nodeIds.filter((id) => ['dense', 'rnn', 'lstm', 'gru'].includes(byId.get(id)!.type));
  const layerOf = new Map<string, number>();
  let current = 0;
  for (const id of nodeIds) {
    const k = weighted.indexOf(id);
    if (k >= 0) current = k;
    layerOf.set(id, current);
  }

  const loss = o.loss ?? ((s: number) => 0.7 - 0.0001 * s);
  for (let s = 0; s < steps; s++) cols.metrics.loss[s] = loss(s);
  for (let s = 0; s < steps; s++) cols.metrics.accuracy[s] = Number.NaN;
  for (let r = 0; r < o.rows; r++) {
    cols.steps[r] = r * traceEvery;
    nodeIds.forEach((id, k) => {
      const at = r * nodeIds.length + k;
      cols.metrics.out_grad_norm[at] = o.layerGrad(layerOf.get(id)!, weighted.length, r);
      cols.metrics.act_mean[at] = 0;
      cols.metrics.act_std[at] = 1;
      const type = byId.get(id)!.type;
      cols.metrics.saturated_frac[at] = RECORDS_SATURATION.has(type) ? (o.saturated?.(id, r) ?? 0.05) : Number.NaN;
    });
    params.forEach((p, k) => {
      const at = r * params.length + k;
      const g = o.layerGrad(layerOf.get(p.node)!, weighted.length, r);
      cols.metrics.grad_norm[at] = g;
      cols.metrics.param_norm[at] = 3;
      cols.metrics.grad_mean_abs[at] = g / 30;
      cols.metrics.grad_max_abs[at] = g / 3;
      cols.metrics.update_ratio[at] = 1e-3;
    });
    if (cols.recurrent) {
      const width = recurrentWidth(cols.recurrent.nodes, 'timestep');
      for (const n of cols.recurrent.nodes) {
        const { offset } = recurrentSpan(cols.recurrent.nodes, n.nodeId, 'timestep');
        for (let t = 0; t < n.time; t++) {
          cols.recurrent.metrics.timestep_grad_norm[r * width + offset + t] = o.timestep?.(n.nodeId, t, n.time, r) ?? 0.1;
        }
      }
    }
  }
  return cols;
}

/** Gradients that shrink by `factor` per layer going back from the output (0.5 at the head). */
export function decaying(factor: number): SyntheticTraceOptions['layerGrad'] {
  return (k, count) => 0.5 * factor ** (count - 1 - k);
}

/** Node ids of a spec by type. */
export function idsOfType(spec: NetworkSpec, type: string): string[] {
  return spec.nodes.filter((n) => n.type === type).map((n) => n.id);
}
