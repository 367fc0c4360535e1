import vue from '@vitejs/plugin-vue';
import { configDefaults, defineConfig } from 'vitest/config';

/** Tests with a time bound in their assertions (see the 'timed' project). */
const TIMED = ['test/ui/**/*.test.ts', 'test/hardening/cancelCycles.test.ts'];

export default defineConfig({
  // Compiles .vue files for the renderer's component tests; plain .ts tests are untouched.
  plugins: [vue()],
  test: {
    testTimeout: 60_000,
    // The native addon and the CLI subprocess tests are CPU-heavy; two workers match CI's two cores.
    pool: 'forks',
    maxWorkers: 2,
    // Node by default; a renderer test that needs a DOM asks for happy-dom in its first line
    // (// @vitest-environment happy-dom).
    environment: 'node',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...TIMED] },
      },
      {
        // The tests whose bounds are times run after the others and one file at a time: the browser
        // tests (no task over 100 ms while a run streams) and 200 cancel cycles (each acknowledged
        // within 200 ms) measure the code's own time, not the time another test file took from them
        // on two cores.
        extends: true,
        test: { name: 'timed', include: TIMED, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
