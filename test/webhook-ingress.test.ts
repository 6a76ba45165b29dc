import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngressHandler, IngressEnv, IngressMetric, receiveWebhook, signBody, WebhookSecretSchema } from "../functions/webhook-ingress";
import { lambdaContext } from "../local-stack/event-source";
import { sqsClient } from "../shared/aws";
import { createMetrics, createRootLogger, InvocationMetrics, withKeys } from "../shared/observability";
import { secretStore } from "../shared/secrets";
import { functionUrlEvent } from "./helpers/function-url";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/** The ingress on fauxqs and the local Secrets Manager, called with Function URL events. */
const SECRET = "whsec-0123456789abcdef-first";
const ROTATED = "whsec-fedcba9876543210-second";

let aws: LocalAws;
let orders: string;
let ordersFifo: string;
let counter = 0;

beforeAll(async () => {
  aws = await startLocalAws();
  orders = await aws.createQueue("oro-orders");
  const fifo = await aws.createConnectorQueues("oro-orders-fifo", { fifo: true });
  ordersFifo = fifo.queueUrl;
});

afterAll(async () => {
  await aws?.stop();
});

/** A fresh ingress with its own secret name (the secret store caches by name, as a warm Lambda does). */
const setup = (routes: Record<string, string> = { "order.created": orders, "order.updated": orders, "order.deleted": ordersFifo }, secret: unknown = { secret: SECRET }) => {
  const secretName = `oro/webhook-${++counter}`;
  if (secret !== null) aws.secrets.put(secretName, secret);
  // null: no secret at all.
  const handler = createIngressHandler({ env: { [IngressEnv.WEBHOOK_SECRET_NAME]: secretName, [IngressEnv.WEBHOOK_ROUTES]: JSON.stringify(routes) } });
  const call = (event: ReturnType<typeof functionUrlEvent>) => handler(event, lambdaContext(10_000, "webhook-ingress"));
  return { secretName, handler, call };
};

const webhookBody = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    topic: "order.created",
    timestamp: 1764187200,
    messageId: crypto.randomUUID(),
    eventData: { data: { type: "orders", id: "42", attributes: { identifier: "O-42", customerName: "Jürgen Müller" } } },
    ...over,
  });

const signed = (body: string, secret = SECRET, headers: Record<string, string> = {}) =>
  functionUrlEvent(body, { "content-type": "application/json", "webhook-topic": (JSON.parse(body) as { topic?: string }).topic ?? "", "webhook-id": "wh-1", "webhook-signature": signBody(body, secret), "webhook-signature-algorithm": "HMAC-SHA256", ...headers });

const parse = (result: { body?: string }) => JSON.parse(result.body ?? "{}") as Record<string, unknown>;

