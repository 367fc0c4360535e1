import { describe, expect, it } from 'vitest';

import { parseProject } from '../../../core/project/migrate.ts';
import { PROJECT_FORMAT, projectSchema, type ProjectInput } from '../../../core/project/schema.ts';
import { encodeTraces, encodeTypedArray } from '../../../core/project/traceCodec.ts';
import { filledColumns, makeProject } from './helpers.ts';

/** parseProject's error for `project` (fails the test when it parses). */
function errorOf(project: unknown): string {
  const r = parseProject(JSON.stringify(project));
  if (r.ok) throw new Error('expected the project to be refused');
  return r.error;
}

describe('project schema vglab-project/1', () => {
  it('fills the defaults of the reused network and settings schemas, and an empty run list', () => {
    const { runs: _, ...noRuns } = makeProject();
    const p = projectSchema.parse(noRuns);
    expect(p.format).toBe(PROJECT_FORMAT);
    expect(p.runs).toEqual([]);
    expect(p.settings).toMatchObject({ batch_size: 32, steps: 1000, histogram: true, optimizer: { momentum: 0.9 } });
    expect(p.network.nodes[1]).toMatchObject({ params: { bias: true, init: 'xavier_uniform' } });
  });

  it('accepts a CSV data set and fills standardize', () => {
    const p = projectSchema.parse({ ...makeProject(), dataset: { csv: { fileName: 'iris.csv', target: 'species' } } });
    expect(p.dataset).toEqual({ csv: { fileName: 'iris.csv', target: 'species', standardize: false } });
  });

  it('names the network field that is wrong', () => {
    const project = makeProject();
    (project.network.nodes[1] as { params: { units: unknown } }).params.units = -3;
    expect(errorOf(project)).toMatch(/^network\.nodes\[1\]\.params\.units: /m);
  });

  it('names the settings field that is wrong, in the project and in a run', () => {
    const project = makeProject();
    project.settings = { optimizer: { type: 'sgd', lr: -1 } };
    project.runs![0].settings.batch_size = 0;
    const error = errorOf(project);
    expect(error).toMatch(/^settings\.optimizer\.lr: must be a positive number/m);
    expect(error).toMatch(/^runs\[0\]\.settings\.batch_size: must be an integer from 1/m);
  });

  it('refuses an unknown built-in data set, a wrong option and an empty CSV file name', () => {
    expect(errorOf({ ...makeProject(), dataset: { name: 'mnist', options: {} } })).toMatch(/^dataset\.name: must be one of spiral, xor/m);
    expect(errorOf({ ...makeProject(), dataset: { name: 'spiral', options: { classes: 'many' } } })).toMatch(/^dataset\.options\.classes: /m);
    expect(errorOf({ ...makeProject(), dataset: { csv: { fileName: '' } } })).toMatch(/^dataset\.csv\.fileName: must be a file name/m);
  });

  it('refuses a bad run status, a negative seed, a bad date and unknown fields', () => {
    const project = makeProject() as ProjectInput & { extra?: number };
    project.runs![0].status = 'exploded' as never;
    project.runs![0].seed = -1;
    project.createdAt = 'yesterday';
    project.extra = 1;
    const error = errorOf(project);
    expect(error).toMatch(/^runs\[0\]\.status: must be one of created, running, paused, completed, cancelled, diverged, failed/m);
    expect(error).toMatch(/^runs\[0\]\.seed: must be a whole number/m);
    expect(error).toMatch(/^createdAt: must be an ISO 8601 date/m);
    expect(error).toMatch(/^the project: unknown field "extra"/m);
  });

  it('names the trace column whose length does not fit the node list', () => {
    const project = makeProject(0, filledColumns(2, 4, 1));
    const traces = project.runs![0].traces!;
    traces.nodeIds = traces.nodeIds.slice(1);
    expect(errorOf(project)).toMatch(/^runs\[0\]\.traces\.metrics\.out_grad_norm\.length: is 20; 4 traced rows x 4 nodes need 16/m);
  });

  it('names the trace column whose base64 is cut short or not base64', () => {
    const project = makeProject(0, filledColumns(1, 3, 1));
    const traces = project.runs![0].traces!;
    // Only raw arrays have a length known before inflating.
    const loss = { ...encodeTypedArray(new Float32Array(3), 'raw') } as typeof traces.metrics.loss;
    traces.metrics.loss = loss;
    loss.base64 = loss.base64.slice(0, -4);
    expect(errorOf(project)).toMatch(/^runs\[0\]\.traces\.metrics\.loss\.base64: holds 12 characters; 3 float32 values need 16/m);
    loss.base64 = '!!!!!!!!!!!!!!!!';
    expect(errorOf(project)).toMatch(/^runs\[0\]\.traces\.metrics\.loss\.base64: must be a base64 string/m);
  });

  it('refuses a histogram of the wrong size and a column stored with the wrong type', () => {
    const cols = filledColumns(1, 2, 1);
    const project = makeProject(0, cols);
    const traces = project.runs![0].traces!;
    traces.histogram = encodeTraces({ ...cols, histogram: new Uint32Array(5) }).histogram;
    expect(errorOf(project)).toMatch(/^runs\[0\]\.traces\.histogram\.length: is 5; it must be 0 \(no histograms\) or 132/m);
    traces.histogram = encodeTraces(cols).histogram;
    traces.steps = { ...traces.steps, type: 'float32' } as never;
    expect(errorOf(project)).toMatch(/^runs\[0\]\.traces\.steps\.type: must be "int32"/m);
  });

  it('checks recurrent column lengths against their layout', () => {
    const recurrent = [{ nodeId: 'l', type: 'lstm' as const, time: 6, gates: ['i', 'f', 'g', 'o'] }];
    const project = makeProject(0, filledColumns(1, 2, 1, { recurrent }));
    project.runs![0].traces!.recurrent!.nodes[0].time = 5;
    expect(errorOf(project)).toMatch(/^runs\[0\]\.traces\.recurrent\.metrics\.timestep_grad_norm\.length: is 12; 2 traced rows x 5 need 10/m);
  });
});
