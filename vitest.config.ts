import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles .vue files for the renderer's component tests; plain .ts tests are untouched.
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // The native addon and the CLI subprocess tests are CPU-heavy; two workers match CI's two cores.
    pool: 'forks',
    maxWorkers: 2,
    // Node by default; a renderer test that needs a DOM asks for happy-dom in its first line
    // (// @vitest-environment happy-dom).
    environment: 'node',
  },
});
