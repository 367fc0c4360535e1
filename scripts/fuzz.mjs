#!/usr/bin/env node
// Builds the libFuzzer targets of native/fuzz with clang (address + undefined
// sanitizers, into out/native-fuzz) and runs each for a bounded time, starting from
// the seed corpus in native/fuzz/corpus/<target>/. Fails on any crash, sanitizer
// report, leak, timeout or out-of-memory; the input that caused it is saved under
// out/native-fuzz/artifacts/ with the command that replays it.
//
// Usage: node scripts/fuzz.mjs [--seconds=N] [--target=NAME]...
//   --seconds   time per target (default: $VGLAB_FUZZ_SECONDS, else 60)
//   --target    run only this target (repeatable); default: all of them
// The targets run side by side, one process each, so the wall time is about
// `seconds` whatever their number (CI has two cores, and there are two targets).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

const TARGETS = {
  // max_len: the spec target reads a few hundred bytes at most; CSV seeds are small
  // files, and longer inputs only slow each run without reaching new code.
  plan_fuzz: { maxLen: 1024 },
  csv_fuzz: { maxLen: 4096 },
};

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'out', 'native-fuzz');
const args = process.argv.slice(2);
const option = (name) => args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
const seconds = Number(option('seconds')[0] ?? process.env.VGLAB_FUZZ_SECONDS ?? 60);
if (!Number.isInteger(seconds) || seconds < 1) {
  console.error(`fuzz: --seconds must be a whole number of seconds, got ${seconds}`);
  process.exit(2);
}
const wanted = option('target');
for (const t of wanted) {
  if (!(t in TARGETS)) {
    console.error(`fuzz: unknown target "${t}" (${Object.keys(TARGETS).join(', ')})`);
    process.exit(2);
  }
}
const targets = wanted.length ? wanted : Object.keys(TARGETS);

function run(cmd, argv, env = process.env) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', env, cwd: root });
  if (r.error) {
    console.error(`fuzz: ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (spawnSync('clang++', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error('fuzz: clang++ is not installed; libFuzzer needs clang (Debian: apt-get install clang libclang-rt-dev)');
  process.exit(1);
}

const env = { ...process.env, CC: 'clang', CXX: 'clang++' };
const jobs = String(Math.max(1, Math.min(cpus().length, 4)));
const started = performance.now();
run('cmake', ['-S', '.', '-B', dir, '-DVGLAB_FUZZ=ON', '-DVGLAB_SANITIZE=ON', '-DCMAKE_BUILD_TYPE=Release',
  '-DCMAKE_CXX_COMPILER=clang++'], env);
run('cmake', ['--build', dir, '-j', jobs, '--target', ...targets], env);
console.log(`fuzz: built ${targets.join(', ')} in ${((performance.now() - started) / 1000).toFixed(0)} s`);

function fuzz(target) {
  const seeds = join(root, 'native', 'fuzz', 'corpus', target);
  // New inputs go to a working copy, so a run never writes into the repository.
  const corpus = join(dir, 'corpus', target);
  const artifacts = join(dir, 'artifacts');
  mkdirSync(corpus, { recursive: true });
  mkdirSync(artifacts, { recursive: true });
  if (existsSync(seeds)) cpSync(seeds, corpus, { recursive: true });
  const argv = [
    `-max_total_time=${seconds}`,
    `-max_len=${TARGETS[target].maxLen}`,
    '-timeout=10', // seconds per input: anything slower is a bug (the parsers are linear)
    '-rss_limit_mb=2048',
    '-print_final_stats=1',
    `-artifact_prefix=${artifacts}/${target}-`,
    corpus,
  ];
  const binary = join(dir, 'native', 'fuzz', target);
  return new Promise((resolveRun) => {
    const child = spawn(binary, argv, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'pipe'],
      // halt_on_error: the first report ends the run; UBSan's reports are fatal by
      // the build flags already (-fno-sanitize-recover=all).
      env: { ...process.env, ASAN_OPTIONS: 'halt_on_error=1:abort_on_error=1', UBSAN_OPTIONS: 'print_stacktrace=1' },
    });
    // libFuzzer writes a status line for every new input; only the periodic and final
    // ones are shown (two targets interleave), everything else (reports) in full.
    let tail = '';
    let partial = '';
    const show = (line) => {
      if (!/^#\d+\s+(NEW|REDUCE)\b/.test(line)) process.stderr.write(`[${target}] ${line}\n`);
    };
    child.stderr.on('data', (chunk) => {
      tail = (tail + chunk).slice(-20000);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      lines.forEach(show);
    });
    child.on('close', (code, signal) => {
      if (partial) show(partial);
      resolveRun({ target, code, signal, tail, artifacts, binary });
    });
  });
}

const results = await Promise.all(targets.map(fuzz));
let failed = 0;
for (const r of results) {
  if (r.code === 0) {
    const units = /stat::number_of_executed_units:\s*(\d+)/.exec(r.tail)?.[1] ?? '?';
    console.log(`fuzz: ${r.target}: no crash in ${seconds} s (${units} inputs)`);
    continue;
  }
  ++failed;
  const crashes = readdirSync(r.artifacts)
    .filter((f) => f.startsWith(`${r.target}-`))
    .map((f) => join(r.artifacts, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  console.error(`fuzz: ${r.target} FAILED (exit ${r.code ?? r.signal})`);
  if (crashes.length) console.error(`fuzz: the input is ${crashes[0]}; replay it with:\n  ${r.binary} ${crashes[0]}`);
}
process.exit(failed ? 1 : 0);
