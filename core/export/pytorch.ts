// A network and its weights as a self-contained PyTorch file, so a student can
// carry on beyond the lab: `class VglabNet(nn.Module)` built from the same layers
// (nn.Linear, nn.RNN / LSTM / GRU with batch_first=True, nn.BatchNorm1d, ...),
// a forward that walks the graph in validateNetwork's order, `load_weights()`
// that sets every parameter and running statistic from base64 float32 embedded in
// the file (bit for bit), the lab's loss, and an optimiser set up as the run's.
//
// How our semantics map onto PyTorch's (the inverse of core/reference/toNetwork.ts):
//   dense              nn.Linear(in, units); weight [units][in] as ours. On a sequence it acts on
//                      the last axis, i.e. on every timestep, as our engine does.
//   activations        nn.Sigmoid, Tanh, ReLU, LeakyReLU(slope), ELU(alpha), GELU() (exact erf
//                      form, as ours), Softplus() (PyTorch returns x above 20: < 2.1e-9 apart),
//                      Identity for "linear".
//   batchnorm          nn.BatchNorm1d(F, eps, momentum), gamma/beta -> weight/bias, running
//                      statistics as buffers. On a sequence the engine normalises over batch and
//                      time (rows B*T), so forward reshapes [B][T][F] to [B*T][F] and back.
//                      PyTorch refuses a training batch of one row; the engine takes it (variance 0).
//   layernorm          nn.LayerNorm(F, eps), over the last axis.
//   dropout            nn.Dropout(p), inverted like ours; its masks come from torch's generator,
//                      not from our counter-based hash, so training-mode outputs differ.
//   add                y = a + b.
//   rnn / lstm / gru   nn.RNN(nonlinearity) / LSTM / GRU(I, H, batch_first=True), same gate order
//                      and tensors (weight_ih -> weight_ih_l0, ...); zero initial state; "last"
//                      takes output[:, -1, :], "sequence" the whole output.
//   losses             nn.CrossEntropyLoss on logits (rows and timesteps flattened, integer
//                      targets), nn.MSELoss, nn.BCEWithLogitsLoss; mean reduction, as ours.
import { NODE_TYPES, nodeTensors, type NetworkNode, type NetworkSpec, type NodeTensor } from '../network/spec.ts';
import { validateNetwork, type NetworkPlan } from '../network/validate.ts';
import type { ProjectDataset } from '../project/schema.ts';
import type { TrainingSettings } from '../training/settings.ts';
import { IdentifierTable, base64Lines, float32LittleEndian, pyBool, pyComment, pyFloat, pyString } from './pythonText.ts';

export interface PytorchExportOptions {
  /** Free text for the header and the module's TITLE (a run's and project's names, say). */
  title?: string;
  /** The run's training settings: adds make_optimizer(), BATCH_SIZE, CLIP_NORM and train_step(). */
  settings?: TrainingSettings;
  /** Lines for the header comment (what the network was trained on, say: see datasetNotes). */
  notes?: readonly string[];
}

/** Header lines saying what a run trained on, and what its inputs need before they reach the network. */
export function datasetNotes(dataset: ProjectDataset): string[] {
  if (!('csv' in dataset)) {
    const options = Object.keys(dataset.options ?? {}).length > 0 ? ` with options ${JSON.stringify(dataset.options)}` : '';
    return [`Trained on the built-in "${dataset.name}" data set${options}; its rows go into the network as they are.`];
  }
  const lines = [`Trained on the CSV file ${JSON.stringify(dataset.csv.fileName)}.`];
  if (dataset.csv.standardize) {
    lines.push(
      'The lab standardised its feature columns first (each to mean 0 and standard deviation 1 over the',
      'file): scale x the same way before it reaches the network.',
    );
  }
  return lines;
}

/** The network cannot be exported as it stands (invalid, or a weight missing or of the wrong size). */
export class PytorchExportError extends Error {
  override name = 'PytorchExportError';
}

/** Where each of our tensor names lives on the PyTorch module. */
function torchTensorName(node: NetworkNode, name: string): string {
  switch (node.type) {
    case 'batchnorm':
    case 'layernorm':
      return name === 'gamma' ? 'weight' : name === 'beta' ? 'bias' : name;
    case 'rnn':
    case 'lstm':
    case 'gru':
      return `${name}_l0`;
    default:
      return name;
  }
}

