import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createIngressHandler,
  DEFAULT_MAX_BODY_BYTES,
  IngressEnv,
  IngressMetric,
  readIngressConfig,
  receiveWebhook,
  signBody,
  WebhookSecretSchema,
} from "../functions/webhook-ingress";
import { ReloadGate } from "../functions/webhook-ingress/reload-gate";
import { lambdaContext } from "../local-stack/event-source";
import { createMetrics, createRootLogger, InvocationMetrics, withKeys } from "../shared/observability";
import { functionUrlEvent } from "./helpers/function-url";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/** The ingress on fauxqs and the local Secrets Manager, called with Function URL events. */
const SECRET = "whsec-0123456789abcdef-first";
const ROTATED = "whsec-fedcba9876543210-second";

let aws: LocalAws;
let stateTable: string;
let orders: string;
let ordersFifo: string;
let counter = 0;

beforeAll(async () => {
  aws = await startLocalAws();
  stateTable = await aws.dynamodb.createStateTable("connectors-state");
  orders = await aws.createQueue("oro-orders");
  const fifo = await aws.createConnectorQueues("oro-orders-fifo", { fifo: true });
  ordersFifo = fifo.queueUrl;
});

afterAll(async () => {
  await aws?.stop();
});

/** A fresh ingress with its own secret name (the secret store caches by name, as a warm Lambda does). */
const setup = (
  routes: Record<string, string> = { "order.created": orders, "order.updated": orders, "order.deleted": ordersFifo },
  secret: unknown = { secret: SECRET },
  env: Record<string, string> = {},
) => {
  const secretName = `oro/webhook-${++counter}`;
  if (secret !== null) aws.secrets.put(secretName, secret);
  // null: no secret at all.
  const handler = createIngressHandler({ env: { [IngressEnv.WEBHOOK_SECRET_NAME]: secretName, [IngressEnv.WEBHOOK_ROUTES]: JSON.stringify(routes), ...env } });
  const call = (event: ReturnType<typeof functionUrlEvent>) => handler(event, lambdaContext(10_000, "webhook-ingress"));
  return { secretName, handler, call };
};

const webhookBody = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    topic: "order.created",
    // Oro's `time()` when the event was queued: inside the replay window.
    timestamp: Math.floor(Date.now() / 1000),
    messageId: crypto.randomUUID(),
    eventData: { data: { type: "orders", id: "42", attributes: { identifier: "O-42", customerName: "Jürgen Müller" } } },
    ...over,
  });

