import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createEnvelope } from "../shared/messages";
import { createMetrics, createRootLogger, InvocationMetrics } from "../shared/observability";
import { processBatch, type QueueActions, readRuntimeConfig } from "../shared/runtime";
import { testConnector } from "./fixtures/test-connector";

/**
 * The visibility change a transient failure gets, through the connector runtime, for a given SQS
 * receive count with a fixed random (issue 16, gap 3): full jitter over min(cap, base * 2^(n-1)),
 * rounded, at least 1 s. A backoff stuck at the first attempt, or one that ignores the cap, shows
 * here as a wrong number of seconds.
 */

const record = (id: string, receiveCount: number, outcome: string): SQSRecord =>
  ({
    messageId: id,
    receiptHandle: `rh-${id}`,
    body: JSON.stringify(createEnvelope({ id: `e-${id}`, integration: "main", connector: testConnector.type, type: "work", payload: { outcome } })),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    messageAttributes: {},
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q",
  }) as unknown as SQSRecord;

/** Runs one batch; returns the visibility change (s) per message id and the failed ids. */
const run = async (
  records: SQSRecord[],
  random: () => number,
  over: { backoffBaseSeconds?: number; backoffCapSeconds?: number; maxReceiveCount?: number } = {},
) => {
  const visibility = new Map<string, number>();
  const actions = {
    changeVisibility: async (r: SQSRecord, seconds: number) => void visibility.set(r.messageId, seconds),
    emit: async () => undefined,
    sendToDlq: async () => undefined,
  } as unknown as QueueActions;
  const config = readRuntimeConfig(
    {},
    {
      integration: "main",
      connector: testConnector.type,
      dlqUrl: "d",
      alertsQueueUrl: "a",
      recordConcurrency: 1,
      maxReceiveCount: 50,
      backoffBaseSeconds: 10,
      backoffCapSeconds: 900,
      ...over,
    },
  );
  const response = await processBatch({ Records: records }, { getRemainingTimeInMillis: () => 30_000 }, {
    connector: testConnector,
    config,
    actions,
    logger: createRootLogger("backoff-test"),
    metrics: new InvocationMetrics(createMetrics({})),
    client: () => ({}) as never,
    oro: () => ({}) as never,
    random,
  } as never);
  return { visibility: Object.fromEntries(visibility), failed: response.batchItemFailures.map((f) => f.itemIdentifier) };
};

describe("Runtime: visibility backoff of a transient failure", () => {
  it("grows with the receive count: 1 -> 8 s, 3 -> 30 s, beyond the cap -> 675 s (random 0.75, base 10 s, cap 900 s)", async () => {
    const result = await run(
      [record("r1", 1, "transient"), record("r3", 3, "transient"), record("r8", 8, "transient"), record("r40", 40, "transient")],
      () => 0.75,
    );

    // 0.75 * 10 = 7.5 -> 8; 0.75 * 40 = 30; 10 * 2^7 = 1280 > 900: 0.75 * 900 = 675; 2^39 capped alike.
    expect(result.visibility).toEqual({ r1: 8, r3: 30, r8: 675, r40: 675 });
    expect(result.failed).toEqual(["r1", "r3", "r8", "r40"]);
  });

  it("applies the jitter to the whole range: random 0 gives the 1 s floor, random 1 the full ceiling", async () => {
    expect((await run([record("a", 3, "transient")], () => 0)).visibility).toEqual({ a: 1 });
    expect((await run([record("a", 3, "transient")], () => 1)).visibility).toEqual({ a: 40 });
    expect((await run([record("a", 7, "transient")], () => 1)).visibility).toEqual({ a: 640 });
  });

  it("uses the configured base and cap", async () => {
    const result = await run([record("r1", 1, "transient"), record("r3", 3, "transient"), record("r9", 9, "transient")], () => 0.5, {
      backoffBaseSeconds: 4,
      backoffCapSeconds: 60,
    });
    // 0.5 * 4 = 2; 0.5 * 16 = 8; 4 * 256 > 60: 0.5 * 60 = 30.
    expect(result.visibility).toEqual({ r1: 2, r3: 8, r9: 30 });
  });

  it("backs off the last attempt too (SQS then moves it to the DLQ), and not a record that succeeded", async () => {
    const result = await run([record("last", 5, "transient"), record("ok", 3, "ok")], () => 0.75, { maxReceiveCount: 5 });
    expect(result.visibility).toEqual({ last: 120 });
    expect(result.failed).toEqual(["last"]);
  });
});
