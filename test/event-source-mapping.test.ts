import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";
import { startEventSourceMapping } from "../local-stack/event-source-mapping";
import { attemptsById, handled, testConnector } from "./fixtures/test-connector";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws.stop();
});

describe("Event source mapping emulator", () => {
  it("drains a queue through the real handler with bounded concurrency, retrying failures until they succeed", async () => {
    attemptsById.clear();
    handled.length = 0;
    const queues = await aws.createConnectorQueues("esm");
    const alertsQueueUrl = await aws.createQueue("esm-alerts");
    const handler = createConnectorHandler(testConnector, {
      env: {},
      overrides: {
        integration: "esm",
        connector: testConnector.type,
        queueUrl: queues.queueUrl,
        dlqUrl: queues.dlqUrl,
        alertsQueueUrl,
        backoffBaseSeconds: 0,
        recordConcurrency: 5,
      },
    });
    const body = (id: string, payload: Record<string, unknown>) =>
      JSON.stringify(createEnvelope({ id, integration: "esm", connector: testConnector.type, type: "work", payload }));
    for (let i = 0; i < 45; i++) await aws.send(queues.queueUrl, body(`m-${i}`, { outcome: "ok" }));
    for (let i = 0; i < 5; i++) await aws.send(queues.queueUrl, body(`flaky-${i}`, { outcome: "flaky", failTimes: 2 }));

    const esm = startEventSourceMapping({ sqs: aws.sqs, queueUrl: queues.queueUrl, handler, batchSize: 20, batchingWindowMs: 100, maxConcurrency: 3 });
    try {
      await esm.idle({ timeoutMs: 20_000 });
    } finally {
      await esm.stop();
    }

    expect(new Set(handled).size).toBe(50);
    expect([...attemptsById.entries()].filter(([id]) => id.startsWith("flaky")).every(([, n]) => n === 3)).toBe(true);
    expect(esm.stats.deleted).toBe(50);
    expect(esm.stats.failed).toBe(10);
    expect(esm.stats.peakConcurrency).toBeLessThanOrEqual(3);
    expect(esm.stats.received).toBe(60);
    // Batches above 10 are filled from several receives within the batching window.
    expect(esm.stats.invocations).toBeLessThan(60);
    const recoveries = await aws.drain(alertsQueueUrl);
    expect(recoveries).toHaveLength(5);
  });
});

describe("Event source mapping emulator: stop", () => {
  it("leaves a message sent right after stop() to the next consumer", async () => {
    const queues = await aws.createConnectorQueues("esm-stop");
    const handled: string[] = [];
    const handler = async (event: { Records: { messageId: string }[] }) => {
      handled.push(...event.Records.map((r) => r.messageId));
      return { batchItemFailures: [] };
    };
    const esm = startEventSourceMapping({ sqs: aws.sqs, queueUrl: queues.queueUrl, handler: handler as never });
    await new Promise((r) => setTimeout(r, 300));
    await esm.stop();
    await aws.send(queues.queueUrl, "after stop");
    // Visible at once to whoever polls next, not swallowed by an abandoned poll.
    expect(await aws.drain(queues.queueUrl)).toHaveLength(1);
    expect(handled).toHaveLength(0);
  });
});
