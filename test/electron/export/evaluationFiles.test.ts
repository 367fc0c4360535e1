// A run's test evaluations in its trace files: evaluations.csv (and .parquet), and an
// evaluation block in traces.json; a run without a test part writes neither.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';

import type { TraceColumns } from '../../../core/traces/metrics.ts';
import { tracesToCsv, tracesToJson } from '../../../electron/export/traceFiles.ts';
import { writeTraceFiles } from '../../../electron/export/writeTraceFiles.ts';
import { sampleTraces } from './traceFixture.ts';

function withEvaluations(): TraceColumns {
  return {
    ...sampleTraces(),
    evaluation: {
      steps: Int32Array.of(0, 3, 7),
      metrics: { test_loss: Float32Array.of(1.25, 0.5, 0.375), test_accuracy: Float32Array.of(0.5, Number.NaN, 0.875) },
    },
  };
}

describe('test evaluations in trace files', () => {
  it('evaluations.csv has one row per evaluation, NaN left empty', () => {
    expect(tracesToCsv(withEvaluations()).evaluations).toBe('step,test_loss,test_accuracy\n0,1.25,0.5\n3,0.5,\n7,0.375,0.875\n');
  });

  it('traces.json carries them column-wise, NaN as null', () => {
    const doc = JSON.parse(tracesToJson(withEvaluations())) as { evaluation: { steps: number[]; metrics: Record<string, (number | null)[]> } };
    expect(doc.evaluation.steps).toEqual([0, 3, 7]);
    expect(doc.evaluation.metrics).toEqual({ test_loss: [1.25, 0.5, 0.375], test_accuracy: [0.5, null, 0.875] });
  });

  it('writeTraceFiles writes evaluations.csv and evaluations.parquet beside the others, and nothing of the kind without a test part', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vglab-evaluations-'));
    writeTraceFiles(join(dir, 'held'), withEvaluations(), { parquet: true });
    expect(readFileSync(join(dir, 'held', 'evaluations.csv'), 'utf8').split('\n')[0]).toBe('step,test_loss,test_accuracy');
    const buffer = readFileSync(join(dir, 'held', 'evaluations.parquet'));
    const rows = await parquetReadObjects({ file: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) });
    expect(rows.map((r) => r.step)).toEqual([0, 3, 7]);
    expect(rows.map((r) => r.test_loss)).toEqual([1.25, 0.5, 0.375]);
    writeTraceFiles(join(dir, 'plain'), sampleTraces());
    expect(existsSync(join(dir, 'plain', 'evaluations.csv'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'plain', 'traces.json'), 'utf8'))).not.toHaveProperty('evaluation');
  });
});
