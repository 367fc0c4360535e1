/**
 * `npm run bench`: training steps per second on W1-W7 (shared/bench/WORKLOADS.md),
 * traces on and off, one thread, and sgemm GFLOP/s at n = 256, 512, 1024.
 *
 *   npm run bench                      a table
 *   npm run bench -- --json            one JSON object per line
 *   npm run bench -- --compare-torch   also runs torch_bench.py (and numpy's sgemm) in
 *                                      the same run and prints the ratios
 * Options: --seconds S (per timed run, default 2), --workloads W1,W3, --no-gemm, --no-charts,
 *          --torch-script PATH (default ../shared/bench/torch_bench.py), --python PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchCharts, CHART_LAYERS, CHART_STEPS } from './charts.ts';
import { loadAddon } from '../electron/engine/addon.ts';
import { type Workload, workloads } from './workloads.ts';

interface Args {
  json: boolean;
  compareTorch: boolean;
  seconds: number;
  repeats: number;
  warmup: number;
  only: string[] | null;
  gemm: boolean;
  charts: boolean;
  torchScript: string;
  python: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv: string[]): Args {
  const a: Args = {
    json: false,
    compareTorch: false,
    seconds: 2,
    repeats: 3,
    warmup: 20,
    only: null,
    gemm: true,
    charts: true,
    torchScript: resolve(root, '..', 'shared', 'bench', 'torch_bench.py'),
    python: '/usr/bin/python3',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') a.json = true;
    else if (arg === '--compare-torch') a.compareTorch = true;
    else if (arg === '--seconds') a.seconds = Number(value());
    else if (arg === '--repeats') a.repeats = Number(value());
    else if (arg === '--workloads') a.only = value().split(',');
    else if (arg === '--no-gemm') a.gemm = false;
    else if (arg === '--no-charts') a.charts = false;
    else if (arg === '--torch-script') a.torchScript = value();
    else if (arg === '--python') a.python = value();
    else throw new Error(`unknown option ${arg}`);
  }
  if (!(a.seconds > 0)) throw new Error('--seconds must be positive');
  return a;
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

/**
 * One timed figure, WORKLOADS.md's protocol: a fresh network, 20 warm-up steps, then
 * steps back to back until `seconds` have passed; steps / elapsed.
 */
/**
 * Trace levels measured: "full" records everything the lab shows (norms, activation
 * statistics, histograms) on every step; "norms" records exactly what WORKLOADS.md's
 * "traces on" asks of every implementation (loss, each parameter's gradient norm, each
 * layer's output-gradient norm, per-timestep norms); "off" traces nothing.
 */
type TraceLevel = 'full' | 'norms' | 'off';
const LEVELS: TraceLevel[] = ['full', 'norms', 'off'];

function measureOnce(w: Workload, level: TraceLevel, args: Args): number {
  const { Network } = loadAddon();
  const net = new Network(w.spec, { seed: 0 });
  net.setData(w.x, w.rows, w.targets);
  net.setOptimizer(w.optimizer);
  net.configure({
    batch_size: w.rows,
    trace_every: level === 'off' ? 2 ** 40 : 1,
    histogram: level === 'full',
    activation_stats: level === 'full',
  });
  for (let i = 0; i < args.warmup; i++) net.step();
  const t0 = performance.now();
  let steps = 0;
  let elapsed = 0;
  do {
    net.step();
    steps++;
    elapsed = (performance.now() - t0) / 1000;
  } while (elapsed < args.seconds);
  return steps / elapsed;
}

interface TorchFigure {
  workload: string;
  traces: string;
  steps_per_s: number;
}

/** One round of torch_bench.py over `ids` (one timed run each, like run_all.sh's rounds). */
function runTorch(args: Args, ids: string[], traces: 'on' | 'off'): Map<string, number> {
  const out = new Map<string, number>();
  const r = spawnSync(
    args.python,
    [args.torchScript, '--workload', ids.join(','), '--threads', '1', '--traces', traces, '--seconds', String(args.seconds), '--repeats', '1'],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`torch_bench.py failed: ${r.stderr || r.error?.message}`);
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const fig = JSON.parse(line) as TorchFigure;
    if (fig.workload && typeof fig.steps_per_s === 'number') out.set(fig.workload, fig.steps_per_s);
  }
  return out;
}

/** numpy's sgemm (OpenBLAS on Debian) on one thread, GFLOP/s, median of 3 runs. */
function runNumpyGemm(args: Args, n: number): number | null {
  const script = `
import os, time, statistics
import numpy as np
n=${n}; a=np.random.rand(n,n).astype(np.float32); b=np.random.rand(n,n).astype(np.float32)
for _ in range(3): a@b
rates=[]
for _ in range(3):
    t0=time.perf_counter(); k=0
    while True:
        a@b; k+=1; el=time.perf_counter()-t0
        if el>=${Math.max(0.5, args.seconds / 2)}: break
    rates.append(2*n**3*k/el/1e9)
print(statistics.median(rates))
`;
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(args.python, ['-c', script], { encoding: 'utf8', env });
  if (r.status !== 0) return null;
  const v = Number(r.stdout.trim());
  return Number.isFinite(v) ? v : null;
}

/**
 * Targets from the engine and recurrent issues, as ratios against PyTorch measured in
 * the same run: with traces on (PyTorch unrolled with cells for W5-W7), and for W5-W7
 * also without (PyTorch's fused nn.LSTM / nn.GRU / nn.RNN).
 */
