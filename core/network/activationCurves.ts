// The activation functions of the engine as plain math: each function, its
// derivative, and the largest size its derivative reaches. That bound is the story
// of vanishing gradients: backpropagation multiplies one derivative per layer, so a
// chain of n sigmoid layers can pass back at most 0.25^n of the gradient (before the
// weights), while ReLU's bound stays 1.
//
// The designer plots these curves; the labs reuse `chainGainBound` for a "theory
// overlay" next to the measured per-layer gradient norms. The formulas match the
// engine's scalar kernels (GELU is the exact x * Phi(x), not the tanh approximation).

import { PARAM_DEFAULTS, type NetworkSpecInput, type NodeType } from './spec.ts';

/** Node types that apply a fixed elementwise function. */
export const ACTIVATION_KINDS = [
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'elu',
  'gelu',
  'softplus',
  'linear',
] as const;
export type ActivationKind = (typeof ACTIVATION_KINDS)[number];

export function isActivationKind(type: string): type is ActivationKind {
  return (ACTIVATION_KINDS as readonly string[]).includes(type);
}

/** The parameters some activations take (leaky_relu's slope, elu's alpha). */
export interface ActivationParams {
  slope?: number;
  alpha?: number;
}

export interface ActivationCurve {
  kind: ActivationKind;
  /** f(x). */
  f: (x: number) => number;
  /** f'(x); at a kink (ReLU and leaky ReLU at x = 0) the left-hand slope, as the engine's backward uses. */
  df: (x: number) => number;
  /**
   * sup over x of |f'(x)|: the most one such layer can multiply a gradient by.
   * A supremum, not always reached (softplus approaches 1 only as x grows).
   */
  derivativeMax: number;
  /** Where |f'| reaches (or approaches) its bound, in words, for the inspector. */
  derivativeMaxWhere: string;
}

const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** erf(1), to full double precision (used for GELU's exact bound). */
const ERF_1 = 0.8427007929497149;

/**
 * The largest slope of GELU(x) = x * Phi(x). Its second derivative phi(x) (2 - x^2)
 * vanishes at x = sqrt(2), where GELU' = Phi(sqrt 2) + sqrt(2) phi(sqrt 2)
 * = (1 + erf(1)) / 2 + 1 / (e sqrt(pi)) ~ 1.1289.
 */
export const GELU_DERIVATIVE_MAX = (1 + ERF_1) / 2 + 1 / (Math.E * Math.sqrt(Math.PI));

/**
 * erf(x) to about 1e-12: Maclaurin series near 0, a continued fraction for erfc in
 * the tails. Plotting needs far less, but the labs may compare against it.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 80; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const v = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -v : v;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), evaluated bottom-up.
  let frac = ax;
  for (let k = 60; k >= 1; k--) frac = ax + k / 2 / frac;
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / frac;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / SQRT2));
}

function sigmoid(x: number): number {
  // Split by sign so exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The curve of one activation; slope and alpha default as in the schema. */
export function activationCurve(kind: ActivationKind, params: ActivationParams = {}): ActivationCurve {
  switch (kind) {
    case 'sigmoid':
      return {
        kind,
        f: sigmoid,
        df: (x) => sigmoid(x) * (1 - sigmoid(x)),
        derivativeMax: 0.25,
        derivativeMaxWhere: 'at x = 0',
      };
    case 'tanh':
      return {
        kind,
        f: Math.tanh,
        df: (x) => 1 - Math.tanh(x) ** 2,
        derivativeMax: 1,
        derivativeMaxWhere: 'at x = 0',
      };
    case 'relu':
      return {
        kind,
        f: (x) => (x > 0 ? x : 0),
        df: (x) => (x > 0 ? 1 : 0),
        derivativeMax: 1,
        derivativeMaxWhere: 'for every x > 0',
      };
    case 'leaky_relu': {
      const slope = params.slope ?? PARAM_DEFAULTS.leaky_relu.slope;
      const big = Math.abs(slope) > 1;
      return {
        kind,
        f: (x) => (x > 0 ? x : slope * x),
        df: (x) => (x > 0 ? 1 : slope),
        derivativeMax: Math.max(1, Math.abs(slope)),
        derivativeMaxWhere: big ? 'for every x < 0' : 'for every x > 0',
      };
    }
    case 'elu': {
      const alpha = params.alpha ?? PARAM_DEFAULTS.elu.alpha;
      const big = Math.abs(alpha) > 1;
      return {
        kind,
        f: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
        df: (x) => (x > 0 ? 1 : alpha * Math.exp(x)),
        derivativeMax: Math.max(1, Math.abs(alpha)),
        derivativeMaxWhere: big ? 'as x approaches 0 from below' : 'for every x > 0',
      };
    }
    case 'gelu':
      return {
        kind,
        f: (x) => x * normalCdf(x),
        df: (x) => normalCdf(x) + x * normalPdf(x),
        derivativeMax: GELU_DERIVATIVE_MAX,
        derivativeMaxWhere: 'at x = √2',
      };
    case 'softplus':
      return {
        kind,
        // log(1 + e^x) without overflow.
        f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
        df: sigmoid,
        derivativeMax: 1,
        derivativeMaxWhere: 'as x grows (never reached)',
      };
    case 'linear':
      return { kind, f: (x) => x, df: () => 1, derivativeMax: 1, derivativeMaxWhere: 'everywhere' };
  }
}

/**
 * The most a chain of `layers` such activations can scale a gradient by, ignoring
 * the weights between them: derivativeMax^layers (0.25^n for sigmoid).
 */
export function chainGainBound(kind: ActivationKind, layers: number, params: ActivationParams = {}): number {
  return activationCurve(kind, params).derivativeMax ** layers;
}

/**
 * The bound after 0, 1, ..., `layers` activations: [1, b, b^2, ..., b^layers], one
 * value per depth, for drawing the theory line beside measured per-layer norms.
 */
export function chainGainProfile(kind: ActivationKind, layers: number, params: ActivationParams = {}): number[] {
  const b = activationCurve(kind, params).derivativeMax;
  const out = [1];
  for (let i = 1; i <= layers; i++) out.push(out[i - 1] * b);
  return out;
}

export interface SampledCurve {
  x: number[];
  y: number[];
  dy: number[];
}

/** `points` evenly spaced samples of f and f' on [from, to], for a chart. */
export function sampleCurve(curve: ActivationCurve, from = -5, to = 5, points = 201): SampledCurve {
  const n = Math.max(2, Math.floor(points));
  const x: number[] = [];
  const y: number[] = [];
  const dy: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = from + ((to - from) * i) / (n - 1);
    x.push(v);
    y.push(curve.f(v));
    dy.push(curve.df(v));
  }
  return { x, y, dy };
}

type SpecNode = NetworkSpecInput['nodes'][number];

/**
 * The activation a node applies, with its parameters, or null when it applies
 * none of its own: an activation node's own function, an rnn's nonlinearity
 * (tanh by default). LSTM and GRU mix sigmoid gates with tanh candidates, so they
 * have no single curve; see RECURRENT_GATES in spec.ts.
 */
export function activationOfNode(node: SpecNode): { kind: ActivationKind; params: ActivationParams } | null {
  const type: NodeType = node.type;
  if (isActivationKind(type)) {
    const p = (node.params ?? {}) as ActivationParams;
    return { kind: type, params: { slope: p.slope, alpha: p.alpha } };
  }
  if (node.type === 'rnn') {
    return { kind: node.params.nonlinearity ?? PARAM_DEFAULTS.rnn.nonlinearity, params: {} };
  }
  return null;
}
