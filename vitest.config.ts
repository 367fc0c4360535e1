import vue from '@vitejs/plugin-vue';
import { configDefaults, defineConfig } from 'vitest/config';

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
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/ui/**'] },
      },
      {
        // The browser tests (a real server, engine and Chromium each) run after the others and one
        // file at a time: what they measure (no task over 100 ms while a run streams) is the page's
        // own time, not the time another test file took from Chromium on two cores.
        extends: true,
        test: { name: 'ui', include: ['test/ui/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
