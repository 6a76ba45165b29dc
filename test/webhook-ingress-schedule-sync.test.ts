import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectors } from "../functions/registry";
import { createIngressHandler, IngressEnv, signBody } from "../functions/webhook-ingress";
import { SCHEDULE_SYNC_TOPIC, scheduledTimeOf, windowEnvelope } from "../functions/webhook-ingress/schedule-sync";
import { loadDeployConfig, REPO_ROOT } from "../infra/config";
import { deploymentPlan, scheduledEnvelope } from "../infra/plan";
import { lambdaContext } from "../local-stack/event-source";
import { functionUrlEvent } from "./helpers/function-url";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * Oro's "Schedule sync" through the ingress (functions/webhook-ingress/schedule-sync.ts,
 * docs/oro-integration.md): a signed `oro-serverless.schedule-sync` body becomes exactly the window
 * message the connector's schedule sends, on fauxqs, with the local Secrets Manager and dynalite.
 */
const SECRET = "whsec-0123456789abcdef-sync";

describe("Schedule sync: the window message equals the schedule's", () => {
  const plan = deploymentPlan(loadDeployConfig(join(REPO_ROOT, "deploy.config.json"), { connectors }), { connectors });

  it("routes every scheduled connector of the deploy config, and only those", () => {
    const scheduled = plan.connectors.filter((c) => c.schedule).map((c) => `${c.resolved.integration}/${c.resolved.connector}`);
    expect(scheduled.length).toBeGreaterThan(0);
    expect(Object.keys(plan.ingress?.syncRoutes ?? {}).sort()).toEqual(scheduled.sort());
    for (const c of plan.connectors.filter((p) => p.schedule)) {
      expect(plan.ingress?.syncRoutes[`${c.resolved.integration}/${c.resolved.connector}`]).toEqual({
        queue: c.queue.name,
        messageType: c.resolved.schedule?.messageType,
      });
    }
  });

  it.each(plan.connectors.filter((c) => c.schedule).map((c) => [c.resolved.integration, c.resolved.connector, c] as const))(
    "%s/%s: same envelope as scheduledEnvelope(plan.schedule, t)",
    (integration, connector, c) => {
      const t = scheduledTimeOf(1_764_590_400);
      expect(t).toBe("2025-12-01T12:00:00Z");
      const fromIngress = windowEnvelope({ integration, connector }, c.resolved.schedule?.messageType ?? "", t);
      expect(fromIngress).toEqual(scheduledEnvelope(c.schedule!, t));
    },
  );
});

