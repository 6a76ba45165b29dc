import type { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { createIngressHandler, IngressMetric, receiveWebhook, signBody } from "../functions/webhook-ingress";
import { lambdaContext } from "../local-stack/event-source";
import { TransientError } from "../shared/errors";
import { createMetrics, InvocationMetrics } from "../shared/observability";
import { ReloadGate } from "../functions/webhook-ingress/reload-gate";
import { functionUrlEvent } from "./helpers/function-url";

/**
 * Every answer of receiveWebhook, with its exact status, body, headers, log line and metric
 * (issue 16, mutation testing). Oro acts on the status (2xx delivered, 5xx/429 redelivered, other
 * 4xx given up), an operator on the log line. The SQS client is a stand-in recording the sends
 * (a unit test of one function; test/webhook-ingress.test.ts runs the same on fauxqs).
 */
const SECRET = "whsec-responses-0123456789";
const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/oro-orders";

const setup = (
  over: {
    maxBodyBytes?: number;
    routes?: Record<string, string>;
    secret?: () => Promise<{ secret: string }>;
    send?: (input: unknown) => Promise<unknown>;
  } = {},
) => {
  const lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> = [];
  const log =
    (level: string) =>
    (message: string, extra: Record<string, unknown> = {}) =>
      void lines.push({ level, message, extra });
  const sent: Array<Record<string, unknown>> = [];
  const sqs = {
    send: async (command: { input: Record<string, unknown> }) => (over.send ? over.send(command.input) : void sent.push(command.input)),
  } as unknown as SQSClient;
  const metrics = new InvocationMetrics(createMetrics({ serviceName: "ingress-responses" }));
  const deps = {
    config: {
      secretName: "s",
      maxAgeSeconds: 86_400,
      maxFutureSeconds: 300,
      secretReloadSeconds: 30,
      routes: over.routes ?? { "order.created": QUEUE, "order.updated": `${QUEUE}.fifo` },
      syncRoutes: {},
      maxBodyBytes: over.maxBodyBytes ?? 10_000,
    },
    sqs: () => sqs,
    secret: over.secret ?? (async () => ({ secret: SECRET })),
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    metrics,
    reloadGate: new ReloadGate(0),
    // The bodies' timestamp (1764187200), so the replay window accepts them.
    now: () => 1_764_187_200_000,
  };
  const call = (body: string, headers: Record<string, string> = {}, method = "POST") =>
    receiveWebhook(functionUrlEvent(body, { "webhook-signature": signBody(body, SECRET), "webhook-id": "wh-1", ...headers }, { method }), deps);
  return { call, lines, sent, metrics };
};
const webhook = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ topic: "order.created", timestamp: 1764187200, messageId: "m-1", eventData: { data: { type: "orders", id: "42" } }, ...over });
const json = (result: { body?: string }) => JSON.parse(result.body ?? "null") as unknown;

