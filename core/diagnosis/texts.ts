// Every sentence the diagnosis shows a student, in one place so it can be translated:
// a translation is another object of type DiagnosisTexts. Numbers, percentages and
// lists of node ids are formatted here too, because how they read is part of the
// language. The detectors pass plain values; nothing else builds user-facing text.

/** 1.3e-7, 0.25, 3.1, 1200, 4.2e9; "NaN" and "infinity" spelled out. */

/** "3e-7 times", or, when float32 rounded the ratio to zero, words that do not say "0 times". */
function times(ratio: number): string {
  return ratio === 0 ? 'a vanishing fraction (too small for float32, so zero) of' : `${formatNumber(ratio)} times`;
}

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'infinity' : 'minus infinity';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 0.01 && a < 10_000) return String(Number(x.toPrecision(2)));
  const [mantissa, exponent] = x.toExponential(1).split('e');
  return `${mantissa.replace(/\.0$/, '')}e${Number(exponent)}`;
}

/** 0.973 -> "97%". */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** Whole powers of ten between a ratio and 1 ("6" for 1.3e-6 and for 8e5). */
export function powersOfTen(ratio: number): number {
  return ratio > 0 && Number.isFinite(ratio) ? Math.round(Math.abs(Math.log10(ratio))) : Number.POSITIVE_INFINITY;
}

/** Node ids, quoted: "a", "a" and "b", "a", "b" and "c"; long lists are shortened with their count. */
export function formatIds(ids: readonly string[], max = 4): string {
  const q = ids.map((id) => `"${id}"`);
  if (q.length <= 1) return q.join('');
  if (q.length <= max) return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
  return `${q[0]}, ${q[1]}, … ${q[q.length - 1]} (${q.length} in all)`;
}

function powers(ratio: number): string {
  const n = powersOfTen(ratio);
  if (!Number.isFinite(n)) return 'by more than a float can show';
  return n === 1 ? 'one power of ten' : `${n} powers of ten`;
}

function layers(n: number): string {
  return n === 1 ? '1 layer' : `${n} layers`;
}

/** Pairs of layers compared by the depth detectors. */
export interface LayerPair {
  first: string;
  last: string;
  /** first / last gradient. */
  ratio: number;
  step: number;
}

