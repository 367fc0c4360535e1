import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { validateNetwork } from '../../../core/network/validate.ts';
import { expectedResults, parseReferenceCase, type ReferenceCase } from '../../../core/reference/case.ts';
import { RECURRENT_NOT_YET, referenceCaseToNetwork, referenceParamNames } from '../../../core/reference/toNetwork.ts';

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

describe.each(feedForward)('referenceCaseToNetwork(%s)', (file) => {
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
    const input = rc.input as number[][];
    expect(net.input.shape).toEqual([input.length, input[0].length]);
    expect(Array.from(net.input.data)).toEqual(input.flat());
    expect(net.spec.nodes[0]).toMatchObject({ type: 'input', params: { features: input[0].length } });
    if (rc.loss.type === 'softmax_cross_entropy') {
      expect(net.target.data).toBeInstanceOf(Int32Array);
      expect(Array.from(net.target.data)).toEqual(rc.target);
    } else {
      expect(net.target.data).toBeInstanceOf(Float32Array);
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

describe.each(recurrent)('referenceCaseToNetwork(%s) (recurrent)', (file) => {
  it('says recurrent layers arrive with the recurrent engine', () => {
    const result = referenceCaseToNetwork(load(file));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(RECURRENT_NOT_YET);
    expect(RECURRENT_NOT_YET).toBe('recurrent layers arrive with the recurrent engine');
  });
});

describe('conversion errors', () => {
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
