// pytorchSource as a specification: every node type becomes valid Python, hostile
// names and ids cannot break out of a string or a comment, the embedded weights
// decode to the very same float32 bits, and (where python3-torch is installed) the
// module reproduces PyTorch's own float64 results of every reference case.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { IdentifierTable, base64Lines, float32LittleEndian, pyComment, pyFloat, pyString } from '../../../core/export/pythonText.ts';
import { PytorchExportError, datasetNotes, pytorchSource } from '../../../core/export/pytorch.ts';
import { NODE_TYPE_LIST, networkSpecSchema, type NetworkSpec, type NetworkSpecInput } from '../../../core/network/spec.ts';
import { flattenNumbers, parseReferenceCase } from '../../../core/reference/case.ts';
import { referenceCaseToNetwork } from '../../../core/reference/toNetwork.ts';
import { TORCH_MISSING_NOTE, TORCH_PYTHON, maxRelativeError, pythonConstant, pythonSyntaxError, runInTorch } from './python.ts';

const CASES_DIR = '/work/shared/reference-cases';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-pytorch-'));
  if (!TORCH_PYTHON) console.warn(TORCH_MISSING_NOTE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** Small values (-0.03 to 0.03) for the tensors `names` of sizes `sizes`. */
function someWeights(names: string[], sizes: number[]): Record<string, Float32Array> {
  return Object.fromEntries(names.map((n, k) => [n, Float32Array.from({ length: sizes[k] }, (_, i) => ((i % 7) - 3) * 0.01)]));
}

/**
 * Every node type in one network: a sequence input, per-timestep layers, an rnn that
 * returns the sequence, an lstm that returns it too, a gru that returns the last step,
 * then a feed-forward tail with a skip connection.
 */
const EVERY_TYPE: NetworkSpecInput = {
  format: 'vglab-network/1',
  name: 'every node type',
  nodes: [
    { id: 'in', type: 'input', params: { features: 3, sequence_length: 4 } },
    { id: 'd1', type: 'dense', params: { units: 6 } },
    { id: 'bn1', type: 'batchnorm', params: { eps: 1e-3, momentum: 0.2 } },
    { id: 'sg', type: 'sigmoid' },
    { id: 'rnn1', type: 'rnn', params: { hidden_size: 5, return: 'sequence', nonlinearity: 'relu' } },
    { id: 'ln1', type: 'layernorm', params: { eps: 1e-4 } },
    { id: 'lstm1', type: 'lstm', params: { hidden_size: 5, return: 'sequence' } },
    { id: 'gru1', type: 'gru', params: { hidden_size: 4 } },
    { id: 'd2', type: 'dense', params: { units: 4, bias: false } },
    { id: 'th', type: 'tanh' },
    { id: 'lr', type: 'leaky_relu', params: { slope: 0.2 } },
    { id: 'el', type: 'elu', params: { alpha: 0.5 } },
    { id: 'ge', type: 'gelu' },
    { id: 'sp', type: 'softplus' },
    { id: 'li', type: 'linear' },
    { id: 're', type: 'relu' },
    { id: 'dr', type: 'dropout', params: { p: 0.25 } },
    { id: 'skip', type: 'add' },
    { id: 'out', type: 'dense', params: { units: 3 } },
  ],
  edges: [
    { from: 'in', to: 'd1' },
    { from: 'd1', to: 'bn1' },
    { from: 'bn1', to: 'sg' },
    { from: 'sg', to: 'rnn1' },
    { from: 'rnn1', to: 'ln1' },
    { from: 'ln1', to: 'lstm1' },
    { from: 'lstm1', to: 'gru1' },
    { from: 'gru1', to: 'd2' },
    { from: 'd2', to: 'th' },
    { from: 'th', to: 'lr' },
    { from: 'lr', to: 'el' },
    { from: 'el', to: 'ge' },
    { from: 'ge', to: 'sp' },
    { from: 'sp', to: 'li' },
    { from: 'li', to: 're' },
    { from: 're', to: 'dr' },
    { from: 'dr', to: 'skip' },
    { from: 'gru1', to: 'skip' },
    { from: 'skip', to: 'out' },
  ],
  loss: { type: 'softmax_cross_entropy' },
};

const EVERY_TENSOR: [string, number][] = [
  ['d1.weight', 18],
  ['d1.bias', 6],
  ['bn1.gamma', 6],
  ['bn1.beta', 6],
  ['bn1.running_mean', 6],
  ['bn1.running_var', 6],
  ['rnn1.weight_ih', 30],
  ['rnn1.weight_hh', 25],
  ['rnn1.bias_ih', 5],
  ['rnn1.bias_hh', 5],
  ['ln1.gamma', 5],
  ['ln1.beta', 5],
  ['lstm1.weight_ih', 100],
  ['lstm1.weight_hh', 100],
  ['lstm1.bias_ih', 20],
  ['lstm1.bias_hh', 20],
  ['gru1.weight_ih', 60],
  ['gru1.weight_hh', 48],
  ['gru1.bias_ih', 12],
  ['gru1.bias_hh', 12],
  ['d2.weight', 16],
  ['out.weight', 12],
  ['out.bias', 3],
];

function everyTypeExport(): { spec: NetworkSpec; weights: Record<string, Float32Array>; source: string } {
  const spec = networkSpecSchema.parse(EVERY_TYPE);
  const weights = someWeights(EVERY_TENSOR.map(([n]) => n), EVERY_TENSOR.map(([, k]) => k));
  weights['bn1.running_var'] = Float32Array.from([0.5, 1, 1.5, 2, 2.5, 3]);
  return { spec, weights, source: pytorchSource(spec, weights) };
}

describe('pytorchSource', () => {
  it('writes valid Python for a network that uses every node type', () => {
    const { source } = everyTypeExport();
    const used = new Set(EVERY_TYPE.nodes.map((n) => n.type));
    expect([...NODE_TYPE_LIST].filter((t) => !used.has(t))).toEqual([]);
    expect(pythonSyntaxError(write('every.py', source))).toBe('');
    for (const line of [
      'self.d1 = nn.Linear(3, 6)',
      'self.bn1 = nn.BatchNorm1d(6, eps=0.001, momentum=0.2)',
      "self.rnn1 = nn.RNN(6, 5, nonlinearity='relu', batch_first=True)",
      'self.ln1 = nn.LayerNorm(5, eps=0.0001)',
      'self.lstm1 = nn.LSTM(5, 5, batch_first=True)',
      'self.gru1 = nn.GRU(5, 4, batch_first=True)',
      'self.d2 = nn.Linear(4, 4, bias=False)',
      'self.lr = nn.LeakyReLU(negative_slope=0.2)',
      'self.el = nn.ELU(alpha=0.5)',
      'self.ge = nn.GELU()',
      'self.sp = nn.Softplus()',
      'self.li = nn.Identity()',
      'self.dr = nn.Dropout(p=0.25)',
      // Batch norm on a sequence: statistics over batch and time, as the engine takes them.
      'y_bn1 = self.bn1(y_d1.reshape(-1, 6)).reshape(y_d1.shape)',
      'y_lstm1 = self.lstm1(y_ln1)[0]',
      'y_gru1 = self.gru1(y_lstm1)[0][:, -1, :]',
      'y_skip = y_dr + y_gru1',
      'return y_out',
      'LOSS = nn.CrossEntropyLoss()',
      'PARAMETER_COUNT = 514',
      'SEQUENCE_LENGTH = 4',
    ]) {
      expect(source).toContain(line);
    }
  });

  it('embeds every tensor, running statistics included, as base64 of its exact little-endian float32 bytes', () => {
    const { weights, source } = everyTypeExport();
    const file = write('weights.py', source);
    const table = pythonConstant(file, 'WEIGHTS') as Record<string, [string, string, number[], string]>;
    expect(Object.keys(table)).toEqual(EVERY_TENSOR.map(([n]) => n));
    expect(table['bn1.gamma'].slice(0, 3)).toEqual(['bn1', 'weight', [6]]);
    expect(table['bn1.running_var'].slice(0, 3)).toEqual(['bn1', 'running_var', [6]]);
    expect(table['lstm1.weight_hh'].slice(0, 3)).toEqual(['lstm1', 'weight_hh_l0', [20, 5]]);
    for (const [name, [, , , text]] of Object.entries(table)) {
      const decoded = Buffer.from(text.replace(/\s/g, ''), 'base64');
      expect(decoded.equals(Buffer.from(float32LittleEndian(weights[name])))).toBe(true);
    }
  });

  it('keeps hostile names and ids inside strings and comments: printable ASCII, and the title reads back exactly', () => {
    const hostile = "x'''\"\"\"\\\n# import os; os.system('rm -rf /')\r\u2028\u0000\u{1F600}\ud800 end";
    const spec = networkSpecSchema.parse({
      format: 'vglab-network/1',
      name: hostile,
      nodes: [
        { id: '1.in', type: 'input', params: { features: 2 } },
        { id: 'a.b', type: 'dense', params: { units: 2 } },
        { id: 'a-b', type: 'relu' },
        { id: 'a_b', type: 'tanh' },
        { id: 'forward', type: 'sigmoid' },
        { id: 'eval', type: 'linear' },
        { id: 'class', type: 'gelu' },
        { id: '_modules', type: 'elu' },
        { id: 'torch', type: 'softplus' },
        { id: 'x', type: 'dense', params: { units: 2 } },
      ],
      edges: [
        { from: '1.in', to: 'a.b' },
        { from: 'a.b', to: 'a-b' },
        { from: 'a-b', to: 'a_b' },
        { from: 'a_b', to: 'forward' },
        { from: 'forward', to: 'eval' },
        { from: 'eval', to: 'class' },
        { from: 'class', to: '_modules' },
        { from: '_modules', to: 'torch' },
        { from: 'torch', to: 'x' },
      ],
      loss: { type: 'softmax_cross_entropy' },
    });
    const weights = {
      'a.b.weight': new Float32Array(4),
      'a.b.bias': new Float32Array(2),
      'x.weight': new Float32Array(4),
      'x.bias': new Float32Array(2),
    };
    const source = pytorchSource(spec, weights, { title: hostile, notes: [hostile, 'plain note'] });
    expect(source).toMatch(/^[\x20-\x7e\n]*$/);
    const file = write('hostile.py', source);
    expect(pythonSyntaxError(file)).toBe('');
    // JSON cannot carry the lone surrogate; everything else must come back as it went in.
    expect(pythonConstant(file, 'TITLE')).toBe(JSON.parse(JSON.stringify(hostile)));
    // Distinct, safe attributes: no clash with nn.Module's methods, keywords or one another.
    for (const line of [
      'self.a_b = nn.Linear(2, 2)',
      'self.a_b_2 = nn.ReLU()',
      'self.a_b_3 = nn.Tanh()',
      'self.forward_ = nn.Sigmoid()',
      'self.eval_ = nn.Identity()',
      'self.class_ = nn.GELU()',
      'self.layer__modules = nn.ELU(alpha=1.0)',
      'self.torch = nn.Softplus()',
      'y_x = self.x(y_torch)',
      'y_layer_1_in = x',
    ]) {
      expect(source).toContain(line);
    }
    // The name's line breaks stay escaped in the comments: they did not start a statement.
    expect(source).not.toMatch(/^import os/m);
    expect(source).toContain('# plain note\n');
  });

  it('names the tensor that is missing or of the wrong size', () => {
    const { spec, weights } = everyTypeExport();
    const { ['gru1.weight_hh']: _dropped, ...without } = weights;
    void _dropped;
    expect(() => pytorchSource(spec, without)).toThrow(new PytorchExportError('the weights hold no gru1.weight_hh'));
    const short = { ...weights, 'd1.bias': new Float32Array(5) };
    expect(() => pytorchSource(spec, short)).toThrow(/d1\.bias holds 5 values; its shape \(6\) needs 6/);
    const unchecked = { ...spec, edges: spec.edges.slice(1) };
    expect(() => pytorchSource(unchecked, weights)).toThrow(/does not validate/);
  });

  it('leaves batch norm running statistics that are given nowhere at their initial values (PyTorch\'s are ours)', () => {
    const { spec, weights } = everyTypeExport();
    const { ['bn1.running_mean']: _m, ['bn1.running_var']: _v, ...trainable } = weights;
    void _m;
    void _v;
    const source = pytorchSource(spec, trainable);
    expect(source).not.toContain("'bn1.running_mean'");
    expect(pythonSyntaxError(write('fresh-stats.py', source))).toBe('');
  });

  it('adds the run\'s optimiser when given its settings', () => {
    const { spec, weights } = everyTypeExport();
    const base = { batch_size: 16, steps: 10, trace_every: 1, seed: 0, histogram: true, activation_stats: true, test_fraction: 0 };
    const opt = { momentum: 0.9, nesterov: true, beta1: 0.8, beta2: 0.99, eps: 1e-7, weight_decay: 0.001 };
    const adam = pytorchSource(spec, weights, { settings: { ...base, clip_norm: 1, optimizer: { ...opt, type: 'adam', lr: 0.01 } } });
    expect(adam).toContain('torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.99), eps=1e-7, weight_decay=0.001)');
    expect(adam).toContain('CLIP_NORM = 1.0');
    expect(adam).toContain('BATCH_SIZE = 16');
    const momentum = pytorchSource(spec, weights, { settings: { ...base, optimizer: { ...opt, type: 'momentum', lr: 0.1 } } });
    expect(momentum).toContain('torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.001)');
    expect(momentum).toContain('CLIP_NORM = None');
    expect(pythonSyntaxError(write('adam.py', adam))).toBe('');
  });
});

describe('Python text helpers', () => {
  it('base64Lines agrees with Node\'s base64 at every padding length, in lines of 76', () => {
    for (const n of [0, 1, 2, 3, 4, 56, 57, 58, 59, 114, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      const text = base64Lines(bytes);
      expect(text.replace(/\n/g, '')).toBe(Buffer.from(bytes).toString('base64'));
      expect(text.split('\n').every((l) => l.length <= 76)).toBe(true);
    }
  });

  it('float32LittleEndian keeps every bit, signed zero and subnormals included', () => {
    const values = Float32Array.from([0, -0, 1.5, -2.25e-40, 3.4028234663852886e38, Math.fround(0.1)]);
    const bytes = float32LittleEndian(values);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    values.forEach((v, i) => expect(Object.is(view.getFloat32(i * 4, true), v)).toBe(true));
  });

  it('datasetNotes says what the run trained on, and asks for the CSV standardisation', () => {
    expect(datasetNotes({ name: 'spiral', options: { n: 300 } })).toEqual([
      'Trained on the built-in "spiral" data set with options {"n":300}; its rows go into the network as they are.',
    ]);
    const csv = datasetNotes({ csv: { fileName: 'data.csv', standardize: true } });
    expect(csv[0]).toBe('Trained on the CSV file "data.csv".');
    expect(csv.join(' ')).toMatch(/standardised .* scale x the same way/);
  });

  it('pyComment keeps printable ASCII and escapes the rest, line breaks above all', () => {
    expect(pyComment('a "b" \\ c')).toBe('a "b" \\ c');
    expect(pyComment('x\ny\r\u2028z')).toBe('x\\x0ay\\x0d\\u2028z');
  });

  it('pyString and pyFloat write Python literals', () => {
    expect(pyString("it's \\ \n é")).toBe("'it\\'s \\\\ \\x0a \\xe9'");
    expect(pyString('\u2028\u{1F600}')).toBe("'\\u2028\\U0001f600'");
    expect(pyFloat(1)).toBe('1.0');
    expect(pyFloat(1e-5)).toBe('0.00001');
    expect(pyFloat(1e-7)).toBe('1e-7');
    expect(() => pyFloat(Number.NaN)).toThrow(RangeError);
  });

  it('IdentifierTable gives each name one identifier, distinct from every other', () => {
    const t = new IdentifierTable();
    expect(t.of('a.b')).toBe('a_b');
    expect(t.of('a-b')).toBe('a_b_2');
    expect(t.of('a.b')).toBe('a_b');
    expect(t.of('a_b_2')).toBe('a_b_2_2');
    expect(t.of('9')).toBe('layer_9');
    expect(t.of('train')).toBe('train_');
    expect(t.of('None')).toBe('None_');
  });
});

// ---- against PyTorch itself ------------------------------------------------------------------

const caseFiles = readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort();

const TORCH_TITLE = TORCH_PYTHON ? 'the exported module in PyTorch' : `the exported module in PyTorch (skipped: ${TORCH_MISSING_NOTE})`;

describe.skipIf(!TORCH_PYTHON)(TORCH_TITLE, () => {
  it.each(caseFiles)('reproduces the float64 output and loss of reference case %s', (file) => {
    const parsed = parseReferenceCase(JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const converted = referenceCaseToNetwork(parsed.case);
    if (!converted.ok) throw new Error(converted.error);
    const net = converted.network;
    const path = write(`${file}.py`, pytorchSource(net.spec, {}));
    // The cases were computed in training mode (batch statistics); none has dropout.
    const got = runInTorch(path, dir, net.input.data, net.input.shape, 'train', net.target.data);
    const { output, loss } = parsed.case.expected;
    if (output === undefined || loss === undefined) throw new Error(`${file} holds no expected output and loss`);
    const outputError = maxRelativeError(got.output, flattenNumbers(output), 1e-3);
    const lossError = Math.abs(got.loss! - loss) / Math.abs(loss);
    console.log(`${file}: output within ${outputError.toExponential(1)} relative, loss ${lossError.toExponential(1)}`);
    expect(outputError).toBeLessThan(1e-4);
    expect(lossError).toBeLessThan(1e-4);
    expect(got.parameters).toBe(net.plan.parameterCount);
  });

  it('runs the every-node-type network in eval mode and counts the lab\'s parameters', () => {
    const { source } = everyTypeExport();
    const x = Float32Array.from({ length: 2 * 12 }, (_, i) => Math.sin(i));
    const got = runInTorch(write('every-run.py', source), dir, x, [2, 12], 'eval', Int32Array.from([0, 2]));
    expect(got.shape).toEqual([2, 3]);
    expect(got.parameters).toBe(514);
    expect(Number.isFinite(got.loss)).toBe(true);
  });
});
