import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // The native addon and the CLI subprocess tests are CPU-heavy; two workers match CI's two cores.
    pool: 'forks',
    maxWorkers: 2,
  },
});
