// export.traces with parquet: true writes the Parquet tables beside the CSV files,
// holding the run's own float32 values (a real run in a real engine host).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LabEvents } from '../../../core/api/labApi.ts';
import { LabService } from '../../../electron/service/labService.ts';

let dir: string;
let service: LabService;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vglab-export-parquet-'));
  service = new LabService({ mode: 'headless', dataDir: join(dir, 'data'), autosaveMs: 0 });
});

afterAll(async () => {
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('export.traces', () => {
  it('adds steps, nodes and params .parquet files when asked, with the values runs.traces returns', async () => {
    const lab = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'labs', '01-see-the-vanishing.json'), 'utf8'));
    lab.id = 'export-lab';
    for (const step of lab.steps) if (step.preset) step.preset.settings.steps = 30;
    await service.dispatch('labs.openText', { text: JSON.stringify(lab), fileName: 'export.json' });
    const run = await service.dispatch('labs.startPreset', { labId: 'export-lab', presetId: 'shallow-sigmoid' });
    await new Promise<void>((resolve) => {
      const off = service.subscribe((event, payload) => {
        const r = payload as LabEvents['run.updated'];
        if (event === 'run.updated' && r.id === run.id && r.state === 'completed') {
          off();
          resolve();
        }
      });
    });

    const plain = await service.dispatch('export.traces', { runId: run.id, dir: join(dir, 'plain') });
    expect(plain.files.map((f) => basename(f))).not.toContain('steps.parquet');
    const out = join(dir, 'parquet');
    const { files } = await service.dispatch('export.traces', { runId: run.id, dir: out, parquet: true });
    expect(files.map((f) => basename(f))).toEqual(['traces.json', 'steps.csv', 'nodes.csv', 'params.csv', 'steps.parquet', 'nodes.parquet', 'params.parquet']);

    const { traces } = await service.dispatch('runs.traces', { runId: run.id });
    const bytes = readFileSync(join(out, 'params.parquet'));
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
    expect(rows).toHaveLength(traces!.steps.length * traces!.paramNames.length);
    expect(rows.map((r) => r.grad_norm)).toEqual(Array.from(traces!.metrics.grad_norm.subarray(0, rows.length)));
  }, 60_000);
});