describe("Webhook ingress", () => {
  it("verifies a signed delivery, answers 202 and forwards the body byte for byte with topic and ids as attributes", async () => {
    const t = setup();
    const body = webhookBody();
    const { messageId } = JSON.parse(body) as { messageId: string };

    const result = await t.call(signed(body));

    expect(result.statusCode).toBe(202);
    expect(parse(result)).toEqual({ accepted: true, messageId });
    const [message, ...rest] = await aws.drain(orders);
    expect(rest).toEqual([]);
    expect(message?.Body).toBe(body);
    expect(message?.MessageAttributes?.WebhookTopic?.StringValue).toBe("order.created");
    expect(message?.MessageAttributes?.WebhookMessageId?.StringValue).toBe(messageId);
    expect(message?.MessageAttributes?.WebhookId?.StringValue).toBe("wh-1");
  });

  it("accepts a base64-encoded body and signs over its raw bytes", async () => {
    const t = setup();
    const body = webhookBody();
    const event = signed(body);
    const result = await t.call({ ...event, isBase64Encoded: true, body: Buffer.from(body, "utf8").toString("base64") });
    expect(result.statusCode).toBe(202);
    expect((await aws.drain(orders))[0]?.Body).toBe(body);
  });

  it("answers 401 to a tampered body, a missing, short or foreign-algorithm signature, and logs neither secret nor signature", async () => {
    const t = setup();
    const lines: string[] = [];
    const capture = (level: string) => (message: string, extra?: Record<string, unknown>) => lines.push(JSON.stringify({ level, message, ...extra }));
    const deps = {
      config: { secretName: t.secretName, routes: { "order.created": orders }, maxBodyBytes: 10_000 },
      sqs: sqsClient,
      secret: (opts?: { forceRefresh?: boolean }) => secretStore().get(t.secretName, WebhookSecretSchema, opts),
      logger: { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error") },
      metrics: new InvocationMetrics(createMetrics({ serviceName: "webhook-ingress-test" })),
    };
    const body = webhookBody();
    const tampered = signed(body);
    tampered.body = body.replace("O-42", "O-43");
    const missing = signed(body);
    delete missing.headers["webhook-signature"];
    const short = signed(body, SECRET, { "webhook-signature": "abc123" });
    const algorithm = signed(body, SECRET, { "webhook-signature-algorithm": "HMAC-SHA1" });

    for (const event of [tampered, missing, short, algorithm]) {
      const result = await receiveWebhook(event, deps);
      expect(result.statusCode).toBe(401);
      expect(parse(result)).toEqual({ error: "missing or invalid Webhook-Signature" });
    }
    // And through the whole Lambda handler.
    expect((await t.call(tampered)).statusCode).toBe(401);

    expect(await aws.drain(orders)).toEqual([]);
    expect(deps.metrics.get(IngressMetric.unauthorized)).toBe(4);
    expect(lines.map((l) => (JSON.parse(l) as { reason: string }).reason)).toEqual(["mismatch", "missing", "malformed", "algorithm"]);
    const log = lines.join("\n");
    expect(log).toContain("webhook signature rejected");
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(signBody(body, SECRET));
    expect(log).not.toContain(signBody(tampered.body ?? "", SECRET));
  });

  it("reloads the secret once after a rotation, and accepts the previous secret while both are configured", async () => {
    const t = setup();
    expect((await t.call(signed(webhookBody()))).statusCode).toBe(202);
    aws.secrets.put(t.secretName, { secret: ROTATED, previousSecret: SECRET });

    expect((await t.call(signed(webhookBody(), ROTATED))).statusCode).toBe(202);
    expect((await t.call(signed(webhookBody(), SECRET))).statusCode).toBe(202);
    expect((await t.call(signed(webhookBody(), "whsec-not-the-right-one-at-all"))).statusCode).toBe(401);
    expect(await aws.drain(orders)).toHaveLength(3);
  });

  it("answers 200 ignored to a topic without a route (never 410) and counts it", async () => {
    const t = setup();
    const secretName = t.secretName;
    const metrics = new InvocationMetrics(createMetrics({ serviceName: "webhook-ingress-test" }));
    const body = webhookBody({ topic: "customer.created" });

    const result = await receiveWebhook(signed(body), {
      config: { secretName, routes: { "order.created": orders }, maxBodyBytes: 10_000 },
      sqs: sqsClient,
      secret: (opts) => secretStore().get(secretName, WebhookSecretSchema, opts),
      logger: withKeys(createRootLogger("webhook-ingress-test"), {}),
      metrics,
    });

    expect(result.statusCode).toBe(200);
    expect(parse(result)).toEqual({ ignored: true });
    expect(metrics.get(IngressMetric.ignored)).toBe(1);
    expect(await aws.drain(orders)).toEqual([]);
  });

  it("routes Oro's per-record topic (order.updated.42) to the route of order.updated", async () => {
    const t = setup();
    const result = await t.call(signed(webhookBody({ topic: "order.updated.42" })));
    expect(result.statusCode).toBe(202);
    expect((await aws.drain(orders))[0]?.MessageAttributes?.WebhookTopic?.StringValue).toBe("order.updated.42");
  });

  it("answers 413 to a body over the cap before computing any HMAC", async () => {
    const t = setup();
    const body = webhookBody({ eventData: { data: { type: "orders", id: "1", attributes: { note: "x".repeat(300 * 1024) } } } });
    const result = await t.call(signed(body));
    expect(result.statusCode).toBe(413);
    expect(parse(result)).toMatchObject({ maxBytes: 254 * 1024 });
  });

  it("answers 400 to a signed body that is not JSON, not an Oro webhook, or whose topic header disagrees", async () => {
    const t = setup();
    const notJson = "{topic: order.created";
    const results = [
      await t.call(functionUrlEvent(notJson, { "webhook-signature": signBody(notJson, SECRET) })),
      await t.call(signed(JSON.stringify({ topic: "order.created", eventData: {} }))),
      await t.call(signed(webhookBody(), SECRET, { "webhook-topic": "order.deleted" })),
    ];
    expect(results.map((r) => r.statusCode)).toEqual([400, 400, 400]);
    expect(parse(results[1] as { body?: string }).error).toMatch(/messageId/);
    expect(parse(results[2] as { body?: string }).error).toMatch(/does not match the body's topic/);
    expect(await aws.drain(orders)).toEqual([]);
  });

  it("answers 503 with Retry-After when the queue cannot take the message, so Oro redelivers", async () => {
    const t = setup({ "order.created": `${orders.slice(0, orders.lastIndexOf("/"))}/no-such-queue` });
    const result = await t.call(signed(webhookBody()));
    expect(result.statusCode).toBe(503);
    expect(result.headers?.["retry-after"]).toBe("30");
  });

  it("answers 503 when the signing secret is missing from Secrets Manager, and 405 to other methods", async () => {
    const t = setup(undefined, null);
    expect((await t.call(signed(webhookBody()))).statusCode).toBe(503);
    const get = await t.call(functionUrlEvent("", {}, { method: "GET" }));
    expect(get.statusCode).toBe(405);
    expect(get.headers?.allow).toBe("POST");
  });

  it("drops a redelivery of the same messageId on a FIFO route (deduplication id), grouped by the record", async () => {
    const t = setup();
    const body = webhookBody({ topic: "order.deleted" });
    expect((await t.call(signed(body))).statusCode).toBe(202);
    expect((await t.call(signed(body))).statusCode).toBe(202);
    const messages = await aws.drain(ordersFifo);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Attributes?.MessageGroupId).toBe("orders:42");
    expect(messages[0]?.Attributes?.MessageDeduplicationId).toBe((JSON.parse(body) as { messageId: string }).messageId);
  });

  it("forwards both copies on a standard route, with the same messageId for the idempotent consumer", async () => {
    const t = setup();
    const body = webhookBody();
    await t.call(signed(body));
    await t.call(signed(body));
    const messages = await aws.drain(orders);
    expect(messages.map((m) => m.Body)).toEqual([body, body]);
    expect(new Set(messages.map((m) => m.MessageAttributes?.WebhookMessageId?.StringValue)).size).toBe(1);
  });
});
