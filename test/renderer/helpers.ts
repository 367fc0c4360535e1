/**
 * Shared pieces of the renderer tests: trace chunks of a small made-up run, a
 * LabClient over any LabBackend (the real LabService, in-process), and that
 * service installed behind the stores for each test of a file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach } from 'vitest';

import type {
  LabEvent,
  LabEvents,
  LabMethod,
  LabParams,
  LabResults,
} from '../../core/api/labApi.ts';
import type { TraceChunk } from '../../core/traces/chunk.ts';
import { allocateTraceColumns, type TraceColumns } from '../../core/traces/metrics.ts';
import type { LabBackend } from '../../electron/service/labBackend.ts';
import { LabService } from '../../electron/service/labService.ts';
import { installLab } from '../../renderer/src/api/api.ts';
import type { LabTransport } from '../../renderer/src/api/transport.ts';
import { useProjectStore } from '../../renderer/src/stores/project.ts';

export const NODE_IDS = ['x', 'd1', 's1', 'd2'];
export const PARAM_NAMES = ['d1.weight', 'd1.bias', 'd2.weight', 'd2.bias'];

/**
 * The columns of `steps` training steps from `stepFrom`, every step traced, loss =
 * 1 / (step + 1) and out_grad_norm of node k = 10^-k * (step + 1), so values
 * identify where they came from.
 */
function fill(stepFrom: number, steps: number): TraceColumns {
  const cols = allocateTraceColumns(steps, NODE_IDS, PARAM_NAMES, false, steps);
  for (let i = 0; i < steps; i++) {
    const step = stepFrom + i;
    cols.steps[i] = step;
    cols.metrics.loss[i] = 1 / (step + 1);
    for (let k = 0; k < NODE_IDS.length; k++) cols.metrics.out_grad_norm[i * NODE_IDS.length + k] = 10 ** -k * (step + 1);
  }
  return cols;
}

/** A chunk of `steps` steps from `stepFrom` (see fill). */
export function makeChunk(stepFrom: number, steps: number): TraceChunk {
  const c = fill(stepFrom, steps);
  return { stepFrom, rowFrom: stepFrom, steps: c.steps, metrics: c.metrics, histogram: c.histogram };
}

/** The TraceColumns of steps 0 .. steps-1 (what runs.traces returns for such a run). */
export function makeColumns(steps: number): TraceColumns {
  return fill(0, steps);
}

/** A LabTransport that calls a LabBackend directly (always 'open'). */
export function backendClient(backend: LabBackend): LabTransport {
  return {
    connection: 'open',
    onConnection: () => () => {},
    invoke<M extends LabMethod>(method: M, params: LabParams<M>): Promise<LabResults[M]> {
      return backend.dispatch(method, params);
    },
    on<E extends LabEvent>(event: E, listener: (payload: LabEvents[E]) => void): () => void {
      return backend.subscribe((name: LabEvent, payload: unknown) => {
        if (name === event) listener(payload as LabEvents[E]);
      });
    },
    close() {},
  };
}

/**
 * A fresh LabService (in-process, browser mode, no autosave) behind the renderer's
 * stores for every test of the calling file, the project store loaded and listening.
 * Returns a getter of the current service.
 */
export function useRealLab(prefix: string): () => LabService {
  let dir = '';
  let service: LabService | null = null;
  let off: () => void = () => {};
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    service = new LabService({ mode: 'browser', dataDir: dir, autosaveMs: 0 });
    installLab(backendClient(service));
    setActivePinia(createPinia());
    const project = useProjectStore();
    off = project.listen();
    await project.load();
  });
  afterEach(async () => {
    off();
    await service?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!service) throw new Error('useRealLab: no test is running');
    return service;
  };
}