const signed = (body: string, secret = SECRET, headers: Record<string, string> = {}) =>
  functionUrlEvent(body, {
    "content-type": "application/json",
    "webhook-topic": (JSON.parse(body) as { topic?: string }).topic ?? "",
    "webhook-id": "wh-1",
    "webhook-signature": signBody(body, secret),
    "webhook-signature-algorithm": "HMAC-SHA256",
    ...headers,
  });

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
      config: { ...readIngressConfig({}, { secretName: t.secretName, routes: { "order.created": orders } }), maxBodyBytes: 10_000 },
      sqs: () => aws.clients.sqs(),
      secret: (opts?: { forceRefresh?: boolean }) => aws.secretStore.get(t.secretName, WebhookSecretSchema, opts),
      logger: { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error") },
      metrics: new InvocationMetrics(createMetrics({ serviceName: "webhook-ingress-test" })),
      // Interval 0: every mismatch may reload (the bound has its own test).
      reloadGate: new ReloadGate(0),
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
    // The secret was reloaded moments ago: a mismatch now waits for the reload interval (503, Oro retries).
    const deferred = await t.call(signed(webhookBody(), "whsec-not-the-right-one-at-all"));
    expect(deferred.statusCode).toBe(503);
    expect(Number(deferred.headers?.["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(deferred.headers?.["retry-after"])).toBeLessThanOrEqual(30);
    expect(await aws.drain(orders)).toHaveLength(3);
  });

  it("bounds forced secret reloads: 50 wrong signatures make one Secrets Manager call, a second one only after the interval", async () => {
    let now = 1_000_000;
    let forced = 0;
    const t = setup();
    const deps = {
      config: readIngressConfig({}, { secretName: t.secretName, routes: { "order.created": orders } }),
      sqs: () => aws.clients.sqs(),
      secret: (opts?: { forceRefresh?: boolean }) => {
        if (opts?.forceRefresh) forced++;
        return aws.secretStore.get(t.secretName, WebhookSecretSchema, opts);
      },
      logger: withKeys(createRootLogger("webhook-ingress-test"), {}),
      metrics: new InvocationMetrics(createMetrics({ serviceName: "webhook-ingress-test" })),
      reloadGate: new ReloadGate(30_000, () => now),
    };
    expect((await receiveWebhook(signed(webhookBody()), deps)).statusCode).toBe(202);
    const before = aws.secretStore.fetches;
    const bad = () => receiveWebhook(signed(webhookBody(), "whsec-an-attacker-guess-0000"), deps);
    const results = await Promise.all(Array.from({ length: 50 }, bad));
    expect(aws.secretStore.fetches - before).toBe(1);
    expect(forced).toBe(1);
    // The requests that reloaded (or joined the reload) are refused; the rest wait for the interval.
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length + codes.filter((c) => c === 503).length).toBe(50);
    expect(codes.filter((c) => c === 401).length).toBeGreaterThanOrEqual(1);
    expect(deps.metrics.get(IngressMetric.signatureDeferred)).toBe(codes.filter((c) => c === 503).length);
    now += 29_000;
    expect((await bad()).statusCode).toBe(503);
    expect(forced).toBe(1);
    now += 1_000;
    expect((await bad()).statusCode).toBe(401);
    expect(forced).toBe(2);
    expect(await aws.drain(orders)).toHaveLength(1);
  });

  it("caps the unsigned header values it logs on a 401", async () => {
    const t = setup();
    const lines: string[] = [];
    const capture = (message: string, extra?: Record<string, unknown>) => lines.push(JSON.stringify({ message, ...extra }));
    const deps = {
      config: readIngressConfig({}, { secretName: t.secretName, routes: { "order.created": orders } }),
      sqs: () => aws.clients.sqs(),
      secret: (opts?: { forceRefresh?: boolean }) => aws.secretStore.get(t.secretName, WebhookSecretSchema, opts),
      logger: { debug: capture, info: capture, warn: capture, error: capture },
      metrics: new InvocationMetrics(createMetrics({ serviceName: "webhook-ingress-test" })),
      reloadGate: new ReloadGate(0),
    };
    const huge = "A".repeat(100_000);
    const event = signed(webhookBody(), SECRET, { "webhook-id": huge, "webhook-topic": huge, "webhook-signature": "0".repeat(64) });
    expect((await receiveWebhook(event, deps)).statusCode).toBe(401);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as { webhookId: string; topicHeader: string; reason: string };
    expect(line.reason).toBe("mismatch");
    expect(line.webhookId).toBe(`${"A".repeat(128)}…(100000 chars)`);
    expect(line.topicHeader).toBe(`${"A".repeat(128)}…(100000 chars)`);
    expect((lines[0] as string).length).toBeLessThan(1_000);
  });

  it("answers 200 ignored to a topic without a route (never 410) and counts it", async () => {
    const t = setup();
    const secretName = t.secretName;
    const metrics = new InvocationMetrics(createMetrics({ serviceName: "webhook-ingress-test" }));
    const body = webhookBody({ topic: "customer.created" });

    const result = await receiveWebhook(signed(body), {
      config: { ...readIngressConfig({}, { secretName, routes: { "order.created": orders } }), maxBodyBytes: 10_000 },
      sqs: () => aws.clients.sqs(),
      secret: (opts) => aws.secretStore.get(secretName, WebhookSecretSchema, opts),
      logger: withKeys(createRootLogger("webhook-ingress-test"), {}),
      metrics,
      reloadGate: new ReloadGate(30_000),
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

  it("accepts a body up to SQS's 1 MiB minus the attribute room, and answers 413 above it before computing any HMAC", async () => {
    const t = setup();
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1_048_576 - 4_096);
    const sized = (bytes: number) => {
      const shell = webhookBody({ eventData: { data: { type: "orders", id: "1", attributes: { note: "" } } } });
      return shell.replace('"note":""', `"note":"${"x".repeat(bytes - Buffer.byteLength(shell))}"`);
    };
    const largest = sized(DEFAULT_MAX_BODY_BYTES);
    expect(Buffer.byteLength(largest)).toBe(DEFAULT_MAX_BODY_BYTES);
    // A 300 KiB body was refused before (the 256 KiB SQS limit of old).
    expect((await t.call(signed(sized(300 * 1024)))).statusCode).toBe(202);
    expect((await t.call(signed(largest))).statusCode).toBe(202);
    const forwarded = await aws.drain(orders);
    expect(forwarded.map((m) => Buffer.byteLength(m.Body ?? ""))).toEqual([300 * 1024, DEFAULT_MAX_BODY_BYTES]);
    const result = await t.call(signed(sized(DEFAULT_MAX_BODY_BYTES + 1)));
    expect(result.statusCode).toBe(413);
    expect(parse(result)).toMatchObject({ maxBytes: DEFAULT_MAX_BODY_BYTES });
  });

  it("refuses a signed body whose timestamp is outside the replay window (400), and lets a day-late redelivery through", async () => {
    const t = setup();
    const now = Math.floor(Date.now() / 1000);
    const late = await t.call(signed(webhookBody({ timestamp: now - 23 * 3600 })));
    const stringTime = await t.call(signed(webhookBody({ timestamp: String(now) })));
    const old = await t.call(signed(webhookBody({ timestamp: now - 24 * 3600 - 60 })));
    const future = await t.call(signed(webhookBody({ timestamp: now + 10 * 60 })));
    const garbage = await t.call(signed(webhookBody({ timestamp: "yesterday" })));
    expect([late, stringTime, old, future, garbage].map((r) => r.statusCode)).toEqual([202, 202, 400, 400, 400]);
    expect(parse(old).error).toMatch(/older than the 86400 s window: refused as a replay/);
    expect(parse(future).error).toMatch(/in the future, beyond the 300 s allowed for clock skew/);
    expect(parse(garbage).error).toMatch(/is not epoch seconds/);
    expect(await aws.drain(orders)).toHaveLength(2);
    // The window is configurable.
    const strict = setup(undefined, undefined, { [IngressEnv.WEBHOOK_MAX_AGE_SECONDS]: "600" });
    expect((await strict.call(signed(webhookBody({ timestamp: now - 700 })))).statusCode).toBe(400);
    expect((await strict.call(signed(webhookBody({ timestamp: now - 500 })))).statusCode).toBe(202);
    expect(await aws.drain(orders)).toHaveLength(1);
  });

  it("enqueues a messageId once per topic (state table in dynalite): a replay gets 200 duplicate, a failed enqueue frees the claim", async () => {
    const env = { [IngressEnv.STATE_TABLE_NAME]: stateTable };
    const t = setup(undefined, undefined, env);
    const body = webhookBody();
    const { messageId } = JSON.parse(body) as { messageId: string };
    expect((await t.call(signed(body))).statusCode).toBe(202);
    const replays = await Promise.all([t.call(signed(body)), t.call(signed(body)), t.call(signed(body))]);
    expect(replays.map((r) => [r.statusCode, parse(r)])).toEqual(Array.from({ length: 3 }, () => [200, { duplicate: true, messageId }]));
    // The same Oro event under another topic is another delivery.
    expect((await t.call(signed(webhookBody({ messageId, topic: "order.updated" })))).statusCode).toBe(202);
    expect((await aws.drain(orders)).map((m) => m.MessageAttributes?.WebhookTopic?.StringValue)).toEqual(["order.created", "order.updated"]);

    // A delivery whose enqueue fails is not remembered: Oro's redelivery goes through.
    const broken = setup({ "order.created": `${orders.slice(0, orders.lastIndexOf("/"))}/no-such-queue` }, undefined, env);
    const next = webhookBody();
    expect((await broken.call(signed(next))).statusCode).toBe(503);
    expect((await t.call(signed(next))).statusCode).toBe(202);
    expect((await t.call(signed(next))).statusCode).toBe(200);
    expect(await aws.drain(orders)).toHaveLength(1);
  });

  it("enqueues without the dedup when the state table cannot be reached (nothing lost), and counts it", async () => {
    const t = setup(undefined, undefined, { [IngressEnv.STATE_TABLE_NAME]: "no-such-table" });
    const body = webhookBody();
    expect((await t.call(signed(body))).statusCode).toBe(202);
    expect((await t.call(signed(body))).statusCode).toBe(202);
    expect(await aws.drain(orders)).toHaveLength(2);
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

  it("without a state table, forwards both copies on a standard route, with the same messageId for the idempotent consumer", async () => {
    const t = setup();
    const body = webhookBody();
    await t.call(signed(body));
    await t.call(signed(body));
    const messages = await aws.drain(orders);
    expect(messages.map((m) => m.Body)).toEqual([body, body]);
    expect(new Set(messages.map((m) => m.MessageAttributes?.WebhookMessageId?.StringValue)).size).toBe(1);
  });
});
