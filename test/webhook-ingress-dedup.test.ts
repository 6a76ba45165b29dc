import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngressMetric, receiveWebhook, signBody } from "../functions/webhook-ingress";
import { ReloadGate } from "../functions/webhook-ingress/reload-gate";
import { createMetrics, InvocationMetrics } from "../shared/observability";
import { StateTable } from "../shared/state";
import { functionUrlEvent } from "./helpers/function-url";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * The messageId dedup of the ingress in the state table (functions/webhook-ingress/receive.ts,
 * replay.ts) on dynalite and fauxqs, with every answer, log line, metric and table item exact:
 * a delivery in flight elsewhere (503, Retry-After 30), a replay (200 duplicate), a failed enqueue
 * that frees its claim, a claim that cannot be completed, and a table that cannot be reached.
 */
const SECRET = "whsec-dedup-0123456789abcdef";
const NOW_SECONDS = 1_764_187_200;
/** receive.ts keeps a handled messageId for the window (86,400 + 300 s) plus 3,600 s. */
const KEEP_SECONDS = 86_400 + 300 + 3_600;

let aws: LocalAws;
let tableName: string;
let orders: string;
let counter = 0;

beforeAll(async () => {
  aws = await startLocalAws();
  tableName = await aws.dynamodb.createStateTable("ingress-dedup-state");
  orders = await aws.createQueue("oro-orders-dedup");
});

afterAll(async () => {
  await aws?.stop();
});

const item = async (messageId: string, topic = "order.created") => {
  const found = await aws.dynamodb.client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: `webhook#${messageId}` }, sk: { S: `topic#${topic}` } }, ConsistentRead: true }),
  );
  return found.Item ? { status: found.Item.status?.S, expiresAt: Number(found.Item.expiresAt?.N) } : undefined;
};

const setup = (over: { state?: StateTable; sqs?: () => SQSClient; queue?: string } = {}) => {
  const lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> = [];
  const log =
    (level: string) =>
    (message: string, extra: Record<string, unknown> = {}) =>
      void lines.push({ level, message, extra });
  const metrics = new InvocationMetrics(createMetrics({ serviceName: "ingress-dedup" }));
  const state = over.state ?? new StateTable({ tableName, client: async () => aws.dynamodb.client, now: () => NOW_SECONDS * 1000 });
  const deps = {
    config: {
      secretName: "s",
      maxAgeSeconds: 86_400,
      maxFutureSeconds: 300,
      secretReloadSeconds: 30,
      routes: { "order.created": over.queue ?? orders },
      syncRoutes: {},
      maxBodyBytes: 10_000,
    },
    sqs: over.sqs ?? (() => aws.clients.sqs()),
    secret: async () => ({ secret: SECRET }),
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    metrics,
    reloadGate: new ReloadGate(0),
    state,
    now: () => NOW_SECONDS * 1000,
  };
  const messageId = `dedup-${++counter}`;
  const body = JSON.stringify({ topic: "order.created", timestamp: NOW_SECONDS, messageId, eventData: { data: { type: "orders", id: "42" } } });
  const call = () => receiveWebhook(functionUrlEvent(body, { "webhook-signature": signBody(body, SECRET), "webhook-id": "wh-1" }), deps);
  return { deps, lines, metrics, state, messageId, body, call };
};