/** The nn module a node becomes, or null for the input and add nodes (no module). */
function moduleOf(node: NetworkNode, inFeatures: number, outFeatures: number): string | null {
  switch (node.type) {
    case 'input':
    case 'add':
      return null;
    case 'dense':
      return `nn.Linear(${inFeatures}, ${outFeatures}${node.params.bias ? '' : ', bias=False'})`;
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'relu':
      return 'nn.ReLU()';
    case 'leaky_relu':
      return `nn.LeakyReLU(negative_slope=${pyFloat(node.params.slope)})`;
    case 'elu':
      return `nn.ELU(alpha=${pyFloat(node.params.alpha)})`;
    case 'gelu':
      return 'nn.GELU()';
    case 'softplus':
      return 'nn.Softplus()';
    case 'linear':
      return 'nn.Identity()';
    case 'batchnorm':
      return `nn.BatchNorm1d(${outFeatures}, eps=${pyFloat(node.params.eps)}, momentum=${pyFloat(node.params.momentum)})`;
    case 'layernorm':
      return `nn.LayerNorm(${outFeatures}, eps=${pyFloat(node.params.eps)})`;
    case 'dropout':
      return `nn.Dropout(p=${pyFloat(node.params.p)})`;
    case 'rnn':
      return `nn.RNN(${inFeatures}, ${outFeatures}, nonlinearity=${pyString(node.params.nonlinearity)}, batch_first=True)`;
    case 'lstm':
      return `nn.LSTM(${inFeatures}, ${outFeatures}, batch_first=True)`;
    case 'gru':
      return `nn.GRU(${inFeatures}, ${outFeatures}, batch_first=True)`;
    default: {
      const never: never = node;
      throw new PytorchExportError(`node type ${(never as NetworkNode).type} has no PyTorch module`);
    }
  }
}

/** A short note on the module line, where PyTorch's layer needs a word. */
function noteOf(node: NetworkNode, sequence: boolean): string {
  switch (node.type) {
    case 'dense':
      return sequence ? ' (on every timestep)' : '';
    case 'gelu':
      return ' (exact erf form)';
    case 'batchnorm':
      return sequence ? ' (statistics over batch and time)' : '';
    case 'rnn':
    case 'lstm':
    case 'gru':
      return ` (returns ${node.params.return === 'last' ? 'the last hidden state' : 'every hidden state'})`;
    default:
      return '';
  }
}

interface ExportTensor {
  labName: string;
  attr: string;
  torchName: string;
  shape: number[];
  values: Float32Array;
}

/** The values of one tensor: from the run's weights, else the spec's own; null when absent. */
function valuesOf(node: NetworkNode, t: NodeTensor, weights: Record<string, Float32Array>): Float32Array | null {
  const labName = `${node.id}.${t.name}`;
  const fromRun = Object.hasOwn(weights, labName) ? weights[labName] : undefined;
  const fromSpec = (node.weights as Record<string, number[] | undefined> | undefined)?.[t.name];
  const values = fromRun ?? (fromSpec ? Float32Array.from(fromSpec) : null);
  if (values && values.length !== t.numel) {
    throw new PytorchExportError(
      `${labName} holds ${values.length} values; its shape (${t.shape.join(' x ')}) needs ${t.numel}`,
    );
  }
  return values;
}

function forwardLine(node: NetworkNode, plan: NetworkPlan, local: (id: string) => string, attr: string): string {
  const ins = plan.inputs[node.id].map(local);
  const y = local(node.id);
  switch (node.type) {
    case 'input':
      return `${y} = x`;
    case 'add':
      return `${y} = ${ins[0]} + ${ins[1]}`;
    case 'batchnorm':
      return plan.sequence[node.id]
        ? `${y} = self.${attr}(${ins[0]}.reshape(-1, ${plan.shapes[node.id]})).reshape(${ins[0]}.shape)`
        : `${y} = self.${attr}(${ins[0]})`;
    case 'rnn':
    case 'lstm':
    case 'gru':
      return node.params.return === 'last' ? `${y} = self.${attr}(${ins[0]})[0][:, -1, :]` : `${y} = self.${attr}(${ins[0]})[0]`;
    default:
      return `${y} = self.${attr}(${ins[0]})`;
  }
}

const LOSS_CODE: Record<NetworkSpec['loss']['type'], string[]> = {
  softmax_cross_entropy: [
    '# softmax_cross_entropy: nn.CrossEntropyLoss on the logits (the softmax is inside), mean over the',
    '# rows, and over the timesteps too for a sequence output. target: class indices.',
    'LOSS = nn.CrossEntropyLoss()',
    '',
    '',
    'def loss_fn(output, target):',
    '    return LOSS(output.reshape(-1, output.shape[-1]), target.reshape(-1).long())',
  ],
  mse: [
    '# mse: nn.MSELoss, the mean over every output value. target: one value per output.',
    'LOSS = nn.MSELoss()',
    '',
    '',
    'def loss_fn(output, target):',
    '    return LOSS(output, target.reshape(output.shape).to(output.dtype))',
  ],
  bce_with_logits: [
    '# bce_with_logits: nn.BCEWithLogitsLoss on the logits (the sigmoid is inside), the mean over every',
    '# output value. target: 0.0 or 1.0 per output.',
    'LOSS = nn.BCEWithLogitsLoss()',
    '',
    '',
    'def loss_fn(output, target):',
    '    return LOSS(output, target.reshape(output.shape).to(output.dtype))',
  ],
};

