// The configuration of the child vitest run that holds the addon's property cases
// (properties.cases.ts): started by properties.test.ts, so a native crash fails that
// test with its signal and output instead of killing a shared worker.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/engine/properties.cases.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
