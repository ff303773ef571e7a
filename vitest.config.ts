import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration and e2e suites each start Java (DynamoDB Local); two at once is what 2 cores carry.
    maxWorkers: 2,
  },
});