describe("Webhook ingress: messageId dedup in the state table (dynalite, fauxqs)", () => {
  it("202 claims and completes the messageId for the window plus an hour; the replay answers 200 duplicate with its log line and metric", async () => {
    const t = setup();
    const first = await t.call();
    expect([first.statusCode, first.body]).toEqual([202, JSON.stringify({ accepted: true, messageId: t.messageId })]);
    expect(await item(t.messageId)).toEqual({ status: "done", expiresAt: NOW_SECONDS + KEEP_SECONDS });

    const again = await t.call();
    expect([again.statusCode, again.headers, again.body]).toEqual([
      200,
      { "content-type": "application/json" },
      JSON.stringify({ duplicate: true, messageId: t.messageId }),
    ]);
    expect(t.lines.slice(1)).toEqual([
      {
        level: "warn",
        message: "webhook messageId already enqueued for this topic: not enqueued again (a redelivery or a replay)",
        extra: { sourceIp: "127.0.0.1", webhookId: "wh-1", topicHeader: undefined, topic: "order.created", messageId: t.messageId },
      },
    ]);
    expect([t.metrics.get(IngressMetric.accepted), t.metrics.get(IngressMetric.duplicate)]).toEqual([1, 1]);
    expect((await aws.drain(orders)).map((m) => m.Body)).toEqual([t.body]);
  });

  it("503 with Retry-After 30 while another request holds the claim (pending), and nothing enqueued", async () => {
    const t = setup();
    expect(await t.state.claim({ pk: `webhook#${t.messageId}`, sk: "topic#order.created" }, 30)).toBe("claimed");
    const result = await t.call();
    expect([result.statusCode, result.headers, result.body]).toEqual([
      503,
      { "content-type": "application/json", "retry-after": "30" },
      JSON.stringify({ error: "the same message is being enqueued; retry later" }),
    ]);
    expect(await item(t.messageId)).toEqual({ status: "pending", expiresAt: NOW_SECONDS + 30 });
    expect(t.lines).toEqual([]);
    expect(await aws.drain(orders)).toEqual([]);
  });

  it("a failed enqueue releases the claim: the item is gone, so Oro's redelivery is enqueued", async () => {
    const broken = setup({ queue: `${orders.slice(0, orders.lastIndexOf("/"))}/no-such-queue` });
    expect((await broken.call()).statusCode).toBe(503);
    expect(await item(broken.messageId)).toBeUndefined();
    expect(broken.metrics.get(IngressMetric.enqueueFailed)).toBe(1);
  });

  it("a claim that cannot be completed is logged at error with the messageId; the delivery still answers 202", async () => {
    const real = new StateTable({ tableName, client: async () => aws.dynamodb.client, now: () => NOW_SECONDS * 1000 });
    const state = Object.assign(Object.create(real) as StateTable, {
      complete: async () => Promise.reject(Object.assign(new Error("table is being deleted"), { name: "ResourceInUseException" })),
    });
    const t = setup({ state });
    const result = await t.call();
    expect(result.statusCode).toBe(202);
    expect(await item(t.messageId)).toEqual({ status: "pending", expiresAt: NOW_SECONDS + 30 });
    expect(t.lines.map((l) => [l.level, l.message, l.extra.messageId])).toEqual([
      ["error", "could not mark the webhook as enqueued in the state table", t.messageId],
      ["info", "webhook enqueued", t.messageId],
    ]);
    expect(String(t.lines[0]?.extra.error)).toContain("table is being deleted");
    expect((await aws.drain(orders)).map((m) => m.Body)).toEqual([t.body]);
  });

  it("a table that cannot be reached: enqueued without the dedup, logged at error with the messageId, counted", async () => {
    const t = setup({ state: new StateTable({ tableName: "no-such-table", client: async () => aws.dynamodb.client }) });
    expect((await t.call()).statusCode).toBe(202);
    expect((await t.call()).statusCode).toBe(202);
    expect(t.lines.filter((l) => l.level === "error").map((l) => [l.message, l.extra.messageId, l.extra.code])).toEqual([
      ["state table unavailable: enqueueing without replay dedup", t.messageId, expect.any(String)],
      ["state table unavailable: enqueueing without replay dedup", t.messageId, expect.any(String)],
    ]);
    expect([t.metrics.get(IngressMetric.dedupUnavailable), t.metrics.get(IngressMetric.accepted)]).toEqual([2, 2]);
    expect(await aws.drain(orders)).toHaveLength(2);
  });

  it("a claim that failed (table briefly unreachable) is neither completed nor released: another request's pending claim stays as it was", async () => {
    const real = new StateTable({ tableName, client: async () => aws.dynamodb.client, now: () => NOW_SECONDS * 1000 });
    const unreachable = Object.assign(Object.create(real) as StateTable, {
      claim: async () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { name: "TimeoutError" })),
    });
    // Delivered: enqueued without the dedup, and no item written.
    const t = setup({ state: unreachable });
    await real.claim({ pk: `webhook#${t.messageId}`, sk: "topic#order.created" }, 30);
    expect((await t.call()).statusCode).toBe(202);
    expect(await item(t.messageId)).toEqual({ status: "pending", expiresAt: NOW_SECONDS + 30 });
    // Not delivered: nothing released either.
    const broken = setup({ state: unreachable, queue: `${orders.slice(0, orders.lastIndexOf("/"))}/no-such-queue` });
    await real.claim({ pk: `webhook#${broken.messageId}`, sk: "topic#order.created" }, 30);
    expect((await broken.call()).statusCode).toBe(503);
    expect(await item(broken.messageId)).toEqual({ status: "pending", expiresAt: NOW_SECONDS + 30 });
    expect(await aws.drain(orders)).toHaveLength(1);
  });
});
