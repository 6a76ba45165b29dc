import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { oroOrdersToErp } from "../functions/oro-orders-to-erp/connector";
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

const placeOrders = async (count: number, lines: Array<{ sku: string; quantity: number; value?: number; unit?: string }> = [{ sku: "SKU-0004", quantity: 2, value: 14 }]) => {
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
      shippingAddress: { firstName: "Pat", lastName: "Lee", company: "Acme Corp", street: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
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
    const [bad] = await placeOrders(1, [{ sku: "SKU-0004", quantity: 1 }, { sku: "SKU-0009", quantity: 1 }]);
    await rig.send("order", "missing-order", { orderId: "9999" });

    const run = await rig.drain();

    expect(run.failed).toBe(0);
    const exported = (await stack.erp.admin.orders()).map((o) => o.order.source.orderId).sort();
    expect(exported).toEqual([...good].sort());
    const alerts = await rig.alerts();
    expect(alerts).toHaveLength(2);
    const validation = alerts.find((a) => a.kind === "failure" && a.code === "ERP_VALIDATION");
    expect(validation).toMatchObject({ disposition: "permanent", alertType: "validation", entity: "orders", operation: "export", externalId: oroOrder(bad ?? "")?.attributes.identifier });
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
    await stack.oro.admin.faults({ serverError: { forMs: 2_500, rate: 0.7, status: 503 }, paths: ["/admin/api/orders"] });

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
    expect(alert?.kind === "failure" && alert.message).toContain('set settings.orderNumberField to another order field');
    // The ERP order exists; after fixing the setting, a redrive gets the same number and writes it back.
    const number = (await stack.erp.admin.orders()).find((o) => o.order.source.orderId === "2")?.orderNumber;
    const [dead] = await badRig.dlq();
    await stack.aws.send(rig.queueUrl, dead?.Body ?? "");
    await rig.drain();
    expect(oroOrder("2")?.attributes.externalId).toBe(number);
    expect(await stack.erp.admin.counts()).toMatchObject({ orders: 2 });
  });
});
