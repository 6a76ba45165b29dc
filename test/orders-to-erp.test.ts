import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RETRY_ATTEMPTS } from "../shared/http/constants";
import { ORDER_ENTITY_CLASS, oroOrdersToErp } from "../functions/oro-orders-to-erp/connector";
import { RECONCILE_PAGE_SIZE } from "../functions/oro-orders-to-erp/reconcile";
import { connectorRig, startErpStack } from "./erp-local-stack";
import type { ConnectorRig, ErpStack } from "./erp-local-stack";

let stack: ErpStack;
let rig: ConnectorRig;

beforeAll(async () => {
  stack = await startErpStack();
});
afterAll(async () => {
  await stack.stop();
});

/** Registers the `order.created` webhook (thin: the connector fetches the order itself) and routes it to this test's queue. */
beforeEach(async () => {
  await stack.oro.admin.reset();
  await stack.erp.admin.reset({ seed: false });
  rig = await connectorRig(stack, oroOrdersToErp);
  stack.routes["order.created"] = rig.queueUrl;
  await stack.oroClient.create({
    type: "webhooks",
    attributes: { notificationUrl: stack.webhookUrl, secret: "signing-secret-0123456789", enabled: true, verifySsl: false },
    relationships: { topic: { data: { type: "webhooktopics", id: "order.created" } }, format: { data: { type: "webhookformats", id: "thin" } } },
  });
});

const placeOrders = async (
  count: number,
  lines: Array<{ sku: string; quantity: number; value?: number; unit?: string }> = [{ sku: "SKU-0004", quantity: 2, value: 14 }],
) => {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push((await stack.oro.admin.createOrder({ customerId: "2", lines })).data.id);
  await stack.oro.webhooks.idle();
  return ids;
};

const oroOrder = (id: string) => stack.oro.store.mustTable("orders").get(id);

