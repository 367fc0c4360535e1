import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { validateNetwork } from '../../../core/network/validate.ts';
import { expectedResults, parseReferenceCase, type ReferenceCase } from '../../../core/reference/case.ts';
import { referenceCaseToNetwork, referenceParamNames } from '../../../core/reference/toNetwork.ts';

const CASES_DIR = '/work/shared/reference-cases';
const files = readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();

function load(file: string): ReferenceCase {
  const parsed = parseReferenceCase(JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.errors.join('; ')}`);
  return parsed.case;
}

const isRecurrent = (rc: ReferenceCase) => rc.layers.some((l) => l.type === 'rnn' || l.type === 'lstm' || l.type === 'gru');
const feedForward = files.filter((f) => !isRecurrent(load(f)));
const recurrent = files.filter((f) => isRecurrent(load(f)));

describe('reference cases on disk', () => {
  it('all parse, and p01-p08 are the feed-forward ones', () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
    expect(feedForward.map((f) => f.slice(0, 3))).toEqual(['p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p07', 'p08']);
  });
});

describe.each(files)('referenceCaseToNetwork(%s)', (file) => {
  const rc = load(file);
  const result = referenceCaseToNetwork(rc);
  if (!result.ok) throw new Error(result.error);
  const net = result.network;

  it('produces a spec that validateNetwork accepts', () => {
    const again = validateNetwork(JSON.parse(JSON.stringify(net.spec)));
    expect(again.ok).toBe(true);
    expect(net.spec.loss.type).toBe(rc.loss.type);
  });

  it('maps every expected parameter name to a node weight of the right size', () => {
    const expectedNames = Object.keys(rc.expected.param_grads ?? {});
    expect(Object.keys(net.params).sort()).toEqual([...expectedNames].sort());
    expect(referenceParamNames(rc.layers)).toEqual(expectedNames);
    expect(Object.keys(rc.expected.param_grad_norms ?? {}).sort()).toEqual([...expectedNames].sort());
    const nodes = new Map(net.spec.nodes.map((n) => [n.id, n]));
    for (const name of expectedNames) {
      const ref = net.params[name];
      const node = nodes.get(ref.nodeId);
      expect(node, name).toBeDefined();
      const weights = node!.weights as Record<string, number[]>;
      expect(weights[ref.weight], name).toHaveLength(rc.expected.param_grads![name].flat(4).length);
    }
  });

  it('copies the weights row-major, exactly', () => {
    rc.layers.forEach((layer, i) => {
      if (layer.type !== 'dense') return;
      const node = net.spec.nodes.find((n) => n.id === net.params[`${i}.weight`].nodeId)!;
      const w = (node.weights as Record<string, number[]>).weight;
      const rows = layer.weight as number[][];
      expect(w[1]).toBe(rows[0][1]);
      expect(w[layer.in]).toBe(rows[1][0]);
      expect(w).toEqual(rows.flat());
    });
  });

  it('names an output node for every top-level layer, the last one being the network output', () => {
    expect(net.layerOutputs).toHaveLength(rc.layers.length);
    expect(net.layerOutputs).toHaveLength(rc.expected.layer_output_grad_norms!.length);
    expect(net.layerOutputs.at(-1)).toBe(net.plan.output);
    const ids = new Set(net.spec.nodes.map((n) => n.id));
    for (const id of net.layerOutputs) expect(ids.has(id)).toBe(true);
    rc.layers.forEach((layer, i) => {
      const node = net.spec.nodes.find((n) => n.id === net.layerOutputs[i])!;
      expect(node.type).toBe(layer.type === 'residual' ? 'add' : layer.type);
    });
  });

  it('flattens the input and converts the target', () => {
    const shape = [];
    for (let v: unknown = rc.input; Array.isArray(v); v = v[0]) shape.push(v.length);
    expect(net.input.shape).toEqual(shape);
    expect(Array.from(net.input.data)).toEqual((rc.input as unknown[]).flat(2));
    const params = shape.length === 3 ? { features: shape[2], sequence_length: shape[1] } : { features: shape[1] };
    expect(net.spec.nodes[0]).toEqual({ id: 'x', type: 'input', params });
    if (rc.loss.type === 'softmax_cross_entropy') {
      expect(net.target.data).toBeInstanceOf(Int32Array);
      expect(Array.from(net.target.data)).toEqual(rc.target);
    } else {
      expect(net.target.data).toBeInstanceOf(Float32Array);
      expect(Array.from(net.target.data)).toEqual((rc.target as number[][]).flat());
    }
  });

  it('names the recurrent node of every key of timestep_hidden_grad_norms', () => {
    expect(Object.keys(net.recurrent).sort()).toEqual(Object.keys(rc.expected.timestep_hidden_grad_norms ?? {}).sort());
    for (const [index, id] of Object.entries(net.recurrent)) {
      expect(net.layerOutputs[Number(index)]).toBe(id);
      const node = net.spec.nodes.find((n) => n.id === id)!;
      expect(node.type).toBe(rc.layers[Number(index)].type);
      // The profile has one entry per timestep of the sequence the layer reads.
      const steps = rc.expected.timestep_hidden_grad_norms![index].length;
      expect(net.plan.time[net.plan.inputs[id][0]]).toBe(steps);
    }
  });

  it('maps running statistics of every batchnorm, starting from 0 and 1', () => {
    const expected = expectedResults(rc);
    expect(Object.keys(net.runningStats).sort()).toEqual(Object.keys(expected.running_stats ?? {}).sort());
    for (const ref of Object.values(net.runningStats)) {
      const node = net.spec.nodes.find((n) => n.id === ref.nodeId)!;
      const values = (node.weights as Record<string, number[]>)[ref.weight];
      expect(values.every((v) => v === (ref.weight === 'running_mean' ? 0 : 1))).toBe(true);
    }
  });
});

describe('residual blocks', () => {
  it('turn into body nodes and an add that joins the skip edge (p08)', () => {
    const result = referenceCaseToNetwork(load(files.find((f) => f.startsWith('p08'))!));
    if (!result.ok) throw new Error(result.error);
    const { spec, plan, params } = result.network;
    expect(params['2.body.0.weight']).toEqual({ nodeId: 'L2.body.0', weight: 'weight' });
    expect(spec.nodes.find((n) => n.id === 'L2')!.type).toBe('add');
    expect(plan.inputs.L2.sort()).toEqual(['L1', 'L2.body.2']);
    expect(plan.inputs['L2.body.0']).toEqual(['L1']);
  });

  it('with an empty body double the input through a linear node', () => {
    const rc = load(files.find((f) => f.startsWith('p08'))!);
    const modified: ReferenceCase = { ...rc, layers: [rc.layers[0], { type: 'residual', body: [] }, rc.layers[5]] };
    const result = referenceCaseToNetwork(modified);
    if (!result.ok) throw new Error(result.error);
    expect(result.network.plan.inputs.L1.sort()).toEqual(['L0', 'L1.body']);
  });
});

type RecurrentLayer = Extract<ReferenceCase['layers'][number], { type: 'rnn' | 'lstm' | 'gru' }>;

describe.each(recurrent)('referenceCaseToNetwork(%s) (recurrent)', (file) => {
  const rc = load(file);
  const layer = rc.layers[0] as RecurrentLayer;
  const result = referenceCaseToNetwork(rc);
  if (!result.ok) throw new Error(result.error);
  const net = result.network;
  const [batch, steps, features] = net.input.shape;

  it('reads a sequence: sequence_length T, features I, the recurrent node with its return and the dense head', () => {
    expect(net.spec.nodes[0].params).toEqual({ features: layer.input_size, sequence_length: steps });
    const node = net.spec.nodes.find((n) => n.id === 'L0')!;
    expect(node.type).toBe(layer.type);
    expect(node.params).toMatchObject({ hidden_size: layer.hidden_size, return: layer.return });
    if (layer.type === 'rnn') expect(node.params).toMatchObject({ nonlinearity: layer.nonlinearity });
    expect(net.plan.sequence).toEqual({ x: true, L0: layer.return === 'sequence', L1: layer.return === 'sequence' });
    expect(net.plan.shapes.L0).toBe(layer.hidden_size);
    expect(features).toBe(layer.input_size);
    expect(batch).toBe((rc.input as unknown[]).length);
  });

  it('copies the four recurrent tensors row-major, PyTorch layout', () => {
    const node = net.spec.nodes.find((n) => n.id === 'L0')!;
    const weights = node.weights as Record<string, number[]>;
    for (const name of ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'] as const) {
      expect(net.params[`0.${name}`]).toEqual({ nodeId: 'L0', weight: name });
      expect(weights[name]).toEqual((layer[name] as number[][]).flat());
    }
  });
});

describe('a recurrent layer that returns the whole sequence', () => {
  const rc = load(recurrent.find((f) => f.startsWith('p09'))!);
  const layer = rc.layers[0] as RecurrentLayer;
  const [B, T] = [(rc.input as unknown[]).length, ((rc.input as unknown[][])[0]).length];

  it('feeds a dense head that acts on every timestep; mse then takes [B, T, O] targets', () => {
    const target = Array.from({ length: B }, () => Array.from({ length: T }, () => [0.5, -0.5]));
    const result = referenceCaseToNetwork({ ...rc, layers: [{ ...layer, return: 'sequence' }, rc.layers[1]], target });
    if (!result.ok) throw new Error(result.error);
    const { plan, target: converted } = result.network;
    expect(plan.time).toEqual({ x: T, L0: T, L1: T });
    expect(plan.sequence.L1).toBe(true);
    expect(converted.shape).toEqual([B, T, 2]);
    expect(converted.data).toHaveLength(B * T * 2);
  });

  it('with softmax_cross_entropy takes one class index per timestep', () => {
    const labels = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => (b + t) % 2));
    const seq = { ...rc, loss: { type: 'softmax_cross_entropy' as const, reduction: 'mean' as const } };
    const ok = referenceCaseToNetwork({ ...seq, layers: [{ ...layer, return: 'sequence' }, rc.layers[1]], target: labels });
    if (!ok.ok) throw new Error(ok.error);
    expect(ok.network.target.shape).toEqual([B, T]);
    expect(ok.network.target.data).toBeInstanceOf(Int32Array);

    const bad = referenceCaseToNetwork({ ...seq, layers: [{ ...layer, return: 'sequence' }, rc.layers[1]], target: labels[0] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toContain(`target has shape [${T}]; softmax_cross_entropy takes one class index per timestep, [${B}, ${T}]`);
    }
  });
});

describe('conversion errors', () => {
  it('reports a recurrent weight of the wrong shape', () => {
    const rc = load(recurrent.find((f) => f.startsWith('p10'))!);
    const lstm = rc.layers[0] as RecurrentLayer;
    const result = referenceCaseToNetwork({ ...rc, layers: [{ ...lstm, hidden_size: 7 }, rc.layers[1]] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/layer 0 \(lstm\): weight_ih has shape \[32, 4\], expected \[28, 4\]/);
  });

  it('reports a recurrent layer given a flat input', () => {
    const rc = load(recurrent.find((f) => f.startsWith('p11'))!);
    const flat = (rc.input as number[][][]).map((row) => row[0]);
    const result = referenceCaseToNetwork({ ...rc, input: flat });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('node "L0": a gru needs a sequence input');
  });

  it('reports a weight of the wrong shape', () => {
    const rc = load(feedForward[0]);
    const dense = rc.layers[0] as Extract<ReferenceCase['layers'][number], { type: 'dense' }>;
    const broken: ReferenceCase = { ...rc, layers: [{ ...dense, in: dense.in + 1 }, ...rc.layers.slice(1)] };
    const result = referenceCaseToNetwork(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/layer 0 \(dense\): weight has shape \[8, 5\], expected \[8, 6\]/);
  });

  it('reports a class index out of range', () => {
    const rc = load(feedForward[0]);
    const result = referenceCaseToNetwork({ ...rc, target: [...(rc.target as number[]).slice(1), 99] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/target\[\d+\] is 99; class indices run from 0 to 2/);
  });
});
