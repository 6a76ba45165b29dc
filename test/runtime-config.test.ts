import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../shared/errors";
import { mapWithConcurrency, numberFromEnv, readRuntimeConfig, requiredFromEnv } from "../shared/runtime";

/**
 * The runtime's configuration and concurrency helper with exact values (issue 16, mutation testing).
 */
const env = { INTEGRATION_NAME: "akeneo-main", CONNECTOR_TYPE: "akeneo-products", DLQ_URL: "https://sqs/dlq", ALERTS_QUEUE_URL: "https://sqs/alerts" };

describe("Function: readRuntimeConfig", () => {
  it("fills the defaults when only the stack's variables are set", () => {
    expect(readRuntimeConfig(env)).toEqual({
      integration: "akeneo-main",
      connector: "akeneo-products",
      queueUrl: undefined,
      dlqUrl: "https://sqs/dlq",
      alertsQueueUrl: "https://sqs/alerts",
      maxReceiveCount: 5,
      integrationSecretName: undefined,
      oroSecretName: undefined,
      settings: {},
      recordConcurrency: 10,
      backoffBaseSeconds: 10,
      backoffCapSeconds: 900,
      deadlineMarginMs: 3_000,
      fifo: false,
    });
  });

  it("reads every variable, and knows a FIFO queue by its URL", () => {
    const config = readRuntimeConfig({
      ...env,
      QUEUE_URL: "https://sqs/q.fifo",
      MAX_RECEIVE_COUNT: "8",
      INTEGRATION_SECRET_NAME: "akeneo/main",
      ORO_SECRET_NAME: "oro/main",
      CONNECTOR_SETTINGS: '{"schedule":"rate(15 minutes)"}',
      RECORD_CONCURRENCY: "0",
      BACKOFF_BASE_SECONDS: "3",
      BACKOFF_CAP_SECONDS: "30",
      DEADLINE_MARGIN_MS: "1500",
    });
    expect(config).toEqual({
      integration: "akeneo-main",
      connector: "akeneo-products",
      queueUrl: "https://sqs/q.fifo",
      dlqUrl: "https://sqs/dlq",
      alertsQueueUrl: "https://sqs/alerts",
      maxReceiveCount: 8,
      integrationSecretName: "akeneo/main",
      oroSecretName: "oro/main",
      settings: { schedule: "rate(15 minutes)" },
      recordConcurrency: 1,
      backoffBaseSeconds: 3,
      backoffCapSeconds: 30,
      deadlineMarginMs: 1_500,
      fifo: true,
    });
    expect(readRuntimeConfig({ ...env, QUEUE_URL: "https://sqs/q" }).fifo).toBe(false);
    expect(readRuntimeConfig({ ...env, QUEUE_URL: "https://sqs/q.fifo" }, { fifo: false, queueUrl: "https://sqs/other" })).toMatchObject({
      fifo: false,
      queueUrl: "https://sqs/other",
    });
  });

  it("names a missing variable and settings that are not JSON", () => {
    for (const name of Object.keys(env)) {
      const partial: Record<string, string> = { ...env };
      delete partial[name];
      expect(() => readRuntimeConfig(partial), name).toThrow(
        new ConfigurationError(`environment variable ${name} is not set: the CDK stack sets it on every connector function`),
      );
    }
    expect(() => readRuntimeConfig({ ...env, CONNECTOR_SETTINGS: "{nope" })).toThrow(
      new ConfigurationError("environment variable CONNECTOR_SETTINGS is not valid JSON"),
    );
  });
});

describe("Function: numberFromEnv / requiredFromEnv", () => {
  it("takes a non-negative number, the fallback when unset or empty, and names a bad value", () => {
    expect(numberFromEnv({ N: "0" }, "N", 9)).toBe(0);
    expect(numberFromEnv({ N: "2.5" }, "N", 9)).toBe(2.5);
    expect(numberFromEnv({ N: "" }, "N", 9)).toBe(9);
    expect(numberFromEnv({}, "N", 9)).toBe(9);
    for (const raw of ["-1", "abc", "Infinity"])
      expect(() => numberFromEnv({ N: raw }, "N", 9), raw).toThrow(
        new ConfigurationError(`environment variable N must be a non-negative number, got "${raw}"`),
      );
  });
  it("requires a non-empty value and says who sets it", () => {
    expect(requiredFromEnv({ A: "x" }, "A")).toBe("x");
    expect(() => requiredFromEnv({ A: "" }, "A", "the test sets it")).toThrow(new ConfigurationError("environment variable A is not set: the test sets it"));
  });
});

describe("Function: mapWithConcurrency", () => {
  it("keeps results in input order with at most `concurrency` tasks in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapWithConcurrency([30, 10, 20, 5, 15], 2, async (ms, index) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      return `${index}:${ms}`;
    });
    expect(results).toEqual(["0:30", "1:10", "2:20", "3:5", "4:15"]);
    expect(peak).toBe(2);
  });
  it("runs one at a time for a concurrency below 1, and returns [] for no items", async () => {
    let peak = 0;
    let inFlight = 0;
    await mapWithConcurrency([1, 2, 3], 0, async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
    });
    expect(peak).toBe(1);
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });
  it("a task that throws instead of rejecting rejects the returned promise (the call itself does not throw), all at once or in a pool", async () => {
    for (const concurrency of [3, 1]) {
      const started: number[] = [];
      const task = (n: number): Promise<number> => {
        started.push(n);
        if (n === 2) throw new RangeError(`task ${n}`);
        return Promise.resolve(n);
      };
      let result: Promise<number[]> | undefined;
      expect(() => (result = mapWithConcurrency([1, 2, 3], concurrency, task))).not.toThrow();
      await expect(result).rejects.toThrow("task 2");
      // The items after the throwing one are not started, as when the throw came out of an async function.
      expect(started).toEqual([1, 2]);
    }
  });
});
