import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { oroOrdersToErp } from "../functions/oro-orders-to-erp/connector";
import { connectorRig, startErpStack } from "./erp-local-stack";
import type { ConnectorRig, ErpStack } from "./erp-local-stack";

/**
 * A redelivered `order.created` after the Oro order was edited in between (issue 16, gap 6).
 * The connector always fetches the current order, so the redelivery sends another body under the
 * same event. Its Idempotency-Key holds a hash of the body (functions/oro-orders-to-erp/README.md
 * step 3; docs/erp-contract.md "Why both an idempotency key and a duplicate check"): the key is
 * new, so the ERP does not answer 422 `idempotency_key_reused` (same key, other body: a permanent
 * failure, DLQ and alert) but 409 `duplicate_order` with the existing number, which the connector
 * takes as done. The ERP order stays as first exported (order edits are out of the ERP contract).
 */
let stack: ErpStack;
let rig: ConnectorRig;

beforeAll(async () => {
  stack = await startErpStack();
});
afterAll(async () => {
  await stack.stop();
});

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

describe("oro-orders-to-erp: the same event again after the order changed", () => {
  it("ends on the one ERP order already created (409 duplicate, not 422 key reused): no DLQ, no alert, number kept in Oro", async () => {
    const id = (await stack.oro.admin.createOrder({ customerId: "2", lines: [{ sku: "SKU-0004", quantity: 2, value: 14 }] })).data.id;
    await stack.oro.webhooks.idle();
    // The forwarded webhook, taken off the queue unprocessed to deliver it by hand.
    const [webhook, ...others] = (await stack.aws.drain(rig.queueUrl, 600)).map((m) => m.Body ?? "");
    expect(others).toEqual([]);
    const { messageId } = JSON.parse(webhook ?? "{}") as { messageId: string };
    await stack.aws.send(rig.queueUrl, webhook ?? "");
    expect(await rig.drain()).toMatchObject({ received: 1, failed: 0 });
    const [created, ...moreCreated] = await stack.erp.admin.orders();
    expect(moreCreated).toEqual([]);
    const orderNumber = created?.orderNumber as string;
    expect(stack.oro.store.mustTable("orders").get(id)?.attributes.externalId).toBe(orderNumber);

    // The buyer's note is edited in Oro (customerNotes is mapped to the ERP order's notes).
    await stack.oroClient.update({ type: "orders", id, attributes: { customerNotes: "Please deliver to the back door" } });
    // Oro (or SQS) delivers the same event again.
    await stack.aws.send(rig.queueUrl, webhook ?? "");
    const run = await rig.drain();

    expect(run).toMatchObject({ received: 1, failed: 0 });
    expect(await rig.dlq()).toEqual([]);
    expect(await rig.alerts()).toEqual([]);
    const requests = await stack.erp.admin.orderRequests();
    expect(requests.map((r) => [r.status, r.outcome, r.orderNumber])).toEqual([
      [201, "created", orderNumber],
      [409, "duplicate", orderNumber],
    ]);
    // Same order and event, another body: another key, both naming the order and the event.
    const [first, second] = requests.map((r) => r.idempotencyKey ?? "");
    expect(first).not.toBe(second);
    for (const key of [first, second]) expect(key).toMatch(new RegExp(`^oro-order:${id}:${messageId}:[0-9a-f]{16}$`));
    // The ERP order is the one first exported, unchanged; Oro keeps its number.
    expect(await stack.erp.admin.orders()).toEqual([created]);
    expect(created?.order.notes).toBeUndefined();
    expect(stack.oro.store.mustTable("orders").get(id)?.attributes.externalId).toBe(orderNumber);
  });
});
