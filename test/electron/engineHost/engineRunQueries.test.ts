// EngineRun queries with real host processes and the real addon: outputs of a paused
// run equal the same network trained in this process, bit for bit; a finished run's
// weights arrive with its final state, and a new host started from them answers as
// the old one did; Jacobian spectra descend; a query dies with its host.
import { describe, expect, it } from 'vitest';

import { makeDataset } from '../../../core/datasets/catalog.ts';
import { prepareRun } from '../../../electron/engine/trainer.ts';
import { EngineRun, type EngineJob } from '../../../electron/engineHost/engineRun.ts';
import type { HostChannel, HostLauncher } from '../../../electron/engineHost/launcher.ts';
import { NodeHostLauncher } from '../../../electron/engineHost/nodeLauncher.ts';
import { Recorder, smallJob } from './fixtures.ts';

/** The real launcher, keeping the last channel (to reach its process). */
class KeepingLauncher implements HostLauncher {
  last: HostChannel | null = null;
  private readonly inner = new NodeHostLauncher();
  launch(): HostChannel {
    this.last = this.inner.launch();
    return this.last;
  }
}

/** `job` trained `steps` steps in this process: what a host must reproduce bit for bit. */
function inProcess(job: EngineJob, steps: number) {
  if ('csv' in job.dataset) throw new Error('built-in data sets only');
  const run = prepareRun(job.network, job.settings, makeDataset(job.dataset.name, job.dataset.options));
  run.net.runSteps(steps);
  return run;
}

const bytes = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const inputs = Float32Array.from({ length: 2 * 200 }, (_, i) => Math.cos(i * 0.37) * 1.2);

describe('EngineRun queries with a host process', () => {
  it('predicts while paused exactly as the same job trained in this process', async () => {
    const job = smallJob({ steps: 1000 });
    const rec = new Recorder();
    const run = new EngineRun(new NodeHostLauncher(), job, rec);
    await run.start();
    run.train(137);
    await rec.next('paused');
    const output = await run.predict(inputs, 200);
    expect(output).toHaveLength(200 * 3);
    expect(bytes(output)).toEqual(bytes(inProcess(job, 137).net.predict(inputs, 200)));
    // The run trains on after answering, and its answers follow the weights.
    run.train(10);
    await rec.next('paused');
    expect(bytes(await run.predict(inputs, 200))).toEqual(bytes(inProcess(job, 147).net.predict(inputs, 200)));
    await run.stop();
  });

  it("hands a finished run's weights over with its final state; a host started from them answers as the run would have", async () => {
    const job = smallJob({ steps: 120 });
    const rec = new Recorder();
    const run = new EngineRun(new NodeHostLauncher(), job, rec);
    await run.start();
    run.train();
    const final = await rec.next('completed');
    const expected = inProcess(job, 120);
    const params = expected.net.getParams();
    expect(Object.keys(final.weights!).sort()).toEqual(Object.keys(params).sort());
    for (const name of Object.keys(params)) expect(bytes(final.weights![name])).toEqual(bytes(params[name]));

    const again = new EngineRun(new NodeHostLauncher(), { ...job, weights: final.weights! }, new Recorder());
    await again.start();
    expect(bytes(await again.predict(inputs, 200))).toEqual(bytes(expected.net.predict(inputs, 200)));
    const spectra = await again.jacobian(inputs.subarray(0, 2 * 16), 16);
    expect(spectra.samples).toBe(16);
    for (let s = 0; s < 16; s++) {
      const [a, b] = spectra.network.subarray(s * 2, s * 2 + 2);
      expect(a).toBeGreaterThanOrEqual(b);
      expect(b).toBeGreaterThanOrEqual(0);
    }
    const weights = await again.weights();
    for (const name of Object.keys(params)) expect(bytes(weights[name])).toEqual(bytes(params[name]));
    await again.stop();
  });

  it('rejects a pending query when its host is killed, and the run fails', async () => {
    const launcher = new KeepingLauncher();
    const rec = new Recorder();
    const run = new EngineRun(launcher, smallJob(), rec);
    await run.start();
    const big = new Float32Array(2 * 1_000_000);
    const asked = run.predict(big, 1_000_000).catch((e: unknown) => e);
    process.kill(launcher.last!.pid!, 'SIGKILL');
    expect(await asked).toMatchObject({ code: 'internal', message: expect.stringContaining('SIGKILL') });
    expect(run.state).toBe('failed');
  });
});
