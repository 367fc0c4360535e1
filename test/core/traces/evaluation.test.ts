// The evaluation series: when a run evaluates its test part, how evaluation rows
// travel in chunks (merged, appended, checked), and how they are stored in a project.
import { describe, expect, it } from 'vitest';

import { encodedTracesSchema } from '../../../core/project/schema.ts';
import { decodeTraces, encodeTraces } from '../../../core/project/traceCodec.ts';
import { TraceAccumulator } from '../../../core/traces/accumulator.ts';
import { mergeChunks, type TraceChunk } from '../../../core/traces/chunk.ts';
import {
  EVALUATED_ROWS_PER_TRAINED_ROW,
  MAX_EVALUATIONS,
  evaluationInterval,
  isEvaluationStep,
  lastEvaluation,
  nextEvaluationStep,
} from '../../../core/traces/evaluation.ts';
import { RECURRENT_METRIC_IDS, TRACE_METRIC_IDS } from '../../../core/traces/metrics.ts';

/** A chunk of `steps` untraced steps from `stepFrom`, with evaluations at `evaluated` (numbered from `from`). */
function chunk(stepFrom: number, steps: number, from: number, evaluated: number[]): TraceChunk {
  const metrics = Object.fromEntries(
    [...TRACE_METRIC_IDS, ...RECURRENT_METRIC_IDS].map((id) => [id, new Float32Array(id === 'loss' || id === 'accuracy' ? steps : 0)]),
  ) as TraceChunk['metrics'];
  const c: TraceChunk = { stepFrom, rowFrom: 0, steps: new Int32Array(0), metrics, histogram: new Uint32Array(0) };
  if (evaluated.length === 0) return c;
  return {
    ...c,
    evaluation: {
      from,
      steps: Int32Array.from(evaluated),
      metrics: { test_loss: Float32Array.from(evaluated, (s) => 1 / (1 + s)), test_accuracy: Float32Array.from(evaluated, (s) => s / 100) },
    },
  };
}

describe('when a run evaluates', () => {
  it('at most MAX_EVALUATIONS times, on traced steps', () => {
    const interval = evaluationInterval({ steps: 50_000, traceEvery: 7, batchSize: 32, testRows: 10 });
    expect(interval % 7).toBe(0);
    expect(Math.ceil(50_000 / interval)).toBeLessThanOrEqual(MAX_EVALUATIONS);
  });

  it('less often when the test part is large next to a batch, so evaluating stays a small share of the work', () => {
    const small = evaluationInterval({ steps: 1000, traceEvery: 1, batchSize: 32, testRows: 40 });
    const large = evaluationInterval({ steps: 1000, traceEvery: 1, batchSize: 32, testRows: 4000 });
    expect(small).toBe(10);
    expect(large).toBe(500);
    expect(4000 / (large * 32)).toBeLessThanOrEqual(EVALUATED_ROWS_PER_TRAINED_ROW);
  });

  it('at step 0, every interval and the last step, however the steps divide', () => {
    const evaluated = Array.from({ length: 26 }, (_, s) => s).filter((s) => isEvaluationStep(s, 10, 25));
    expect(evaluated).toEqual([0, 10, 20, 25]);
    expect([0, 9, 10, 21, 25].map((s) => nextEvaluationStep(s, 10, 25))).toEqual([10, 10, 20, 25, 25]);
  });
});

describe('evaluations in chunks', () => {
  it('merge and append in order, a chunk of evaluations alone included', () => {
    const merged = mergeChunks(chunk(0, 0, 0, [0]), chunk(0, 10, 1, [10]));
    expect(Array.from(merged.evaluation!.steps)).toEqual([0, 10]);
    const acc = new TraceAccumulator([], []);
    acc.append(merged);
    acc.append(chunk(10, 5, 0, [])); // training steps only
    acc.append(chunk(15, 0, 2, [15]));
    expect(acc.stepCount).toBe(15);
    expect(acc.evaluationCount).toBe(3);
    const ev = acc.columnsSoFar().evaluation!;
    expect(Array.from(ev.steps)).toEqual([0, 10, 15]);
    expect(lastEvaluation(ev)).toEqual({ step: 15, loss: Math.fround(1 / 16), accuracy: Math.fround(0.15) });
  });

  it('refuse a gap, a repeat or a step that goes back, leaving the run as it was', () => {
    const acc = new TraceAccumulator([], []);
    acc.append(chunk(0, 10, 0, [0, 10]));
    expect(() => acc.append(chunk(10, 5, 3, [15]))).toThrow(/evaluations start at 3; expected 2/);
    expect(() => acc.append(chunk(10, 5, 2, [10]))).toThrow(/evaluation at step 10 does not come after step 10/);
    expect(() => mergeChunks(chunk(0, 0, 0, [0]), chunk(0, 10, 2, [10]))).toThrow(/not consecutive/);
    expect(acc.stepCount).toBe(10);
    expect(acc.evaluationCount).toBe(2);
  });

  it('a run without a test part has no evaluation columns', () => {
    const acc = new TraceAccumulator([], []);
    acc.append(chunk(0, 10, 0, []));
    expect(acc.columnsSoFar().evaluation).toBeUndefined();
  });
});

describe('evaluations in a project file', () => {
  const acc = new TraceAccumulator([], []);
  acc.append(chunk(0, 20, 0, [0, 10, 20]));
  const cols = acc.columnsSoFar();

  it('are stored exactly and read back', () => {
    const back = decodeTraces(encodedTracesSchema.parse(JSON.parse(JSON.stringify(encodeTraces(cols)))));
    expect(back.evaluation!.steps).toEqual(cols.evaluation!.steps);
    expect(back.evaluation!.metrics.test_loss).toEqual(cols.evaluation!.metrics.test_loss);
    expect(back.evaluation!.metrics.test_accuracy).toEqual(cols.evaluation!.metrics.test_accuracy);
  });

  it('traces written before evaluations existed (no evaluation field) still read, without evaluations', () => {
    const { evaluation, ...older } = encodeTraces(cols);
    expect(evaluation).toBeDefined();
    expect(decodeTraces(encodedTracesSchema.parse(older)).evaluation).toBeUndefined();
  });

  it('a column that does not fit the evaluations is refused with its path', () => {
    const encoded = encodeTraces(cols);
    const short = encodeTraces({ ...cols, evaluation: { ...cols.evaluation!, metrics: { ...cols.evaluation!.metrics, test_loss: new Float32Array(2) } } });
    const broken = { ...encoded, evaluation: { ...encoded.evaluation!, metrics: { ...encoded.evaluation!.metrics, test_loss: short.evaluation!.metrics.test_loss } } };
    const result = encodedTracesSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['evaluation', 'metrics', 'test_loss', 'length'], message: 'is 2; the 3 evaluations need 3' });
  });
});
