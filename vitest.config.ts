import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Starting DynamoDB Local (a JVM) beside the CDK suite's bundling can take a minute on 2 busy cores.
    hookTimeout: 300_000,
    // Integration and e2e suites each start Java (DynamoDB Local); two at once is what 2 cores carry.
    maxWorkers: 2,
  },
});
