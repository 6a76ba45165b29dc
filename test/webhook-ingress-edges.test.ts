import { createHash } from "node:crypto";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { IngressMetric, receiveWebhook, signBody } from "../functions/webhook-ingress";
import { functionUrlEvent } from "./helpers/function-url";
import { recordingIngress } from "./helpers/ingress-rig";

/**
 * Edges of receiveWebhook that the answer tests (test/webhook-ingress-responses.test.ts) do not
 * reach: events without the request context a Function URL always sets, a missing body, and the
 * exact wording of a schema refusal (issue 16, mutation testing). The SQS client is a stand-in
 * recording the sends (a unit test of one function).
 */
const SECRET = "whsec-edges-0123456789abcdef";
const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/oro-orders";
const NOW_SECONDS = 1_764_187_200;

const setup = () => recordingIngress({ secret: SECRET, nowSeconds: NOW_SECONDS, serviceName: "ingress-edges", routes: { "order.created": QUEUE } });
const webhook = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ topic: "order.created", timestamp: NOW_SECONDS, messageId: "m-1", eventData: { data: { type: "orders", id: "42" } }, ...over });
const signedEvent = (body: string) => functionUrlEvent(body, { "webhook-signature": signBody(body, SECRET), "webhook-id": "wh-1" });

describe("Function: receiveWebhook (edges)", () => {
  it("treats an event without requestContext as a POST: 202, the body forwarded, no source IP logged", async () => {
    const t = setup();
    const body = webhook();
    const event = { ...signedEvent(body), requestContext: undefined } as unknown as LambdaFunctionURLEvent;
    const result = await receiveWebhook(event, t.deps);
    expect([result.statusCode, result.body]).toEqual([202, JSON.stringify({ accepted: true, messageId: "m-1" })]);
    expect(t.sent.map((s) => s.MessageBody)).toEqual([body]);
  });

  it("treats a requestContext without http as a POST, and logs the source IP as undefined", async () => {
    const t = setup();
    const body = webhook({ topic: "customer.created" });
    const event = { ...signedEvent(body), requestContext: { requestId: "r-1" } } as unknown as LambdaFunctionURLEvent;
    const result = await receiveWebhook(event, t.deps);
    expect([result.statusCode, result.body]).toEqual([200, JSON.stringify({ ignored: true })]);
    expect(t.lines).toEqual([
      {
        level: "warn",
        message: "webhook topic has no route: ignored (add it to the deploy config's webhook routes)",
        extra: { sourceIp: undefined, webhookId: "wh-1", topicHeader: undefined, topic: "customer.created", messageId: "m-1" },
      },
    ]);
  });

  it("reads a missing body as empty: signed over zero bytes it is authentic, and refused as not JSON (400)", async () => {
    const t = setup();
    const event = { ...functionUrlEvent("", { "webhook-signature": signBody("", SECRET) }), body: undefined } as unknown as LambdaFunctionURLEvent;
    const result = await receiveWebhook(event, t.deps);
    expect([result.statusCode, result.body]).toEqual([400, JSON.stringify({ error: "body is not JSON" })]);
    expect(t.metrics.get(IngressMetric.invalid)).toBe(1);
    expect(t.metrics.get(IngressMetric.unauthorized)).toBe(0);
  });

  it("names every schema problem of a body, joined with '; '", async () => {
    const t = setup();
    const body = JSON.stringify({ topic: "", timestamp: null, messageId: 7, eventData: [] });
    const result = await receiveWebhook(signedEvent(body), t.deps);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? "{}")).toEqual({
      error:
        "body is not an Oro webhook {topic, timestamp, messageId, eventData}: topic: Invalid input; timestamp: Invalid input; messageId: Invalid input; eventData: Invalid input",
    });
    expect(t.sent).toEqual([]);
  });

  it("caps each attribute at 256 characters, hashes a deduplication id SQS would refuse, and sets no WebhookId without the header", async () => {
    const t = setup();
    t.deps.config.routes = { "order.created": `${QUEUE}.fifo` };
    const messageId = `m-${"é".repeat(298)}`;
    const body = webhook({ messageId, eventData: { data: { type: "orders", id: 42 } } });
    const result = await receiveWebhook(functionUrlEvent(body, { "webhook-signature": signBody(body, SECRET) }), t.deps);
    expect(result.statusCode).toBe(202);
    expect(t.sent).toEqual([
      {
        QueueUrl: `${QUEUE}.fifo`,
        MessageBody: body,
        MessageAttributes: {
          WebhookTopic: { DataType: "String", StringValue: "order.created" },
          WebhookMessageId: { DataType: "String", StringValue: messageId.slice(0, 256) },
        },
        MessageGroupId: "orders:42",
        MessageDeduplicationId: createHash("sha256").update(messageId).digest("hex"),
      },
    ]);
  });

  it("logs an unsigned header of exactly 128 characters whole, and a refused timestamp or Schedule sync with the messageId", async () => {
    const t = setup();
    const stale = webhook({ timestamp: NOW_SECONDS - 90_000 });
    const id = "i".repeat(128);
    await receiveWebhook(functionUrlEvent(stale, { "webhook-signature": signBody(stale, SECRET), "webhook-id": id }), t.deps);
    const sync = webhook({ topic: "oro-serverless.schedule-sync", eventData: { integration: "a", connector: "b" } });
    await receiveWebhook(signedEvent(sync), t.deps);
    expect(t.lines).toEqual([
      {
        level: "warn",
        message: "signed webhook body rejected (400): Oro logs it as failed and does not retry",
        extra: {
          sourceIp: "127.0.0.1",
          webhookId: id,
          topicHeader: undefined,
          messageId: "m-1",
          reason: `timestamp ${NOW_SECONDS - 90_000} is 90000 s old, older than the 86400 s window: refused as a replay (set webhook.replayWindowSeconds to allow older deliveries)`,
        },
      },
      {
        level: "warn",
        message: "signed webhook body rejected (400): Oro logs it as failed and does not retry",
        extra: {
          sourceIp: "127.0.0.1",
          webhookId: "wh-1",
          topicHeader: undefined,
          messageId: "m-1",
          reason: 'connector "b" of integration "a" is not deployed with a schedule here: nothing to start (deploy config, docs/oro-integration.md)',
        },
      },
    ]);
    expect([t.metrics.get(IngressMetric.stale), t.metrics.get(IngressMetric.invalid)]).toEqual([1, 2]);
  });
});
