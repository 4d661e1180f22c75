import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);
// Every sandbox a test run makes carries this instance label: the run's reapers and its leftover
// check touch only these, never a developer's own server's sandboxes or another run's.
process.env.KEIKO_INSTANCE ??= `test-${process.pid}`;
const LIBRARY_TESTS = [
  '{sandbox,store,platform,course,grader,contract,cli,proxy,bench}/**/*.test.ts',
  'app/**/*.test.ts',
];

export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    allowOnly: false,
    env: { KEIKO_INSTANCE: process.env.KEIKO_INSTANCE },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: LIBRARY_TESTS, environment: 'node', sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          globalSetup: ['./tests/support/no-leftovers.ts'],
          sequence: { groupOrder: 1 },
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          // Only tests marked concurrent (each lab of test-labs) run side by side, two at a time.
          maxConcurrency: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          globalSetup: ['./tests/support/no-leftovers.ts'],
          sequence: { groupOrder: 2 },
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