export const DIAGNOSIS_TEXTS_EN = {
  findings: {
    healthyFlow: {
      title: () => 'Gradients reach every layer',
      explanation: (p: LayerPair | null) =>
        p === null
          ? 'Nothing in the traces points to a vanishing or exploding gradient.'
          : `At step ${p.step} the first layer "${p.first}" receives ${times(p.ratio)} the gradient of ` +
            `the last hidden layer "${p.last}": the signal reaches every layer, so all of them can learn.`,
    },
    vanishingLayers: {
      title: () => 'The gradient vanishes before it reaches the first layers',
      explanation: (p: LayerPair & { initRatio: number | null }) =>
        `At step ${p.step} the weights of "${p.first}" get ${times(p.ratio)} the gradient of ` +
        `"${p.last}", ${powers(p.ratio)} smaller, so the first layers barely change.` +
        (p.initRatio !== null && p.step > 0 ? ` It was ${formatNumber(p.initRatio)} at initialisation.` : ''),
    },
    vanishingStuck: {
      title: () => 'Training is stuck since the gradient vanished at the start',
      explanation: (
        p: LayerPair & { initRatio: number; lossFrom: number; lossTo: number; saturated: readonly string[] },
      ) =>
        `At initialisation "${p.first}" got only ${times(p.initRatio)} the gradient of "${p.last}". ` +
        `The layers now get more similar gradients (${formatNumber(p.ratio)}), yet the loss has hardly moved ` +
        `(${formatNumber(p.lossFrom)} to ${formatNumber(p.lossTo)})` +
        (p.saturated.length > 0
          ? `, because ${formatIds(p.saturated)} have saturated as well and pass almost nothing back.`
          : ': the early layers never learned anything useful for the later ones to build on.'),
    },
    vanishingAtInit: {
      title: () => 'The gradient vanished at initialisation, then recovered',
      explanation: (p: LayerPair & { initRatio: number; lossFrom: number; lossTo: number }) =>
        `At step 0 "${p.first}" got ${times(p.initRatio)} the gradient of "${p.last}"; at step ` +
        `${p.step} it gets ${formatNumber(p.ratio)}, and the loss fell from ${formatNumber(p.lossFrom)} to ` +
        `${formatNumber(p.lossTo)}. The network got going, but its first steps were wasted on the early layers.`,
    },
    explodingLayers: {
      title: () => 'The gradient explodes on its way back to the first layers',
      explanation: (p: LayerPair & { initRatio: number | null }) =>
        `At step ${p.step} the weights of "${p.first}" get ${times(p.ratio)} the gradient of ` +
        `"${p.last}": it grows by ${powers(p.ratio)} from the last hidden layer to the first, so the first ` +
        'layers take huge, erratic steps.' +
        (p.initRatio !== null && p.step > 0 ? ` It was ${formatNumber(p.initRatio)} at initialisation.` : ''),
    },
    explodingAtInit: {
      title: () => 'The gradient was exploding at initialisation',
      explanation: (p: LayerPair & { initRatio: number }) =>
        `At step 0 "${p.first}" got ${times(p.initRatio)} the gradient of "${p.last}"; at step ` +
        `${p.step} it gets ${formatNumber(p.ratio)}. Training calmed it down, but the first steps were violent.`,
    },
    explodingGrowth: {
      title: () => 'The gradient is growing out of control',
      explanation: (p: { from: number; to: number; step: number }) =>
        `The length of the whole gradient grew from ${formatNumber(p.from)} in the first traced steps to ` +
        `${formatNumber(p.to)} at step ${p.step}, ${powers(p.to / p.from)}. Bigger gradients make bigger steps, ` +
        'which tend to make the next gradient bigger still, until the numbers overflow.',
    },
    diverged: {
      title: () => 'Training diverged',
      explanation: (p: { step: number; value: number }) =>
        `At step ${p.step} the loss became ${formatNumber(p.value)}: numbers in the network grew beyond what a ` +
        'float can hold. Nothing after that step means anything, so start a new run with one of the changes below.',
    },
    vanishingThroughTime: {
      title: (p: { node: string }) => `The gradient fades through time in "${p.node}"`,
      explanation: (p: { node: string; ratio: number; horizon: number; time: number; fraction: number; step: number }) =>
        `At step ${p.step} the gradient reaching the first timestep of "${p.node}" is ${times(p.ratio)} ` +
        `the one at its last timestep. It stays above ${formatPercent(p.fraction)} of that for only the last ` +
        `${p.horizon} of ${p.time} steps, so the layer cannot learn from anything the sequence said before them.`,
    },
    explodingThroughTime: {
      title: (p: { node: string }) => `The gradient grows through time in "${p.node}"`,
      explanation: (p: { node: string; ratio: number; perStep: number; time: number; step: number }) =>
        `At step ${p.step} the gradient reaching the first timestep of "${p.node}" is ${times(p.ratio)} ` +
        `the one at its last timestep: each step back multiplies it by about ${formatNumber(p.perStep)}, ` +
        `so over ${p.time} steps the earliest inputs get enormous, unstable updates.`,
    },
    recurrentHorizon: {
      title: (p: { node: string }) => `"${p.node}" carries the gradient back through time`,
      explanation: (p: { node: string; horizon: number; time: number; fraction: number; ratio: number }) =>
        p.horizon >= p.time
          ? `In "${p.node}" the gradient stays above ${formatPercent(p.fraction)} of its value at the last ` +
            `timestep for all ${p.time} steps (first step: ${times(p.ratio)} the last), so early ` +
            'inputs still shape what it learns.'
          : `In "${p.node}" the gradient at the first timestep is ${times(p.ratio)} the one at the ` +
            `last; it dips below ${formatPercent(p.fraction)} of it ${p.time - p.horizon} steps from the end but ` +
            'recovers further back.',
    },
    deadRelu: {
      title: (p: { severe: boolean; count: number }) =>
        p.severe ? (p.count === 1 ? 'A ReLU layer has died' : 'ReLU layers have died') : 'Many ReLU units have died',
      explanation: (p: { nodes: readonly string[]; worst: string; worstFraction: number }) =>
        `In ${formatIds(p.nodes)} many units output zero for every example of the batch (worst: "${p.worst}", ` +
        `${formatPercent(p.worstFraction)} of its units). A dead unit passes no gradient, so it cannot come back ` +
        'by itself, and the layers below lose the paths through it.',
    },
    saturatedActivations: {
      title: (p: { severe: boolean; count: number }) =>
        !p.severe
          ? 'Sigmoid or tanh layers are saturating'
          : p.count === 1
            ? 'A sigmoid or tanh layer is stuck at its limits'
            : 'Sigmoid or tanh layers are stuck at their limits',
      explanation: (p: { nodes: readonly string[]; worst: string; worstFraction: number }) =>
        `In ${formatIds(p.nodes)} many outputs sit at the flat ends of the curve (worst: "${p.worst}", ` +
        `${formatPercent(p.worstFraction)} of its outputs), where the slope is almost zero. The gradient that ` +
        'passes through such a layer shrinks to almost nothing.',
    },
  },

  causes: {
    sigmoidChain: {
      title: (p: { count: number }) => `${layers(p.count)} of sigmoid`,
      explanation: (p: { nodes: readonly string[]; bound: number }) =>
        `On its way back the gradient passes through ${p.nodes.length} sigmoid layers: ${formatIds(p.nodes)}. ` +
        'A sigmoid\'s slope is at most 0.25, so together they pass back at most ' +
        `0.25^${p.nodes.length} = ${formatNumber(p.bound)} of it, before the weights are even counted.`,
    },
    tanhChain: {
      title: (p: { count: number }) => `${layers(p.count)} of tanh`,
      explanation: (p: { nodes: readonly string[] }) =>
        `On its way back the gradient passes through ${p.nodes.length} tanh layers: ${formatIds(p.nodes)}. Tanh's slope is 1 ` +
        'only at 0 and drops quickly on both sides, so every layer whose inputs stray from 0 shrinks the gradient ' +
        'a little more, and the shrinking multiplies.',
    },
    initTooSmall: {
      title: () => 'Initial weights too small',
      explanation: (p: { nodes: readonly string[]; example: InitExample; factor: number }) =>
        `${formatIds(p.nodes)} start with weights smaller than their fan-in calls for: "${p.example.node}" draws ` +
        `${describeInit(p.example)}, where a spread of about ${formatNumber(p.example.idealStd)} would keep the ` +
        `signal level. Each layer shrinks the signal and the gradient; the whole stack by about ${formatNumber(p.factor)}.`,
    },
    initTooLarge: {
      title: () => 'Initial weights too large',
      explanation: (p: { nodes: readonly string[]; example: InitExample; factor: number }) =>
        `${formatIds(p.nodes)} start with weights larger than their fan-in calls for: "${p.example.node}" draws ` +
        `${describeInit(p.example)}, where a spread of about ${formatNumber(p.example.idealStd)} would keep the ` +
        `signal level. Each layer amplifies the signal and the gradient (the whole stack by about ` +
        `${formatNumber(p.factor)}), and squashing units get pushed to their flat ends.`,
    },
    xavierWithRelu: {
      title: () => 'Xavier initialisation in front of ReLU',
      explanation: (p: { nodes: readonly string[]; factor: number }) =>
        `${formatIds(p.nodes)} use Xavier initialisation, which is sized for tanh-like units. ReLU zeroes about ` +
        `half of what it gets, so each layer shrinks the signal by about 0.7, and the stack by about ` +
        `${formatNumber(p.factor)}. He initialisation makes up for the missing half.`,
    },
    noNormalisation: {
      title: () => 'No normalisation in a deep stack',
      explanation: (p: { depth: number }) =>
        `The network stacks ${p.depth} hidden layers without batch or layer normalisation, so nothing brings each ` +
        'layer\'s inputs back to a healthy range; small drifts in scale add up from layer to layer.',
    },
    noSkipConnections: {
      title: () => 'No skip connections',
      explanation: (p: { depth: number; first: string }) =>
        `Every path from the loss back to "${p.first}" goes through all ${p.depth} hidden layers. Without a skip ` +
        'connection (an add node around a block) the gradient has no shorter way to reach the first layers.',
    },
    longPlainRecurrence: {
      title: () => 'A plain RNN over a long sequence',
      explanation: (p: { node: string; time: number; nonlinearity: string }) =>
        `"${p.node}" is a plain ${p.nonlinearity} RNN reading ${p.time} steps. Going back one step multiplies the ` +
        `gradient by the recurrent weights and the ${p.nonlinearity} slope, so over ${p.time} steps it shrinks (or ` +
        'grows) geometrically: nothing in the cell holds it steady.',
    },
    lowForgetBias: {
      title: () => 'The forget gate starts half closed',
      explanation: (p: { node: string; bias: number; gate: number }) =>
        `"${p.node}" starts with forget bias ${formatNumber(p.bias)}, so its forget gate sits near ` +
        `${formatNumber(p.gate)} and the cell drops part of its memory at every step. A bias of 1 starts the gate ` +
        'near 0.73, so memory and gradient travel further back from the start.',
    },
    noClipping: {
      title: () => 'No gradient clipping',
      explanation: () =>
        'Nothing limits the size of one update: clip_norm is off, so a single huge gradient can throw the weights ' +
        'far from where they were.',
    },
    learningRateTooLarge: {
      title: () => 'Learning rate too large',
      explanation: (p: { optimizer: string; lr: number }) =>
        `The ${p.optimizer} learning rate is ${formatNumber(p.lr)}. Each step moves the weights by the learning ` +
        'rate times the gradient; once a step overshoots, the next gradient is larger, and so is the next step.',
    },
  },

  fixes: {
    reluHe: {
      label: () => 'Use ReLU with He initialisation',
      description: (p: { activations: readonly string[]; dense: readonly string[] }) =>
        `Turns ${formatIds(p.activations)} into ReLU, whose slope is 1 for every positive input` +
        (p.dense.length > 0 ? `, and draws ${formatIds(p.dense)} with He initialisation, sized for ReLU.` : '.'),
    },
    leakyRelu: {
      label: () => 'Use leaky ReLU',
      description: (p: { nodes: readonly string[] }) =>
        `Turns ${formatIds(p.nodes)} into leaky ReLU (slope 0.01 below zero): a unit pushed below zero still ` +
        'passes a little gradient and can come back to life.',
    },
    standardInit: {
      label: () => 'Use He / Xavier initialisation',
      description: (p: { he: readonly string[]; xavier: readonly string[] }) =>
        [
          p.he.length > 0 ? `Draws ${formatIds(p.he)} with He initialisation (for the ReLU-like units after them)` : '',
          p.xavier.length > 0 ? `${p.he.length > 0 ? ' and' : 'Draws'} ${formatIds(p.xavier)} with Xavier initialisation` : '',
        ].join('') + ', all at scale 1, so each layer keeps the size of the signal.',
    },
    batchnorm: {
      label: () => 'Add batch normalisation',
      description: (p: { after: readonly string[] }) =>
        `Inserts a batch normalisation node after ${formatIds(p.after)}: it rescales each layer's outputs to mean 0 ` +
        'and spread 1 over the batch, so the next activation works near its steep middle.',
    },
    residual: {
      label: () => 'Add skip connections',
      description: (p: { blocks: readonly string[]; skipped: readonly string[] }) =>
        `Adds a skip connection (an add node) around the ${p.blocks.length === 1 ? 'block' : 'blocks'} starting at ` +
        `${formatIds(p.blocks)}, so each passes its input straight through next to its own output and the gradient ` +
        'gets a short path around every block.' +
        (p.skipped.length === 1 ? ` The block at ${formatIds(p.skipped)} changes width, so it keeps no skip.` : '') +
        (p.skipped.length > 1 ? ` The blocks at ${formatIds(p.skipped)} change width, so they keep no skip.` : ''),
    },
    lstm: {
      label: () => 'Replace the RNN with an LSTM',
      description: (p: { nodes: readonly string[] }) =>
        `Turns ${formatIds(p.nodes)} into an LSTM with the same hidden size and forget bias 1: its cell state ` +
        'carries memory, and gradient, through many steps.',
    },
    gru: {
      label: () => 'Replace the RNN with a GRU',
      description: (p: { nodes: readonly string[] }) =>
        `Turns ${formatIds(p.nodes)} into a GRU with the same hidden size: its update gate can pass the state, and ` +
        'the gradient, along unchanged.',
    },
    forgetBias: {
      label: () => 'Set the forget bias to 1',
      description: (p: { nodes: readonly string[] }) =>
        `Starts the forget gate of ${formatIds(p.nodes)} near 0.73 instead of 0.5, so the cell keeps most of its ` +
        'memory while the network learns when to forget.',
    },
    clipGradients: {
      label: (p: { norm: number }) => `Clip gradients at norm ${formatNumber(p.norm)}`,
      description: (p: { norm: number }) =>
        `Rescales the whole gradient to length ${formatNumber(p.norm)} whenever it is longer, so no single step ` +
        'can throw the weights far away; its direction is kept.',
    },
    lowerLearningRate: {
      label: (p: { to: number }) => `Lower the learning rate to ${formatNumber(p.to)}`,
      description: (p: { from: number; to: number }) =>
        `Divides the learning rate by 10, from ${formatNumber(p.from)} to ${formatNumber(p.to)}: smaller steps ` +
        'that no longer overshoot.',
    },
  },
};

/** A translation provides the same functions. */
export type DiagnosisTexts = typeof DIAGNOSIS_TEXTS_EN;

/** The texts in use. */
export const texts: DiagnosisTexts = DIAGNOSIS_TEXTS_EN;

/** One dense layer's initialisation, as the init causes describe it. */
export interface InitExample {
  node: string;
  scheme: string;
  scale: number;
  std: number;
  idealStd: number;
}

function describeInit(e: InitExample): string {
  if (e.scheme === 'zeros') return 'all-zero weights';
  if (e.scheme === 'normal') return `from a normal distribution with spread ${formatNumber(e.scale)}`;
  if (e.scheme === 'uniform') return `uniformly from ±${formatNumber(e.scale)} (spread ${formatNumber(e.std)})`;
  const gain = e.scale === 1 ? '' : ` times ${formatNumber(e.scale)}`;
  return `with ${e.scheme}${gain} (spread ${formatNumber(e.std)})`;
}