function optimizerCode(settings: TrainingSettings): string[] {
  const o = settings.optimizer;
  const wd = `weight_decay=${pyFloat(o.weight_decay)}`;
  const make =
    o.type === 'sgd'
      ? `torch.optim.SGD(model.parameters(), lr=${pyFloat(o.lr)}, ${wd})`
      : o.type === 'momentum'
        ? `torch.optim.SGD(model.parameters(), lr=${pyFloat(o.lr)}, momentum=${pyFloat(o.momentum)}, ` +
          `nesterov=${pyBool(o.nesterov)}, ${wd})`
        : `torch.optim.Adam(model.parameters(), lr=${pyFloat(o.lr)}, betas=(${pyFloat(o.beta1)}, ${pyFloat(o.beta2)}), ` +
          `eps=${pyFloat(o.eps)}, ${wd})`;
  return [
    '# The run trained with these settings. The optimiser starts afresh: the lab keeps no',
    "# optimiser state (Adam's moments, momentum buffers), only the weights.",
    `BATCH_SIZE = ${settings.batch_size}`,
    `CLIP_NORM = ${settings.clip_norm !== undefined ? pyFloat(settings.clip_norm) : 'None'}`,
    '',
    '',
    'def make_optimizer(model):',
    `    return ${make}`,
    '',
    '',
    'def train_step(model, optimizer, x, target):',
    '    """One step as the lab takes it: loss, gradients, clipping to CLIP_NORM, update."""',
    '    model.train()',
    '    optimizer.zero_grad()',
    '    loss = loss_fn(model(x), target)',
    '    loss.backward()',
    '    if CLIP_NORM is not None:',
    '        nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)',
    '    optimizer.step()',
    '    return loss.item()',
  ];
}

/**
 * Python source of a PyTorch module equal to `spec` with `weights` (the run's
 * tensors by "<node id>.<weight>", as RunManager.weights gives them; a tensor
 * absent there is taken from the spec's own `weights`). Batch norm running
 * statistics given in neither keep PyTorch's initial values, which are ours.
 * Throws PytorchExportError when the spec does not validate or a trainable tensor
 * is missing or has the wrong size.
 */