const TARGETS_ON: Record<string, number> = { W1: 5, W2: 1.5, W3: 1.0, W4: 2, W5: 3, W6: 3, W7: 3 };
const TARGETS_OFF: Record<string, number> = { W5: 1, W6: 1, W7: 1 };

function fmt(x: number | undefined, digits = 1): string {
  return x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const addon = loadAddon();
  const list = workloads().filter((w) => !args.only || args.only.includes(w.id));
  if (args.compareTorch && !existsSync(args.torchScript)) {
    throw new Error(`--compare-torch: ${args.torchScript} not found (use --torch-script PATH)`);
  }
  if (!args.json) console.log(`vglab bench: ISA ${addon.isa()}, 1 thread, median of ${args.repeats} rounds of ${args.seconds} s per figure`);

  // Three rounds over the whole list, ours and PyTorch's interleaved, so a slow spell
  // of this shared machine hits one run of a figure rather than all of them.
  type Runs = Record<TraceLevel, number[]>;
  const ours = new Map<string, Runs>(list.map((w) => [w.id, { full: [], norms: [], off: [] }]));
  const torch = new Map<string, { on: number[]; off: number[] }>(list.map((w) => [w.id, { on: [], off: [] }]));
  for (let round = 0; round < args.repeats; round++) {
    for (const w of list) for (const level of LEVELS) ours.get(w.id)![level].push(measureOnce(w, level, args));
    if (args.compareTorch) {
      for (const mode of ['on', 'off'] as const) {
        for (const [id, rate] of runTorch(args, list.map((w) => w.id), mode)) torch.get(id)?.[mode].push(rate);
      }
    }
  }
  const torchMedian = (id: string, traces: boolean) => {
    const runs = torch.get(id)?.[traces ? 'on' : 'off'] ?? [];
    return runs.length > 0 ? median(runs) : undefined;
  };

  if (!args.json) {
    console.log('');
    console.log('workload                                   traces   steps/s   GFLOP/s   torch/s   ratio  target   trace cost');
  }
  for (const w of list) {
    const r = ours.get(w.id)!;
    for (const level of LEVELS) {
      const traces = level !== 'off';
      const rates = r[level];
      const rate = median(rates);
      const torchRate = torchMedian(w.id, traces);
      const ratio = torchRate ? rate / torchRate : undefined;
      const gflops = (rate * 3 * 2 * w.forwardMacs) / 1e9;
      const traceCost = 1 - rate / median(r.off);
      if (args.json) {
        console.log(
          JSON.stringify({
            workload: w.id,
            traces,
            ...(traces ? { trace_level: level } : {}),
            threads: 1,
            steps_per_s: rate,
            runs: rates,
            isa: addon.isa(),
            ...(torchRate ? { torch_steps_per_s: torchRate, torch_runs: torch.get(w.id)![traces ? 'on' : 'off'], ratio } : {}),
            ...(traces ? { trace_cost: traceCost } : {}),
          }),
        );
      } else {
        const goal = (traces ? TARGETS_ON : TARGETS_OFF)[w.id];
        const target = goal ? `${goal}x` : '';
        console.log(
          `${`${w.id} ${w.title}`.padEnd(42)} ${level.padEnd(6)} ${fmt(rate).padStart(9)} ${fmt(gflops).padStart(9)} ${fmt(torchRate).padStart(9)} ${fmt(ratio, 2).padStart(7)} ${target.padStart(7)} ${traces ? `${(traceCost * 100).toFixed(1)}%`.padStart(12) : ''}`,
        );
      }
    }
  }

  if (args.charts) {
    if (!args.json) console.log(`\nchart options (${CHART_STEPS.toLocaleString('en')} traced steps, ${CHART_LAYERS} layers; median build)`);
    for (const t of benchCharts()) {
      if (args.json) console.log(JSON.stringify({ chart: t.chart, steps: CHART_STEPS, layers: CHART_LAYERS, median_ms: t.medianMs }));
      else console.log(`${t.chart.padEnd(34)} ${t.medianMs.toFixed(1).padStart(8)} ms`);
    }
  }

  if (args.gemm) {
    const peak = addon.benchPeak(Math.max(0.5, args.seconds / 2));
    if (args.json) console.log(JSON.stringify({ kernel: 'fma_peak', threads: 1, gflops: peak, isa: addon.isa() }));
    else console.log(`\nsgemm (square, 1 thread; FMA peak of one core measured now: ${peak.toFixed(1)} GFLOP/s)`);
    if (!args.json) console.log('                               GFLOP/s  of peak    numpy    ratio');
    for (const n of [256, 512, 1024]) {
      const g = addon.benchSgemm(n, Math.max(0.5, args.seconds / 2));
      const np = args.compareTorch ? runNumpyGemm(args, n) : null;
      const ratio = np ? g / np : undefined;
      if (args.json) {
        console.log(
          JSON.stringify({ kernel: 'sgemm', n, threads: 1, gflops: g, fraction_of_peak: g / peak, isa: addon.isa(), ...(np ? { numpy_gflops: np, ratio } : {}) }),
        );
      } else {
        console.log(
          `n = ${String(n).padEnd(27)} ${fmt(g).padStart(8)} ${`${((100 * g) / peak).toFixed(0)}%`.padStart(8)} ${fmt(np ?? undefined).padStart(8)} ${fmt(ratio, 2).padStart(8)}`,
        );
      }
    }
  }
}

try {
  main();
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
}
