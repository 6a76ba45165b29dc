import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IngressMetric, receiveWebhook, signBody } from "../functions/webhook-ingress";
import { SCHEDULE_SYNC_TOPIC } from "../functions/webhook-ingress/schedule-sync";
import { functionUrlEvent } from "./helpers/function-url";
import { recordingIngress } from "./helpers/ingress-rig";

/**
 * Oro's Schedule sync through receiveWebhook with every sent message, answer, log line and metric
 * exact (functions/webhook-ingress/schedule-sync.ts; issue 16, mutation testing). The SQS client is
 * a stand-in recording the sends (a unit test of one function); the same path on fauxqs and
 * dynalite is test/webhook-ingress-schedule-sync.test.ts.
 */
const SECRET = "whsec-sync-exact-0123456789";
const BASE = "https://sqs.eu-west-1.amazonaws.com/123456789012";
/** 2025-12-01T12:00:00Z. */
const NOW_SECONDS = 1_764_590_400;

const setup = () => {
  const { deps, lines, sent, metrics } = recordingIngress({
    secret: SECRET,
    nowSeconds: NOW_SECONDS,
    serviceName: "ingress-sync-exact",
    syncRoutes: {
      "akeneo-main/akeneo-products": { queueUrl: `${BASE}/akeneo-products`, messageType: "window" },
      "erp.main:eu/erp-stock_2": { queueUrl: `${BASE}/erp-stock.fifo`, messageType: "stock-window" },
    },
  });
  const call = (eventData: unknown, over: Record<string, unknown> = {}) => {
    const body = JSON.stringify({ topic: SCHEDULE_SYNC_TOPIC, timestamp: NOW_SECONDS, messageId: "sync-1", eventData, ...over });
    return receiveWebhook(functionUrlEvent(body, { "webhook-signature": signBody(body, SECRET), "webhook-id": "channel-3" }), deps);
  };
  return { call, lines, sent, metrics };
};
const errorOf = (result: { body?: string }) => (JSON.parse(result.body ?? "{}") as { error?: string }).error;

describe("Schedule sync through receiveWebhook (exact)", () => {
  it("a standard queue gets the window envelope only (no group or deduplication id); answered 202, logged and counted as a schedule sync", async () => {
    const t = setup();
    const result = await t.call({ integration: "akeneo-main", connector: "akeneo-products", channelId: 3, force: true });
    expect([result.statusCode, result.body]).toEqual([202, JSON.stringify({ accepted: true, messageId: "sync-1" })]);
    expect(t.sent).toEqual([
      {
        QueueUrl: `${BASE}/akeneo-products`,
        MessageBody: JSON.stringify({
          version: 1,
          id: "2025-12-01T12:00:00Z",
          integration: "akeneo-main",
          connector: "akeneo-products",
          type: "window",
          payload: { scheduledTime: "2025-12-01T12:00:00Z" },
        }),
      },
    ]);
    expect(t.lines).toEqual([
      { level: "info", message: "schedule sync: window message enqueued", extra: { topic: SCHEDULE_SYNC_TOPIC, messageId: "sync-1", webhookId: "channel-3" } },
    ]);
    expect([t.metrics.get(IngressMetric.scheduleSync), t.metrics.get(IngressMetric.accepted)]).toEqual([1, 0]);
  });

  it("a FIFO queue gets the connector as message group and sha256('<type>:<scheduled time>') as deduplication id; names may hold . _ : -", async () => {
    const t = setup();
    // A string timestamp with a fraction: the scheduled time is its whole second.
    const result = await t.call({ integration: "erp.main:eu", connector: "erp-stock_2" }, { timestamp: `${NOW_SECONDS - 59}.75` });
    expect(result.statusCode).toBe(202);
    const t0 = "2025-12-01T11:59:01Z";
    expect(t.sent).toEqual([
      {
        QueueUrl: `${BASE}/erp-stock.fifo`,
        MessageBody: JSON.stringify({
          version: 1,
          id: t0,
          integration: "erp.main:eu",
          connector: "erp-stock_2",
          type: "stock-window",
          payload: { scheduledTime: t0 },
        }),
        MessageGroupId: "erp-stock_2",
        MessageDeduplicationId: createHash("sha256").update(`stock-window:${t0}`).digest("hex"),
      },
    ]);
  });

  it("400 naming the first five problems of the eventData, joined with '; ', and nothing sent", async () => {
    const t = setup();
    // Six issues: an empty name fails both its length and its pattern.
    const result = await t.call({ integration: "", connector: "", channelId: 0, force: "yes" });
    expect(result.statusCode).toBe(400);
    expect(errorOf(result)).toBe(
      `a ${SCHEDULE_SYNC_TOPIC} body needs eventData {integration, connector, channelId?, force?}: ` +
        "eventData.integration: Invalid input; eventData.integration: Invalid input; eventData.connector: Invalid input; eventData.connector: Invalid input; eventData.channelId: Invalid input",
    );
    expect(t.metrics.get(IngressMetric.invalid)).toBe(1);
    expect(t.sent).toEqual([]);
  });

  it("refuses names that start with a punctuation mark, hold a space or a slash, or are longer than 128 characters", async () => {
    const t = setup();
    for (const integration of ["-akeneo", ".akeneo", "akeneo main", "akeneo/main", "a".repeat(129)]) {
      const result = await t.call({ integration, connector: "akeneo-products" });
      expect([integration, result.statusCode, errorOf(result)?.split(": ").slice(1).join(": ")]).toEqual([
        integration,
        400,
        "eventData.integration: Invalid input",
      ]);
    }
    // 128 characters is a name (not deployed here: refused for that reason instead).
    const longest = await t.call({ integration: "a".repeat(128), connector: "akeneo-products" });
    expect(errorOf(longest)).toBe(
      `connector "akeneo-products" of integration "${"a".repeat(128)}" is not deployed with a schedule here: nothing to start (deploy config, docs/oro-integration.md)`,
    );
    expect(t.sent).toEqual([]);
  });
});