export function pytorchSource(
  spec: NetworkSpec,
  weights: Record<string, Float32Array>,
  options: PytorchExportOptions = {},
): string {
  const checked = validateNetwork(spec);
  if (!checked.ok) {
    throw new PytorchExportError(`the network does not validate: ${checked.errors.map((e) => e.message).join('; ')}`);
  }
  const { plan } = checked;
  const net = checked.spec;
  const byId = new Map(net.nodes.map((n) => [n.id, n]));
  const attrs = new IdentifierTable();
  const attrOf = (id: string) => attrs.of(id);
  const local = (id: string) => `y_${attrOf(id)}`;

  const inputNode = byId.get(plan.input)!;
  const inputFeatures = plan.shapes[plan.input];
  const steps = inputNode.type === 'input' ? inputNode.params.sequence_length : undefined;

  const init: string[] = [];
  const forward: string[] = [];
  const tensors: ExportTensor[] = [];
  for (const id of plan.order) {
    const node = byId.get(id)!;
    const attr = attrOf(id);
    const source = plan.inputs[id][0];
    const inFeatures = source === undefined ? 0 : plan.shapes[source];
    const outFeatures = plan.shapes[id];
    const module = moduleOf(node, inFeatures, outFeatures);
    if (module !== null) {
      const note = noteOf(node, source !== undefined && plan.sequence[source]);
      init.push(`        # node ${pyString(id)}: ${NODE_TYPES[node.type].label}${note}`);
      init.push(`        self.${attr} = ${module}`);
    }
    forward.push(`        ${forwardLine(node, plan, local, attr)}`);
    for (const t of nodeTensors(node, inFeatures, outFeatures)) {
      const values = valuesOf(node, t, weights);
      if (values === null) {
        if (t.trainable) throw new PytorchExportError(`the weights hold no ${id}.${t.name}`);
        continue; // a buffer left at its initial value, which PyTorch's is too
      }
      tensors.push({ labName: `${id}.${t.name}`, attr, torchName: torchTensorName(node, t.name), shape: t.shape, values });
    }
  }
  forward.push(`        return ${local(plan.output)}`);

  const out = plan.output;
  const inputShape = steps !== undefined ? `[batch, ${steps}, ${inputFeatures}]` : `[batch, ${inputFeatures}]`;
  const outputShape = plan.sequence[out] ? `[batch, ${plan.time[out]}, ${plan.shapes[out]}]` : `[batch, ${plan.shapes[out]}]`;
  const name = options.title ?? net.name ?? 'network';

  const lines: string[] = [
    '# A Vanishing Gradient Lab network as a PyTorch module, with its trained weights.',
    `# ${pyComment(name)}`,
    ...(options.notes ?? []).map((line) => `# ${pyComment(line)}`),
    '#',
    '# The weights are embedded at the end as base64 of little-endian float32, exactly the',
    "# lab's values. Use:",
    '#',
    '#     model = load_weights(VglabNet())',
    '#     model.eval()      # batch norm then uses its running statistics and dropout is off,',
    "#                       # as in the lab's predictions",
    `#     output = model(x)  # x: float32 ${inputShape}, output ${outputShape}`,
    '#     loss = loss_fn(output, target)',
    '#',
    '# Generated by vglab (export.pytorch); needs only torch.',
    'import array',
    'import base64',
    'import sys',
    '',
    'import torch',
    'from torch import nn',
    '',
    `TITLE = ${pyString(name)}`,
    `INPUT_FEATURES = ${inputFeatures}`,
    `SEQUENCE_LENGTH = ${steps ?? 'None'}`,
    `LOSS_TYPE = ${pyString(net.loss.type)}`,
    '# Trainable values, as the lab counts them.',
    `PARAMETER_COUNT = ${plan.parameterCount}`,
    '',
    '',
    'class VglabNet(nn.Module):',
    '    """The network as the lab built it; layers are created in the order forward() uses them."""',
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(init.length > 0 ? init : ['        pass']),
    '',
    '    def forward(self, x):',
    ...(steps !== undefined
      ? [
          '        # A sequence input: [batch, time, features]; rows flattened as the lab stores them are accepted too.',
          '        if x.dim() == 2:',
          `            x = x.reshape(x.shape[0], ${steps}, ${inputFeatures})`,
        ]
      : []),
    ...forward,
    '',
    '',
    ...LOSS_CODE[net.loss.type],
    '',
    '',
    ...(options.settings ? [...optimizerCode(options.settings), '', ''] : []),
    'def _decode(text, count):',
    '    """float32 values from base64 of little-endian bytes, on any machine."""',
    '    values = array.array("f")',
    '    if values.itemsize != 4:',
    '        raise RuntimeError("this Python has no 4-byte float array")',
    '    values.frombytes(base64.b64decode(text))',
    '    if sys.byteorder == "big":',
    '        values.byteswap()',
    '    if len(values) != count:',
    '        raise ValueError(f"expected {count} values, found {len(values)}")',
    '    return torch.frombuffer(values, dtype=torch.float32).clone()',
    '',
    '',
    'def load_weights(model):',
    '    """Sets every parameter (and batch norm running statistic) of a VglabNet to the lab\'s values."""',
    '    with torch.no_grad():',
    '        for lab_name, (module, tensor, shape, text) in WEIGHTS.items():',
    '            count = 1',
    '            for n in shape:',
    '                count *= n',
    '            target = getattr(getattr(model, module), tensor)',
    '            if tuple(target.shape) != tuple(shape):',
    '                raise ValueError(f"{lab_name}: the module holds {tuple(target.shape)}, the data {tuple(shape)}")',
    '            target.copy_(_decode(text, count).reshape(shape))',
    '    return model',
    '',
    '',
    '# Lab tensor name -> (module attribute, PyTorch tensor, shape, base64 float32 little-endian).',
    'WEIGHTS = {',
  ];
  for (const t of tensors) {
    const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
    lines.push(`    ${pyString(t.labName)}: (${pyString(t.attr)}, ${pyString(t.torchName)}, ${shape}, """`);
    lines.push(base64Lines(float32LittleEndian(t.values)));
    lines.push('"""),');
  }
  lines.push(
    '}',
    '',
    '',
    'if __name__ == "__main__":',
    '    model = load_weights(VglabNet())',
    '    count = sum(p.numel() for p in model.parameters() if p.requires_grad)',
    '    print(f"{TITLE}: {count} trainable parameters (the lab counted {PARAMETER_COUNT})")',
    '',
  );
  return lines.join('\n');
}
