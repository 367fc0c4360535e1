/**
 * What evaluating a held-out test part costs: a 1000-step run with test_fraction
 * 0.2 against the same run without evaluations (test_fraction 0 on the training part
 * alone: the very same steps), best of a few repeats each, and the overhead in percent
 * of CPU time (the segments between evaluations cost a little too, beside the
 * evaluations themselves).
 *
 *   npx tsx bench/heldOut.ts [--repeats 5]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { makeDataset } from '../core/datasets/catalog.ts';
import { splitTrainTest } from '../core/datasets/dataset.ts';
import { scoreTestRows } from '../electron/engine/heldOut.ts';
import { prepareRun, trainPrepared } from '../electron/engine/trainer.ts';

const ROOT = join(import.meta.dirname, '..');
const repeatsAt = process.argv.indexOf('--repeats');
const REPEATS = repeatsAt > 0 ? Number(process.argv[repeatsAt + 1]) : 5;

interface Case {
  title: string;
  example: string;
  data: Record<string, unknown>;
  settings: Record<string, unknown>;
}

const CASES: Case[] = [
  { title: 'deep ReLU MLP, spiral 400 rows, batch 64, traces every 10', example: 'deep-relu-he.vglab', data: { n: 400, noise: 0.05, seed: 1 }, settings: { batch_size: 64, trace_every: 10 } },
  { title: 'deep ReLU MLP, spiral 400 rows, batch 64, traces every step', example: 'deep-relu-he.vglab', data: { n: 400, noise: 0.05, seed: 1 }, settings: { batch_size: 64, trace_every: 1 } },
  { title: 'deep ReLU MLP, spiral 5000 rows, batch 32, traces every 10', example: 'deep-relu-he.vglab', data: { n: 5000, noise: 0.05, seed: 1 }, settings: { batch_size: 32, trace_every: 10 } },
  { title: 'deep sigmoid MLP, spiral 2000 rows, batch 16, traces every step', example: 'deep-sigmoid-mlp.vglab', data: { n: 2000, noise: 0.05, seed: 1 }, settings: { batch_size: 16, trace_every: 1 } },
];

async function once(c: Case, testFraction: number): Promise<{ s: number; evaluations: number; evaluating: number }> {
  const project = JSON.parse(readFileSync(join(ROOT, 'examples', c.example), 'utf8')) as { network: unknown; settings: Record<string, unknown> };
  const settings = { ...project.settings, ...c.settings, steps: 1000, test_fraction: testFraction };
  const all = makeDataset('spiral', c.data);
  // Without evaluations: the training part alone, which the 0.2 run trains on step for step.
  const dataset = testFraction > 0 ? all : splitTrainTest(all, 0.2, Number(project.settings.seed ?? 0)).train;
  const run = prepareRun(project.network, settings, dataset);
  // CPU time of the process (the engine's worker thread included): on a shared machine wall time is mostly the neighbours'.
  const t0 = process.cpuUsage();
  const trained = await trainPrepared(run);
  const used = process.cpuUsage(t0);
  const s = (used.user + used.system) / 1e6;
  const evaluations = trained.traces.evaluation?.steps.length ?? 0;
  // The evaluations' own time, less noisy than a difference of wall times: one evaluation, timed, times their count.
  let evaluating = 0;
  if (run.heldOut) {
    const t1 = process.cpuUsage();
    for (let i = 0; i < 20; i++) scoreTestRows(run.net, run.heldOut);
    const spent = process.cpuUsage(t1);
    evaluating = ((spent.user + spent.system) / 20 / 1e6) * evaluations;
  }
  return { s, evaluations, evaluating };
}

/** Best of REPEATS for each fraction, the two interleaved so a busy moment of the machine hits both alike. */
async function compare(c: Case): Promise<{ plain: number; held: number; evaluations: number; evaluating: number }> {
  await once(c, 0.2); // warm-up: the JIT and the caches
  let plain = Infinity;
  let held = Infinity;
  let evaluations = 0;
  let evaluating = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    plain = Math.min(plain, (await once(c, 0)).s);
    const h = await once(c, 0.2);
    held = Math.min(held, h.s);
    evaluating = Math.min(evaluating, h.evaluating);
    evaluations = h.evaluations;
  }
  return { plain, held, evaluations, evaluating };
}

for (const c of CASES) {
  const r = await compare(c);
  const plain = { s: r.plain };
  const held = { s: r.held, evaluations: r.evaluations };
  const overhead = (100 * (held.s - plain.s)) / plain.s;
  console.log(
    `${c.title}\n  without evaluations: ${(plain.s * 1000).toFixed(1)} ms   test_fraction 0.2: ${(held.s * 1000).toFixed(1)} ms ` +
      `(${held.evaluations} evaluations, ${(r.evaluating * 1000).toFixed(1)} ms in them: ${((100 * r.evaluating) / plain.s).toFixed(1)}%)` +
      `   overhead ${overhead.toFixed(1)}% (CPU time)`,
  );
}