describe("Function: receiveWebhook (answers)", () => {
  it("202: forwards the body with its attributes and logs the delivery", async () => {
    const t = setup();
    const body = webhook();
    const result = await t.call(body, { "webhook-signature": ` ${signBody(body, SECRET)} ` });

    expect([result.statusCode, result.headers, json(result)]).toEqual([202, { "content-type": "application/json" }, { accepted: true, messageId: "m-1" }]);
    expect(t.sent).toEqual([
      {
        QueueUrl: QUEUE,
        MessageBody: body,
        MessageAttributes: {
          WebhookTopic: { DataType: "String", StringValue: "order.created" },
          WebhookMessageId: { DataType: "String", StringValue: "m-1" },
          WebhookId: { DataType: "String", StringValue: "wh-1" },
        },
      },
    ]);
    expect(t.lines).toEqual([{ level: "info", message: "webhook enqueued", extra: { topic: "order.created", messageId: "m-1", webhookId: "wh-1" } }]);
    expect(t.metrics.get(IngressMetric.accepted)).toBe(1);
  });

  it("202 to a FIFO queue: grouped by record, deduplicated by Oro's messageId; an unsigned header value capped at 128 characters with its length", async () => {
    const t = setup();
    await t.call(webhook({ topic: "order.updated" }), { "webhook-id": "w".repeat(300) });
    expect(t.sent[0]).toMatchObject({ QueueUrl: `${QUEUE}.fifo`, MessageGroupId: "orders:42", MessageDeduplicationId: "m-1" });
    expect((t.sent[0]?.MessageAttributes as Record<string, { StringValue: string }>).WebhookId?.StringValue).toBe(`${"w".repeat(128)}…(300 chars)`);
    const standard = setup();
    await standard.call(webhook(), {});
    expect(Object.keys(standard.sent[0] ?? {})).toEqual(["QueueUrl", "MessageBody", "MessageAttributes"]);
  });

  it("405 to anything but POST", async () => {
    const t = setup();
    const result = await t.call(webhook(), {}, "GET");
    expect([result.statusCode, result.headers, json(result)]).toEqual([
      405,
      { "content-type": "application/json", allow: "POST" },
      { error: "only POST is accepted" },
    ]);
    expect(t.sent).toEqual([]);
  });

  it("413 above the size limit, not at it", async () => {
    const body = webhook();
    const t = setup({ maxBodyBytes: Buffer.byteLength(body) - 1 });
    const result = await t.call(body);
    expect([result.statusCode, json(result)]).toEqual([
      413,
      { error: `body larger than ${Buffer.byteLength(body) - 1} bytes`, maxBytes: Buffer.byteLength(body) - 1 },
    ]);
    expect(t.lines).toEqual([
      {
        level: "warn",
        message: "webhook body too large: rejected",
        extra: { sourceIp: "127.0.0.1", webhookId: "wh-1", topicHeader: undefined, bytes: Buffer.byteLength(body), maxBytes: Buffer.byteLength(body) - 1 },
      },
    ]);
    expect(t.metrics.get(IngressMetric.tooLarge)).toBe(1);
    expect((await setup({ maxBodyBytes: Buffer.byteLength(body) }).call(body)).statusCode).toBe(202);
  });

  it("503 with Retry-After when the secret cannot be loaded", async () => {
    const t = setup({ secret: async () => Promise.reject(new TransientError("throttled", { code: "SECRETS_UNAVAILABLE" })) });
    const result = await t.call(webhook());
    expect([result.statusCode, result.headers, json(result)]).toEqual([
      503,
      { "content-type": "application/json", "retry-after": "30" },
      { error: "temporarily unavailable" },
    ]);
    expect(t.lines).toHaveLength(1);
    expect(t.lines[0]).toMatchObject({
      level: "error",
      message: "cannot load the webhook secret: answering 503 so Oro retries",
      extra: { code: "SECRETS_UNAVAILABLE", webhookId: "wh-1" },
    });
    expect(String(t.lines[0]?.extra.error)).toContain("throttled");
    expect(t.metrics.get(IngressMetric.unavailable)).toBe(1);
  });

  it("400 to a signed body that is not JSON, or not an Oro webhook, naming at most five problems", async () => {
    const t = setup();
    const notJson = await t.call("{nope");
    expect([notJson.statusCode, json(notJson)]).toEqual([400, { error: "body is not JSON" }]);
    expect(t.lines[0]).toEqual({
      level: "warn",
      message: "signed webhook body rejected (400): Oro logs it as failed and does not retry",
      extra: { sourceIp: "127.0.0.1", webhookId: "wh-1", topicHeader: undefined, reason: "body is not JSON" },
    });

    const root = await t.call("[1]");
    expect((json(root) as { error: string }).error).toMatch(/^body is not an Oro webhook \{topic, timestamp, messageId, eventData\}: \(root\): [^;]+$/);
    const fields = await t.call(JSON.stringify({ topic: 1, timestamp: "x", messageId: 2, eventData: { data: 3 } }));
    const error = (json(fields) as { error: string }).error;
    expect(error.startsWith("body is not an Oro webhook {topic, timestamp, messageId, eventData}: ")).toBe(true);
    expect(error.split("; ")[0]).toMatch(/: topic: /);
    expect(error.split("; ").length).toBeLessThanOrEqual(5);
    expect(t.metrics.get(IngressMetric.invalid)).toBe(3);
  });

  it("400 when the Webhook-Topic header contradicts the signed body, quoting at most 100 characters of it", async () => {
    const t = setup();
    const result = await t.call(webhook(), { "webhook-topic": `order.deleted${"x".repeat(200)}` });
    expect(json(result)).toEqual({ error: `Webhook-Topic header "order.deleted${"x".repeat(87)}" does not match the body's topic "order.created"` });
    expect(t.sent).toEqual([]);
  });

  it("200 ignored (never 410) for a topic without a route, and says how to route it", async () => {
    const t = setup();
    const result = await t.call(webhook({ topic: "customer.created" }));
    expect([result.statusCode, json(result)]).toEqual([200, { ignored: true }]);
    expect(t.lines).toEqual([
      {
        level: "warn",
        message: "webhook topic has no route: ignored (add it to the deploy config's webhook routes)",
        extra: { sourceIp: "127.0.0.1", webhookId: "wh-1", topicHeader: undefined, topic: "customer.created", messageId: "m-1" },
      },
    ]);
    expect(t.metrics.get(IngressMetric.ignored)).toBe(1);
  });

  it("503 with Retry-After when SQS refuses, naming the queue and the error", async () => {
    const t = setup({ send: async () => Promise.reject(Object.assign(new Error("queue does not exist"), { name: "QueueDoesNotExist" })) });
    const result = await t.call(webhook());
    expect([result.statusCode, result.headers, json(result)]).toEqual([
      503,
      { "content-type": "application/json", "retry-after": "30" },
      { error: "could not enqueue; retry later" },
    ]);
    expect(t.lines).toEqual([
      {
        level: "error",
        message: "could not enqueue the webhook: answering 503 so Oro redelivers it",
        extra: {
          sourceIp: "127.0.0.1",
          webhookId: "wh-1",
          topicHeader: undefined,
          topic: "order.created",
          messageId: "m-1",
          queue: "oro-orders",
          error: "QueueDoesNotExist: queue does not exist",
        },
      },
    ]);
    expect(t.metrics.get(IngressMetric.enqueueFailed)).toBe(1);
  });
});

describe("Function: createIngressHandler (unplanned failure)", () => {
  it("answers 503 with Retry-After when its configuration is broken, instead of Lambda's 502", async () => {
    const handler = createIngressHandler({ env: {} });
    const result = await handler(functionUrlEvent(webhook(), {}), lambdaContext(10_000, "webhook-ingress"));
    expect([result.statusCode, result.headers, json(result)]).toEqual([
      503,
      { "content-type": "application/json", "retry-after": "30" },
      { error: "temporarily unavailable" },
    ]);
  });
});
