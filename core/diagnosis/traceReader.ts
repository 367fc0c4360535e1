// Reading TraceColumns by name rather than by column index: a node's metric, a
// layer's weight gradient, the whole gradient's norm, a recurrent node's curve over
// time, and a summary of the loss. Missing entities read as NaN, so a detector can
// skip what the run did not record (activation_stats off, a node added later).
import {
  metricAt,
  recurrentValues,
  type NodeMetricId,
  type ParamMetricId,
  type TraceColumns,
} from '../traces/metrics.ts';
import type { WeightedLayer } from './anatomy.ts';

export class TraceReader {
  private readonly nodeIndex: Map<string, number>;
  private readonly paramIndex: Map<string, number>;

  constructor(readonly traces: TraceColumns) {
    this.nodeIndex = new Map(traces.nodeIds.map((id, i) => [id, i]));
    this.paramIndex = new Map(traces.paramNames.map((name, i) => [name, i]));
  }

  /** Traced rows so far. */
  get rows(): number {
    return this.traces.steps.length;
  }

  /** The training step of traced row `row`. */
  stepOf(row: number): number {
    return this.traces.steps[row];
  }

  node(id: string, metric: NodeMetricId, row: number): number {
    const k = this.nodeIndex.get(id);
    return k === undefined ? Number.NaN : metricAt(this.traces, metric, row, k);
  }

  param(name: string, metric: ParamMetricId, row: number): number {
    const k = this.paramIndex.get(name);
    return k === undefined ? Number.NaN : metricAt(this.traces, metric, row, k);
  }

  /** The trace name of a layer's main weight: "<id>.weight" for dense, "<id>.weight_ih" for recurrent layers. */
  static weightName(layer: Pick<WeightedLayer, 'id' | 'type'>): string {
    return `${layer.id}.${layer.type === 'dense' ? 'weight' : 'weight_ih'}`;
  }

  /** ||dL/dW|| of a layer's main weight at `row`. */
  layerGrad(layer: Pick<WeightedLayer, 'id' | 'type'>, row: number): number {
    return this.param(TraceReader.weightName(layer), 'grad_norm', row);
  }

  /** L2 norm of the whole gradient (every traced parameter tensor) at `row`; NaN or Inf when one is. */
  totalGrad(row: number): number {
    let sum = 0;
    let seen = false;
    for (let k = 0; k < this.traces.paramNames.length; k++) {
      const g = metricAt(this.traces, 'grad_norm', row, k);
      if (Number.isNaN(g)) continue;
      sum += g * g;
      seen = true;
    }
    return seen ? Math.sqrt(sum) : Number.NaN;
  }

  /** ||dL/dh_t|| for every timestep t of recurrent node `id` at `row`, or null when it has no such traces. */
  timesteps(id: string, row: number): Float32Array | null {
    const rec = this.traces.recurrent;
    if (!rec || !rec.nodes.some((n) => n.nodeId === id) || rec.metrics.timestep_grad_norm.length === 0) return null;
    return recurrentValues(rec, 'timestep_grad_norm', id, row);
  }

  /** The loss column over the steps done so far. */
  lossSummary(): LossSummary {
    return summariseLoss(this.traces.metrics.loss);
  }
}

export interface LossSummary {
  /** Training steps with a loss. */
  steps: number;
  /** First step whose loss is NaN or infinite, -1 when none is. */
  firstNonFinite: number;
  /** The value there (NaN or +-Infinity), NaN when none. */
  nonFiniteValue: number;
  /** Mean loss of the first steps, and of the latest ones (finite values only). */
  initial: number;
  recent: number;
}

/** Steps averaged at each end of the loss curve (single batches are noisy). */
const LOSS_WINDOW = 10;

export function summariseLoss(loss: Float32Array): LossSummary {
  let firstNonFinite = -1;
  for (let s = 0; s < loss.length; s++) {
    if (!Number.isFinite(loss[s])) {
      firstNonFinite = s;
      break;
    }
  }
  const end = firstNonFinite < 0 ? loss.length : firstNonFinite;
  const window = Math.max(1, Math.min(LOSS_WINDOW, Math.floor(end / 4)));
  return {
    steps: loss.length,
    firstNonFinite,
    nonFiniteValue: firstNonFinite < 0 ? Number.NaN : loss[firstNonFinite],
    initial: mean(loss, 0, Math.min(window, end)),
    recent: mean(loss, Math.max(0, end - window), end),
  };
}

function mean(values: Float32Array, from: number, to: number): number {
  if (to <= from) return Number.NaN;
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i];
  return sum / (to - from);
}
