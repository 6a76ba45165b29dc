import type { SQSRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createEnvelope } from "../../shared/messages";
import { createRootLogger, createMetrics, InvocationMetrics } from "../../shared/observability";
import { processBatch, type QueueActions, readRuntimeConfig } from "../../shared/runtime";
import { testConnector } from "../fixtures/test-connector";

const record = (id: string, body: string): SQSRecord =>
  ({
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { ApproximateReceiveCount: "1" },
    messageAttributes: {},
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q",
  }) as unknown as SQSRecord;

/**
 * One batch of records `ids` through processBatch with a connector whose message table throws once
 * (a stand-in for a runtime bug no check foresaw); the records whose visibility was changed (retried).
 */
const runWithOneThrow = async (ids: string[], options: { recordConcurrency: number; failingVisibility?: boolean }) => {
  let throwsLeft = 1;
  const connector = {
    ...testConnector,
    get messages() {
      if (throwsLeft-- > 0) throw new RangeError("unforeseen");
      return testConnector.messages;
    },
  };
  const visibility: string[] = [];
  const actions = {
    changeVisibility: async (r: SQSRecord) => {
      visibility.push(r.messageId);
      if (options.failingVisibility) throw new Error("SQS down");
    },
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
      recordConcurrency: options.recordConcurrency,
      backoffBaseSeconds: 0,
    },
  );
  const body = (id: string) =>
    JSON.stringify(createEnvelope({ id, integration: "main", connector: testConnector.type, type: "work", payload: { outcome: "ok" } }));
  const response = await processBatch(
    { Records: ids.map((id, i) => record(id, body(`e${i + 1}`))) },
    { getRemainingTimeInMillis: () => 30_000 },
    {
      connector: connector as never,
      config,
      actions,
      logger: createRootLogger("guard-test"),
      metrics: new InvocationMetrics(createMetrics({})),
      client: () => ({}) as never,
      oro: () => ({}) as never,
    },
  );
  return { response, visibility };
};

describe("Function: processBatch (per-record guard)", () => {
  it("fails only the record whose processing throws where nothing should, and retries it", async () => {
    const { response, visibility } = await runWithOneThrow(["r1", "r2"], { recordConcurrency: 1 });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "r1" }]);
    expect(visibility).toEqual(["r1"]);
  });

  it("in a batch started all at once (within the record concurrency), fails only the record that throws, also when its retry's visibility change fails", async () => {
    for (const failingVisibility of [false, true]) {
      const { response, visibility } = await runWithOneThrow(["r1", "r2", "r3"], { recordConcurrency: 10, failingVisibility });
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: "r1" }]);
      expect(visibility).toEqual(["r1"]);
    }
  });

  it("a throw while setting up the batch (the Lambda context's clock) is a rejection of its promise, not a throw of the call", async () => {
    const config = readRuntimeConfig({}, { integration: "main", connector: testConnector.type, dlqUrl: "d", alertsQueueUrl: "a" });
    const deps = {
      connector: testConnector as never,
      config,
      actions: {} as QueueActions,
      logger: createRootLogger("guard-test"),
      metrics: new InvocationMetrics(createMetrics({})),
      client: () => ({}) as never,
      oro: () => ({}) as never,
    };
    const timing = {
      getRemainingTimeInMillis: () => {
        throw new TypeError("no clock");
      },
    };
    let response: Promise<unknown> | undefined;
    expect(() => (response = processBatch({ Records: [] }, timing, deps))).not.toThrow();
    await expect(response).rejects.toThrow("no clock");
    let noEvent: Promise<unknown> | undefined;
    expect(() => (noEvent = processBatch(undefined as never, { getRemainingTimeInMillis: () => 30_000 }, deps))).not.toThrow();
    await expect(noEvent).rejects.toThrow(TypeError);
  });
});