describe("oro-orders-to-erp on the Oro and ERP sandboxes", () => {
  it("exports webhook-announced orders and a backfill of existing ones, writing the ERP number back", async () => {
    const fresh = await placeOrders(5);
    // Initial sync: the three demo orders predate the webhook, so a backfill names them.
    for (const id of ["1", "2", "3"]) await rig.send("order", `backfill:order:${id}`, { orderId: id });

    const run = await rig.drain();

    expect(run.failed).toBe(0);
    const erpOrders = await stack.erp.admin.orders();
    expect(erpOrders).toHaveLength(8);
    for (const id of [...fresh, "1", "2", "3"]) {
      const number = erpOrders.find((o) => o.order.source.orderId === id)?.orderNumber;
      expect(number).toMatch(/^ERP-\d{6}$/);
      expect(oroOrder(id)?.attributes.externalId).toBe(number);
    }
    const demo = erpOrders.find((o) => o.order.source.orderId === "1")?.order;
    expect(demo).toEqual({
      externalOrderNumber: "SO-1001",
      source: { system: "oro", orderId: "1" },
      orderedAt: expect.any(String),
      customer: { id: "1", externalId: "ERP-C1", name: "Acme Corp", email: "alice@acme.test" },
      billingAddress: { firstName: "Pat", lastName: "Lee", company: "Acme Corp", street: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
      shippingAddress: {
        firstName: "Pat",
        lastName: "Lee",
        company: "Acme Corp",
        street: "1 Main St",
        city: "Springfield",
        postalCode: "12345",
        country: "US",
      },
      currency: "USD",
      totals: { subtotal: "35", total: "35" },
      lines: [
        { lineNumber: 1, sku: "SKU-0001", name: "Demo product 1", quantity: "1", unit: "each", unitPrice: "11" },
        { lineNumber: 2, sku: "SKU-0002", name: "Demo product 2", quantity: "2", unit: "each", unitPrice: "12" },
      ],
    });
    expect(await rig.alerts()).toEqual([]);
  });

  it("creates nothing twice: a redelivered event, a second event for the same order and a replay all end on one ERP order", async () => {
    const [id] = await placeOrders(1);
    // Take the forwarded webhook body off the queue (it stays in flight, unprocessed) to deliver it by hand, twice.
    const [webhookBody] = (await stack.aws.drain(rig.queueUrl, 600)).map((m) => m.Body ?? "");
    await stack.aws.send(rig.queueUrl, webhookBody ?? "");
    await rig.drain();
    const after = { erp: await stack.erp.admin.orders(), oro: structuredClone(oroOrder(id ?? "")) };

    // The same webhook body again (SQS at-least-once / Oro retry), another event id for the same order, and a manual replay.
    await stack.aws.send(rig.queueUrl, webhookBody ?? "");
    const other = JSON.parse(webhookBody ?? "{}") as { messageId: string };
    await stack.aws.send(rig.queueUrl, JSON.stringify({ ...other, messageId: "another-event-id" }));
    await rig.send("order", "replay-1", { orderId: id });
    const run = await rig.drain();

    expect(run).toMatchObject({ received: 3, failed: 0 });
    expect(await stack.erp.admin.orders()).toEqual(after.erp);
    expect(oroOrder(id ?? "")).toEqual(after.oro);
    expect((await stack.erp.admin.orderRequests()).map((r) => r.outcome)).toEqual(["created", "replayed", "duplicate", "duplicate"]);
  });

  it("dead-letters a bad order with one alert naming the field and exports the others", async () => {
    await stack.erp.admin.behaviour({ knownSkus: ["SKU-0004"] });
    const good = await placeOrders(4);
    const [bad] = await placeOrders(1, [
      { sku: "SKU-0004", quantity: 1 },
      { sku: "SKU-0009", quantity: 1 },
    ]);
    await rig.send("order", "missing-order", { orderId: "9999" });

    const run = await rig.drain();

    expect(run.failed).toBe(0);
    const exported = (await stack.erp.admin.orders()).map((o) => o.order.source.orderId).sort();
    expect(exported).toEqual([...good].sort());
    const alerts = await rig.alerts();
    expect(alerts).toHaveLength(2);
    const validation = alerts.find((a) => a.kind === "failure" && a.code === "ERP_VALIDATION");
    expect(validation).toMatchObject({
      disposition: "permanent",
      alertType: "validation",
      entity: "orders",
      operation: "export",
      externalId: oroOrder(bad ?? "")?.attributes.identifier,
    });
    expect(validation?.kind === "failure" && validation.message).toContain('lines[1].sku: unknown item "SKU-0009"');
    const missing = alerts.find((a) => a.kind === "failure" && a.code === "ORO_ORDER_NOT_FOUND");
    expect(missing?.kind === "failure" && missing.message).toContain("Oro order 9999 does not exist (404)");
    expect(await rig.dlq()).toHaveLength(2);
    expect(oroOrder(bad ?? "")?.attributes.externalId).toBeNull();
  });

  it("honours an ERP 429 storm: waits Retry-After, exports each order once", async () => {
    const ids = await placeOrders(3);
    await stack.erp.admin.faults({ throttle: { count: 8, retryAfterSeconds: 1 }, paths: ["/orders"] });
    const started = Date.now();

    const run = await rig.drain();

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(run.received).toBeGreaterThanOrEqual(3);
    const stats = stack.erp.stats();
    expect(stats.byStatus["429"]).toBe(8);
    expect((await stack.erp.admin.orders()).map((o) => o.order.source.orderId).sort()).toEqual([...ids].sort());
    expect(await rig.dlq()).toHaveLength(0);
    for (const id of ids) expect(oroOrder(id)?.attributes.externalId).toMatch(/^ERP-/);
  });

  it("survives an Oro 503 period and lands every order once", async () => {
    const ids = await placeOrders(4);
    // Counted, not timed: the next 4 x DEFAULT_RETRY_ATTEMPTS order requests get a 503 however soon the sync gets
    // there, so the first call exhausts its in-call retries (a failed record) and none reaches maxReceiveCount.
    await stack.oro.admin.faults({ serverError: { count: 4 * DEFAULT_RETRY_ATTEMPTS, status: 503 }, paths: ["/admin/api/orders"] });

    const run = await rig.drain({ maxPolls: 100, pauseMs: 300 });

    expect(stack.oro.stats().byStatus["503"]).toBeGreaterThan(0);
    expect(run.failed).toBeGreaterThan(0);
    expect((await stack.erp.admin.orders()).map((o) => o.order.source.orderId).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(oroOrder(id)?.attributes.externalId).toMatch(/^ERP-/);
    expect(await rig.dlq()).toHaveLength(0);
    // Retried records that then succeeded raise recovery events, no failures.
    expect((await rig.alerts()).every((a) => a.kind === "recovery")).toBe(true);
  });

  it("writes the number to the configured field, and explains a field Oro refuses (as Oro before 6.1.10 refuses externalId)", async () => {
    const poRig = await connectorRig(stack, oroOrdersToErp, { settings: { orderNumberField: "poNumber" } });
    await poRig.send("order", "po-1", { orderId: "1" });
    await poRig.drain();
    expect(oroOrder("1")?.attributes.poNumber).toMatch(/^ERP-\d{6}$/);
    expect(oroOrder("1")?.attributes.externalId).toBeNull();

    const badRig = await connectorRig(stack, oroOrdersToErp, { settings: { orderNumberField: "erpOrderNumber" } });
    await badRig.send("order", "bad-field-1", { orderId: "2" });
    await badRig.drain();
    const [alert] = await badRig.alerts();
    expect(alert).toMatchObject({ kind: "failure", code: "ORO_WRITE_BACK_REJECTED", alertType: "configuration", externalId: "SO-1002" });
    expect(alert?.kind === "failure" && alert.message).toContain("set settings.orderNumberField to another order field");
    // The ERP order exists; after fixing the setting, a redrive gets the same number and writes it back.
    const number = (await stack.erp.admin.orders()).find((o) => o.order.source.orderId === "2")?.orderNumber;
    const [dead] = await badRig.dlq();
    await stack.aws.send(rig.queueUrl, dead?.Body ?? "");
    await rig.drain();
    expect(oroOrder("2")?.attributes.externalId).toBe(number);
    expect(await stack.erp.admin.counts()).toMatchObject({ orders: 2 });
  });

  describe("reconciliation: a lost webhook costs a delay, never an order", () => {
    /** Makes Oro lose the next events as it does: a transport error (never retried) for every delivery of the webhook. */
    const breakWebhook = () => {
      for (const webhook of stack.oro.store.list("webhooks"))
        stack.oro.store.mustTable("webhooks").put({ ...webhook, attributes: { ...webhook.attributes, notificationUrl: "http://127.0.0.1:9/unreachable" } });
    };
    const exportedIds = async () => (await stack.erp.admin.orders()).map((o) => o.order.source.orderId).sort();
    // The demo orders 1-3 were last changed long ago (the seed stamps them with the start time).
    beforeEach(() => {
      for (const id of ["1", "2", "3"]) {
        const order = oroOrder(id);
        if (order) stack.oro.store.mustTable("orders").put({ ...order, attributes: { ...order.attributes, updatedAt: "2026-01-01T00:00:00Z" } });
      }
    });

    it("exports orders whose webhooks were lost (transport error, owner without VIEW) from the scheduled window, once", async () => {
      // Scheduled as deployed: the plan gives the connector's default rate(15 minutes) to its settings.
      const windowRig = await connectorRig(stack, oroOrdersToErp);
      breakWebhook();
      const lostToNetwork = await placeOrders(2);
      expect(stack.oro.webhooks.log.map((d) => [d.outcome, d.attempt])).toEqual([
        ["failed", 1],
        ["failed", 1],
      ]);
      // The webhook's owner loses VIEW on orders: Oro skips the delivery without a request.
      stack.oro.acl.deny({ user: "2", type: "orders", permission: "VIEW" });
      for (const webhook of stack.oro.store.list("webhooks"))
        stack.oro.store.mustTable("webhooks").put({ ...webhook, relationships: { ...webhook.relationships, owner: { type: "users", id: "2" } } });
      const skipped = await placeOrders(1);
      expect(stack.oro.webhooks.log.at(-1)).toMatchObject({ outcome: "skipped", attempt: 0, status: null });
      expect(await exportedIds()).toEqual([]);

      // The schedule fires 5 minutes (the reconciliation delay) after the orders were placed.
      await windowRig.send("window", "schedule-1", { scheduledTime: new Date(Date.now() + 5 * 60_000).toISOString() });
      await windowRig.drain();

      const lost = [...lostToNetwork, ...skipped].sort();
      expect(await exportedIds()).toEqual(lost);
      for (const id of lost) expect(oroOrder(id)?.attributes.externalId).toMatch(/^ERP-\d{6}$/);
      // The demo orders 1-3 were updated long before the window: not touched.
      expect(oroOrder("1")?.attributes.externalId).toBeNull();

      // The next, overlapping window finds them exported (their number is written back): no ERP call at all.
      const requests = (await stack.erp.admin.orderRequests()).length;
      await windowRig.send("window", "schedule-2", { scheduledTime: new Date(Date.now() + 6 * 60_000).toISOString() });
      await windowRig.drain();
      expect((await stack.erp.admin.orderRequests()).length).toBe(requests);
      expect(await windowRig.dlq()).toEqual([]);
      expect((await windowRig.alerts()).filter((a) => a.kind === "failure")).toEqual([]);
    });

    it("racing the webhook's own export, the reconciliation still ends with one ERP order per Oro order", async () => {
      const delivered = await placeOrders(2); // webhooks delivered, exports still queued
      breakWebhook();
      const lost = await placeOrders(2);
      const now = Date.now();
      await rig.send("window", "backfill-window", { from: new Date(now - 60_000).toISOString(), to: new Date(now + 1_000).toISOString() });

      const run = await rig.drain();

      expect(run.failed).toBe(0);
      expect(await exportedIds()).toEqual([...delivered, ...lost].sort());
      const outcomes = (await stack.erp.admin.orderRequests()).map((r) => r.outcome);
      expect(outcomes.filter((o) => o === "created")).toHaveLength(4);
      expect(outcomes.filter((o) => o !== "created").every((o) => o === "duplicate" || o === "replayed")).toBe(true);
      expect(await rig.dlq()).toEqual([]);
    });

    it("pages the window by id, so write-backs moving updatedAt out of the window skip nothing", async () => {
      breakWebhook();
      const ids = await placeOrders(RECONCILE_PAGE_SIZE + 3);
      const now = Date.now();
      await rig.send("window", "big-window", { from: new Date(now - 120_000).toISOString(), to: new Date(now + 1_000).toISOString() });
      await rig.drain({ maxPolls: 200 });
      expect(await exportedIds()).toEqual([...ids].sort());
      expect(await stack.erp.admin.counts()).toMatchObject({ orders: RECONCILE_PAGE_SIZE + 3 });
    });

    it("exports an order announced with Oro's fallback body (data.type is the PHP class) instead of dead-lettering it", async () => {
      stack.oro.webhooks.failSerialization(1);
      const [id] = await placeOrders(1);
      const [forwarded] = (await stack.aws.drain(rig.queueUrl, 600)).map((m) => m.Body ?? "");
      expect(JSON.parse(forwarded ?? "{}").eventData.data).toEqual({ type: ORDER_ENTITY_CLASS, id: Number(id) });
      await stack.aws.send(rig.queueUrl, forwarded ?? "");

      const run = await rig.drain();

      expect(run.failed).toBe(0);
      expect(await exportedIds()).toEqual([id]);
      expect(await rig.dlq()).toEqual([]);
    });
  });
});
