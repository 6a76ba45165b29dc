import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Integration suites start in-process servers (fauxqs, sandboxes); two cores, so keep the pool small.
    pool: "forks",
    maxWorkers: 2,
    // Generous: CI's 2 cores also run cfn-lint, PHPUnit and CDK synths beside the suites, and a
    // test that passes slowly must not fail on a loaded machine. Speed is measured in benchmarks.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      POWERTOOLS_DEV: "false",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
    },
  },
});