describe("Schedule sync on the ingress (fauxqs, local Secrets Manager, dynalite)", () => {
  let aws: LocalAws;
  let stateTable: string;
  let products: string;
  let stockFifo: string;
  let handler: ReturnType<typeof createIngressHandler>;

  beforeAll(async () => {
    aws = await startLocalAws();
    stateTable = await aws.dynamodb.createStateTable("sync-state");
    products = await aws.createQueue("akeneo-products");
    stockFifo = (await aws.createConnectorQueues("erp-stock", { fifo: true })).queueUrl;
    aws.secrets.put("oro/webhook-sync", { secret: SECRET });
    handler = createIngressHandler({
      env: {
        [IngressEnv.WEBHOOK_SECRET_NAME]: "oro/webhook-sync",
        [IngressEnv.WEBHOOK_ROUTES]: JSON.stringify({}),
        [IngressEnv.WEBHOOK_SYNC_ROUTES]: JSON.stringify({ "akeneo-main/akeneo-products": products, "erp-main/erp-stock": stockFifo }),
        [IngressEnv.WEBHOOK_SYNC_TYPES]: JSON.stringify({ "akeneo-main/akeneo-products": "window", "erp-main/erp-stock": "window" }),
        [IngressEnv.STATE_TABLE_NAME]: stateTable,
      },
    });
  });
  afterAll(async () => {
    await aws?.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const body = (eventData: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    JSON.stringify({ topic: SCHEDULE_SYNC_TOPIC, eventData, timestamp: now(), messageId: crypto.randomUUID(), ...over });
  const call = (raw: string, secret = SECRET) =>
    handler(
      functionUrlEvent(raw, {
        "content-type": "application/json",
        "webhook-topic": SCHEDULE_SYNC_TOPIC,
        "webhook-id": "oro-serverless-channel-3",
        "webhook-signature": signBody(raw, secret),
        "webhook-signature-algorithm": "HMAC-SHA256",
      }),
      lambdaContext(10_000, "webhook-ingress"),
    );
  const parse = (r: { body?: string }) => JSON.parse(r.body ?? "{}") as Record<string, unknown>;

  it("enqueues the connector's window message with the request time as the scheduled time", async () => {
    const raw = body({ integration: "akeneo-main", connector: "akeneo-products", channelId: 3, force: false });
    const { timestamp, messageId } = JSON.parse(raw) as { timestamp: number; messageId: string };
    const result = await call(raw);
    expect(result.statusCode).toBe(202);
    expect(parse(result)).toEqual({ accepted: true, messageId });
    const messages = await aws.drain(products);
    expect(messages).toHaveLength(1);
    const t = scheduledTimeOf(timestamp);
    expect(JSON.parse(messages[0]?.Body ?? "{}")).toEqual({
      version: 1,
      id: t,
      integration: "akeneo-main",
      connector: "akeneo-products",
      type: "window",
      payload: { scheduledTime: t },
    });
  });

  it("gives a FIFO queue the schedule's message group (the connector)", async () => {
    const raw = body({ integration: "erp-main", connector: "erp-stock" });
    expect((await call(raw)).statusCode).toBe(202);
    const [message, ...rest] = await aws.drain(stockFifo);
    expect(rest).toEqual([]);
    expect(message?.Attributes?.MessageGroupId).toBe("erp-stock");
    expect(JSON.parse(message?.Body ?? "{}")).toMatchObject({ integration: "erp-main", connector: "erp-stock", type: "window" });
  });

  it("enqueues one run per messageId: a replay answers 200 duplicate", async () => {
    const raw = body({ integration: "akeneo-main", connector: "akeneo-products" });
    expect((await call(raw)).statusCode).toBe(202);
    const again = await call(raw);
    expect(again.statusCode).toBe(200);
    expect(parse(again)).toMatchObject({ duplicate: true });
    expect(await aws.drain(products)).toHaveLength(1);
  });

  it("answers 400 with the reason for a connector that is not deployed with a schedule, and enqueues nothing", async () => {
    const result = await call(body({ integration: "akeneo-main", connector: "erp-stock" }));
    expect(result.statusCode).toBe(400);
    expect(parse(result)).toEqual({
      error:
        'connector "erp-stock" of integration "akeneo-main" is not deployed with a schedule here: nothing to start (deploy config, docs/oro-integration.md)',
    });
    expect(await aws.drain(products)).toEqual([]);
    expect(await aws.drain(stockFifo)).toEqual([]);
  });

  it("answers 400 to eventData without integration or with a bad name", async () => {
    const missing = await call(body({ connector: "akeneo-products" }));
    expect(missing.statusCode).toBe(400);
    expect(String(parse(missing).error)).toMatch(
      /^a oro-serverless\.schedule-sync body needs eventData \{integration, connector, channelId\?, force\?\}: eventData\.integration: /,
    );
    const bad = await call(body({ integration: "akeneo main", connector: "akeneo-products" }));
    expect(bad.statusCode).toBe(400);
    expect(await aws.drain(products)).toEqual([]);
  });

  it("answers 401 to a request signed with another secret, and a stale one with 400", async () => {
    expect((await call(body({ integration: "akeneo-main", connector: "akeneo-products" }), "whsec-not-the-right-one-x")).statusCode).toBe(401);
    const stale = await call(body({ integration: "akeneo-main", connector: "akeneo-products" }, { timestamp: now() - 2 * 86_400 }));
    expect(stale.statusCode).toBe(400);
    expect(await aws.drain(products)).toEqual([]);
  });
});
