// The Tolerance rule of reference-cases/FORMAT.md, exactly:
//   1. arrays (output, input_grad, param_grads[*], running stats): with M = max|e|
//      over that one array, every element |a-e| <= rtol|e| + atol_rel_to_max*M;
//   2. scalars (loss, param_grad_norms[*]) and EACH element of
//      layer_output_grad_norms and of every timestep_hidden_grad_norms list:
//      |a-e| <= (rtol + atol_rel_to_max)|e| (the list's largest entry is never a scale);
//   3. a label in zero_atol ("param_grads.<name>", "param_grad_norms.<name>") replaces
//      rules 1 and 2 for that value: every |a_k| <= bound.
// Only keys present in `expected` are compared.
import { flattenNumbers, type CaseTolerance, type NumericArray, type ResultValues } from './case.ts';

export interface Comparison {
  pass: boolean;
  /** One line per element out of tolerance: key, index, expected, actual, allowed. */
  failures: string[];
  /** Largest |a-e| / allowed over every check (|a| / bound for zero_atol); below 1 passes. */
  worstRatio: number;
}

/** Element failures listed per key; the rest are counted in one summary line. */
const FAILURES_SHOWN_PER_KEY = 8;

function showBound(v: number): string {
  return v.toExponential(3);
}

class Checker {
  readonly failures: string[] = [];
  worstRatio = 0;
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly rtol: number,
    private readonly atolRelToMax: number,
    private readonly zeroAtol: Record<string, number>,
  ) {}

  private ratio(diff: number, allowed: number): number {
    if (Number.isNaN(diff)) return Number.POSITIVE_INFINITY;
    if (allowed > 0) return diff / allowed;
    return diff === 0 ? 0 : Number.POSITIVE_INFINITY;
  }

  private fail(key: string, line: string): void {
    const count = (this.shown.get(key) ?? 0) + 1;
    this.shown.set(key, count);
    if (count <= FAILURES_SHOWN_PER_KEY) this.failures.push(line);
  }

  /** Adds "<key>: N more elements out of tolerance" lines for keys with many failures. */
  summarize(): void {
    for (const [key, count] of this.shown) {
      if (count > FAILURES_SHOWN_PER_KEY) {
        this.failures.push(`${key}: ${count - FAILURES_SHOWN_PER_KEY} more elements out of tolerance (${count} in all)`);
      }
    }
  }

  private record(key: string, index: string, e: number, a: number, diff: number, allowed: number): void {
    const r = this.ratio(diff, allowed);
    if (r > this.worstRatio) this.worstRatio = r;
    if (!(diff <= allowed)) {
      const off = showBound(Math.abs(a - e));
      this.fail(key, `${key}${index}: expected ${e}, got ${a}, allowed difference ${showBound(allowed)} (off by ${off})`);
    }
  }

  private lengthsMatch(key: string, expected: number[], actual: number[]): boolean {
    if (expected.length === actual.length) return true;
    this.worstRatio = Number.POSITIVE_INFINITY;
    this.failures.push(`${key}: expected ${expected.length} values, got ${actual.length}`);
    return false;
  }

  missing(key: string): void {
    this.worstRatio = Number.POSITIVE_INFINITY;
    this.failures.push(`${key}: missing from the results`);
  }

  /** Rule 3: |a_k| <= bound for every element. */
  private zeros(key: string, actual: number[], bound: number, isScalar: boolean): void {
    actual.forEach((a, k) => {
      const diff = Math.abs(a);
      const r = this.ratio(diff, bound);
      if (r > this.worstRatio) this.worstRatio = r;
      if (!(diff <= bound)) {
        const where = isScalar ? key : `${key}[${k}]`;
        this.fail(key, `${where}: expected 0 (structural zero), got ${a}, allowed ${showBound(bound)}`);
      }
    });
  }

  /** Rule 1 (or 3 when `key` is a zero_atol label). */
  array(key: string, expectedValues: NumericArray, actualValues: NumericArray | undefined): void {
    if (actualValues === undefined) return this.missing(key);
    const expected = flattenNumbers(expectedValues);
    const actual = flattenNumbers(actualValues);
    if (!this.lengthsMatch(key, expected, actual)) return;
    if (Object.hasOwn(this.zeroAtol, key)) return this.zeros(key, actual, this.zeroAtol[key], false);
    let max = 0;
    for (const e of expected) max = Math.max(max, Math.abs(e));
    const floor = this.atolRelToMax * max;
    expected.forEach((e, k) => {
      const a = actual[k];
      this.record(key, `[${k}]`, e, a, Math.abs(a - e), this.rtol * Math.abs(e) + floor);
    });
  }

  /** Rule 2 for one value (or 3 when `key` is a zero_atol label). */
  scalar(key: string, index: string, e: number, a: number | undefined): void {
    if (a === undefined) return this.missing(`${key}${index}`);
    if (Object.hasOwn(this.zeroAtol, key)) return this.zeros(`${key}${index}`, [a], this.zeroAtol[key], true);
    this.record(key, index, e, a, Math.abs(a - e), (this.rtol + this.atolRelToMax) * Math.abs(e));
  }

  /** Rule 2 for each element of a norm profile separately. */
  profile(key: string, expectedValues: ArrayLike<number>, actualValues: ArrayLike<number> | undefined): void {
    if (actualValues === undefined) return this.missing(key);
    const expected = flattenNumbers(expectedValues);
    const actual = flattenNumbers(actualValues);
    if (!this.lengthsMatch(key, expected, actual)) return;
    expected.forEach((e, k) => this.scalar(key, `[${k}]`, e, actual[k]));
  }
}

/**
 * Compares an engine's results with a case's expected values under the case's
 * tolerance. Use expectedResults(case) for `expected` so the batchnorm running
 * statistics are included.
 */
export function compareWithExpected(tolerance: CaseTolerance, expected: ResultValues, actual: ResultValues): Comparison {
  const check = new Checker(tolerance.rtol, tolerance.atol_rel_to_max, tolerance.zero_atol ?? {});

  if (expected.output !== undefined) check.array('output', expected.output, actual.output);
  if (expected.loss !== undefined) check.scalar('loss', '', expected.loss, actual.loss);
  if (expected.input_grad !== undefined) check.array('input_grad', expected.input_grad, actual.input_grad);
  for (const [name, e] of Object.entries(expected.param_grads ?? {})) {
    check.array(`param_grads.${name}`, e, actual.param_grads?.[name]);
  }
  for (const [name, e] of Object.entries(expected.running_stats ?? {})) {
    check.array(name, e, actual.running_stats?.[name]);
  }
  if (expected.layer_output_grad_norms !== undefined) {
    check.profile('layer_output_grad_norms', expected.layer_output_grad_norms, actual.layer_output_grad_norms);
  }
  for (const [name, e] of Object.entries(expected.param_grad_norms ?? {})) {
    check.scalar(`param_grad_norms.${name}`, '', e, actual.param_grad_norms?.[name]);
  }
  for (const [layer, e] of Object.entries(expected.timestep_hidden_grad_norms ?? {})) {
    check.profile(`timestep_hidden_grad_norms.${layer}`, e, actual.timestep_hidden_grad_norms?.[layer]);
  }

  check.summarize();
  return { pass: check.failures.length === 0, failures: check.failures, worstRatio: check.worstRatio };
}
