#!/usr/bin/env node
// Builds the plain C++ core with its tests (no Node headers involved) and runs ctest,
// every test once per ISA level (scalar, avx2, avx512; clamped to what the CPU has).
// Usage: node scripts/ctest.mjs   (extra args after -- go to ctest)
// The sanitized build and run (AddressSanitizer + UBSan) is scripts/ctest-sanitize.mjs.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const dashdash = process.argv.indexOf('--');
const ctestArgs = dashdash >= 0 ? process.argv.slice(dashdash + 1) : [];
const dir = 'out/core-tests';
const jobs = String(Math.max(1, Math.min(cpus().length, 4)));

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error) {
    console.error(`${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('cmake', ['-S', '.', '-B', dir, '-DVGLAB_BUILD_TESTS=ON', '-DVGLAB_SANITIZE=OFF', '-DCMAKE_BUILD_TYPE=Release']);
run('cmake', ['--build', dir, '-j', jobs]);
run('ctest', ['--test-dir', dir, '--output-on-failure', '-j', jobs, ...ctestArgs]);
