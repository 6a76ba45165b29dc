import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Message, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AlertEvent, AlertEventSchema } from "../shared/alerts";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";
import { lambdaContext, pollOnce, toSqsRecord } from "../local-stack/event-source";
import { attemptsById, handled, testConnector } from "./fixtures/test-connector";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

const INTEGRATION = "test-main";
const SECRET_NAME = "test/integration";

let aws: LocalAws;
let api: Server;
let apiUrl: string;
/** The key the fake upstream API currently accepts (rotation changes it). */
let acceptedKey = "key-one-1234567890";

beforeAll(async () => {
  aws = await startLocalAws();
  api = createServer((req, res) => {
    res.writeHead(req.headers.authorization === `Bearer ${acceptedKey}` ? 200 : 401).end();
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => api.close(() => resolve()));
  await aws.stop();
});

beforeEach(() => {
  attemptsById.clear();
  handled.length = 0;
});

let queueCounter = 0;
const setup = async (
  options: { maxReceiveCount?: number; fifo?: boolean; concurrency?: number; deadlineMarginMs?: number; backoffBaseSeconds?: number } = {},
) => {
  const name = `rt-${++queueCounter}`;
  const queues = await aws.createConnectorQueues(name, options);
  const alertsQueueUrl = await aws.createQueue(`${name}-alerts`);
  aws.secrets.put(SECRET_NAME, { apiUrl, apiKey: acceptedKey });
  const handler = createConnectorHandler(testConnector, {
    env: {},
    overrides: {
      integration: INTEGRATION,
      connector: testConnector.type,
      queueUrl: queues.queueUrl,
      dlqUrl: queues.dlqUrl,
      alertsQueueUrl,
      maxReceiveCount: options.maxReceiveCount ?? 5,
      integrationSecretName: SECRET_NAME,
      recordConcurrency: options.concurrency ?? 4,
      deadlineMarginMs: options.deadlineMarginMs ?? 500,
      backoffBaseSeconds: options.backoffBaseSeconds ?? 0,
      fifo: Boolean(options.fifo),
    },
  });
  const work = (id: string, payload: Record<string, unknown>) =>
    JSON.stringify(createEnvelope({ id, integration: INTEGRATION, connector: testConnector.type, type: "work", payload }));
  const alerts = async (): Promise<AlertEvent[]> => (await aws.drain(alertsQueueUrl)).map((m) => AlertEventSchema.parse(JSON.parse(m.Body ?? "")));
  return { ...queues, alertsQueueUrl, handler, work, alerts };
};

const attribute = (message: Message, name: string) => message.MessageAttributes?.[name]?.StringValue;

describe("Runtime on fauxqs and the local Secrets Manager", () => {
  it("ends a mixed batch with the right batchItemFailures, DLQ contents and alert events", async () => {
    const t = await setup();
    const ids = {
      good: await aws.send(t.queueUrl, t.work("good", { outcome: "ok" })),
      transient: await aws.send(t.queueUrl, t.work("transient", { outcome: "transient" })),
      permanent: await aws.send(t.queueUrl, t.work("permanent", { outcome: "permanent" })),
      validation: await aws.send(t.queueUrl, t.work("validation", { outcome: "validation", sku: "SKU-9" })),
      notJson: await aws.send(t.queueUrl, "{not json"),
      badSchema: await aws.send(t.queueUrl, t.work("bad-schema", { outcome: "explode" })),
      unknownType: await aws.send(
        t.queueUrl,
        JSON.stringify(createEnvelope({ id: "u1", integration: INTEGRATION, connector: testConnector.type, type: "nope", payload: {} })),
      ),
    };

    const result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler, batchSize: 10 });

    expect(result.received).toBe(7);
    expect(result.failed).toEqual([ids.transient]);
    const dlq = await aws.drain(t.dlqUrl);
    const byCode = Object.fromEntries(dlq.map((m) => [attribute(m, "SourceMessageId"), attribute(m, "ErrorCode")]));
    expect(byCode).toEqual({
      [ids.permanent]: "REJECTED",
      [ids.validation]: "VALIDATION",
      [ids.notJson]: "MALFORMED_MESSAGE",
      [ids.badSchema]: "MALFORMED_MESSAGE",
      [ids.unknownType]: "UNKNOWN_MESSAGE_TYPE",
    });
    const notJson = dlq.find((m) => attribute(m, "SourceMessageId") === ids.notJson) as Message;
    expect(notJson.Body).toBe("{not json");
    expect(attribute(notJson, "ErrorMessage")).toMatch(/not JSON/);
    expect(attribute(dlq.find((m) => attribute(m, "SourceMessageId") === ids.badSchema) as Message, "ErrorMessage")).toMatch(/outcome/);
    expect(attribute(dlq.find((m) => attribute(m, "SourceMessageId") === ids.unknownType) as Message, "ErrorMessage")).toMatch(/accepts: work/);
    for (const message of dlq) {
      expect(attribute(message, "Connector")).toBe(testConnector.type);
      expect(message.MessageAttributes?.Attempt?.StringValue).toBe("1");
    }
    const events = await t.alerts();
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.kind === "failure" && e.disposition === "permanent")).toBe(true);
    const validation = events.find((e) => e.kind === "failure" && e.code === "VALIDATION");
    expect(validation).toMatchObject({
      externalId: "SKU-9",
      alertType: "validation",
      entity: "products",
      operation: "import",
      step: "work",
      integration: INTEGRATION,
    });
    expect(events.find((e) => e.kind === "failure" && e.code === "MALFORMED_MESSAGE" && e.step === "receive")).toBeDefined();
    // The good and the dead-lettered records were deleted; only the transient one is left (backoff 0: visible again).
    expect((await aws.drain(t.queueUrl)).map((m) => m.MessageId)).toEqual([ids.transient]);
  });

  it("moves a transient record to the DLQ through the redrive policy after maxReceiveCount, with exactly one failure event", async () => {
    const t = await setup({ maxReceiveCount: 3 });
    await aws.send(t.queueUrl, t.work("always-503", { outcome: "transient" }));

    const polls = [];
    for (let i = 0; i < 4; i++) polls.push(await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler }));

    expect(polls.map((p) => p.received)).toEqual([1, 1, 1, 0]);
    expect(attemptsById.get("always-503")).toBe(3);
    const dlq = await aws.drain(t.dlqUrl);
    expect(dlq).toHaveLength(1);
    expect(JSON.parse(dlq[0]?.Body ?? "{}").id).toBe("always-503");
    const events = await t.alerts();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "failure", disposition: "exhausted", attempts: 3, code: "HTTP_503", envelopeId: "always-503" });
  });

  it("sends a recovery event when a record succeeds after a failed attempt", async () => {
    const t = await setup();
    await aws.send(t.queueUrl, t.work("flaky-1", { outcome: "flaky", failTimes: 1 }));
    const first = await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler });
    const second = await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler });
    expect(first.failed).toHaveLength(1);
    expect(second.failed).toHaveLength(0);
    const events = await t.alerts();
    expect(events).toEqual([expect.objectContaining({ kind: "recovery", envelopeId: "flaky-1", attempts: 2, step: "work" })]);
  });

  it("raises the visibility of a transient failure with backoff", async () => {
    const t = await setup({ backoffBaseSeconds: 60 });
    await aws.send(t.queueUrl, t.work("slow-retry", { outcome: "transient" }));
    await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler });
    const inflight = aws.fauxqs.inspectQueue(t.queueUrl.split("/").pop() as string)?.messages.inflight ?? [];
    expect(inflight).toHaveLength(1);
    const seconds = ((inflight[0]?.visibilityDeadline ?? 0) - Date.now()) / 1000;
    // Full jitter on attempt 1 with base 60: anywhere in [1, 60] s, never the queue's default 30 s exactly by construction.
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it("keeps FIFO order within a group, short-circuits only the failed group", async () => {
    const t = await setup({ fifo: true });
    const plan = [
      ["a1", "ok", "A"],
      ["b1", "ok", "B"],
      ["a2", "transient", "A"],
      ["b2", "ok", "B"],
      ["a3", "ok", "A"],
      ["b3", "permanent", "B"],
      ["b4", "ok", "B"],
    ] as const;
    // fauxqs hands out one message per group per receive, so the batch Lambda would get is built
    // from the sent messages (same record shape as the event source emulator produces).
    const records: SQSRecord[] = [];
    for (const [id, outcome, group] of plan) {
      const messageId = await aws.send(t.queueUrl, t.work(id, { outcome }), { groupId: group, dedupId: id });
      records.push(
        toSqsRecord(
          {
            MessageId: messageId,
            ReceiptHandle: `rh-${id}`,
            Body: t.work(id, { outcome }),
            Attributes: { ApproximateReceiveCount: "1", MessageGroupId: group },
          },
          "arn:aws:sqs:us-east-1:000000000000:q.fifo",
        ),
      );
    }
    const response = await t.handler({ Records: records }, lambdaContext(30_000));
    const failedIds = (response?.batchItemFailures ?? []).map((f) => records.findIndex((r) => r.messageId === f.itemIdentifier)).map((i) => plan[i]?.[0]);
    expect(failedIds).toEqual(["a2", "a3"]);
    expect(handled.filter((id) => id.startsWith("a"))).toEqual(["a1", "a2"]);
    // A permanent failure is dead-lettered and acknowledged, so its group goes on.
    expect(handled.filter((id) => id.startsWith("b"))).toEqual(["b1", "b2", "b3", "b4"]);
    const dlq = await aws.drain(t.dlqUrl);
    expect(dlq.map((m) => JSON.parse(m.Body ?? "{}").id)).toEqual(["b3"]);
    expect(dlq[0]?.Attributes?.MessageGroupId).toBe("B");
  });

  it("stops before the deadline: records not started and aborted calls are reported failed without errors", async () => {
    const t = await setup({ concurrency: 1, deadlineMarginMs: 400 });
    for (let i = 0; i < 3; i++) await aws.send(t.queueUrl, t.work(`sleepy-${i}`, { outcome: "sleep", sleepMs: 5_000 }));
    const started = Date.now();
    const result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler, timeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.failed).toHaveLength(3);
    expect(handled).toHaveLength(1);
    expect(await aws.drain(t.dlqUrl)).toHaveLength(0);
    expect(await t.alerts()).toHaveLength(0);
    // Skipped records are made visible again at once rather than waiting out the queue's timeout.
    expect(await aws.drain(t.queueUrl)).toHaveLength(3);
  });

  it("fans out onto its own queue and dead-letters a failed item with a replay message", async () => {
    const t = await setup();
    await aws.send(t.queueUrl, t.work("parent", { outcome: "fanout", count: 12 }));
    await aws.send(t.queueUrl, t.work("page", { outcome: "items", sku: "BAD-1" }));
    const result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler });
    expect(result.failed).toHaveLength(0);
    const children = await aws.drain(t.queueUrl);
    expect(children.map((m) => JSON.parse(m.Body ?? "{}").id).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `parent/${i}`).sort());
    expect(JSON.parse(children[0]?.Body ?? "{}").correlationId).toBe("parent");
    const dlq = await aws.drain(t.dlqUrl);
    expect(dlq).toHaveLength(1);
    expect(JSON.parse(dlq[0]?.Body ?? "{}")).toMatchObject({ id: "page/BAD-1", type: "work", payload: { sku: "BAD-1" } });
    expect(await t.alerts()).toEqual([expect.objectContaining({ kind: "failure", externalId: "BAD-1", code: "VALIDATION" })]);
    expect(attribute(dlq[0] as Message, "ExternalId")).toBe("BAD-1");

    // Redriven with its attributes (as the ops CLI does), the replay succeeds and resolves that item's alert.
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: t.queueUrl,
        MessageBody: dlq[0]?.Body ?? "",
        MessageAttributes: Object.fromEntries(
          Object.entries(dlq[0]?.MessageAttributes ?? {}).map(([k, v]) => [k, { DataType: v.DataType, StringValue: v.StringValue }]),
        ),
      }),
    );
    expect((await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler })).failed).toHaveLength(0);
    expect(await t.alerts()).toEqual([expect.objectContaining({ kind: "recovery", externalId: "BAD-1", envelopeId: "page/BAD-1", attempts: 1 })]);
  });

  it("fans out large messages in batches within SQS's 1 MiB batch limit", async () => {
    const t = await setup();
    // 8 x 200 KB is 1.6 MB: one SendMessageBatch of 8 would be refused (BatchRequestTooLong).
    await aws.send(t.queueUrl, t.work("big-parent", { outcome: "fanout", count: 8, padBytes: 200_000 }));
    const result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler });
    expect(result.failed).toHaveLength(0);
    expect((await aws.drain(t.queueUrl)).map((m) => JSON.parse(m.Body ?? "{}").id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `big-parent/${i}`));
  });

  it("survives a secret rotated mid-run: one forced reload, no failures", async () => {
    const t = await setup();
    await aws.send(t.queueUrl, t.work("ping-1", { outcome: "ping" }));
    expect((await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler })).failed).toHaveLength(0);
    const readsBefore = aws.secrets.reads.get(SECRET_NAME) ?? 0;

    acceptedKey = "key-two-0987654321";
    aws.secrets.put(SECRET_NAME, { apiUrl, apiKey: acceptedKey });
    for (let i = 0; i < 5; i++) await aws.send(t.queueUrl, t.work(`ping-after-${i}`, { outcome: "ping" }));
    const result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler: t.handler });

    expect(result.failed).toHaveLength(0);
    expect(await aws.drain(t.dlqUrl)).toHaveLength(0);
    // Concurrent records that hit 401 together share one forced reload.
    expect((aws.secrets.reads.get(SECRET_NAME) ?? 0) - readsBefore).toBe(1);
  });

  it("reports the record failed when its DLQ send fails, and loses nothing", async () => {
    const t = await setup();
    const handler = createConnectorHandler(testConnector, {
      env: {},
      overrides: {
        integration: INTEGRATION,
        connector: testConnector.type,
        queueUrl: t.queueUrl,
        dlqUrl: `${t.queueUrl}-missing`,
        alertsQueueUrl: t.alertsQueueUrl,
        integrationSecretName: SECRET_NAME,
        backoffBaseSeconds: 0,
      },
    });
    const id = await aws.send(t.queueUrl, t.work("doomed", { outcome: "permanent" }));
    const result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queueUrl, handler });
    expect(result.failed).toEqual([id]);
    expect(await aws.drain(t.queueUrl)).toHaveLength(1);
  });
});
