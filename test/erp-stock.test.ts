import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RETRY_ATTEMPTS } from "../shared/http/constants";
import { erpStock } from "../functions/erp-stock/connector";
import { connectorRig, startErpStack } from "./erp-local-stack";
import type { ConnectorRig, ErpStack } from "./erp-local-stack";

let stack: ErpStack;

beforeAll(async () => {
  stack = await startErpStack();
});
afterAll(async () => {
  await stack.stop();
});
beforeEach(async () => {
  await stack.oro.admin.reset();
  await stack.erp.admin.reset();
});

/** Oro quantity of the inventory level of `sku` (unit `each`), from the sandbox's store. */
const oroQuantity = (sku: string): unknown => {
  const productId = stack.oro.store.mustTable("products").findUnique("sku", sku);
  const level = stack.oro.store.list("inventorylevels").find((l) => (l.relationships.product as { id: string } | null)?.id === productId);
  return level?.attributes.quantity;
};
const inventoryPatches = () => {
  const routes = stack.oro.stats().byRoute;
  return (routes["PATCH /admin/api/inventorylevels"] ?? 0) + (routes["PATCH /admin/api/inventorylevels/{id}"] ?? 0);
};
const backfill = (rig: ConnectorRig, id = "initial") =>
  rig.send("window", id, { from: "1970-01-01T00:00:00Z", to: new Date(Date.now() + 60_000).toISOString() });

describe("erp-stock on the ERP and Oro sandboxes", () => {
  it("runs an initial sync across pages and then an incremental window of just the changes", async () => {
    // The plan gives the schedule's settings (erp-stock's default rate(15 minutes), 5 minutes overlap).
    const rig = await connectorRig(stack, erpStock, { settings: { pageSize: 10 } });
    await backfill(rig);
    const initial = await rig.drain();
    // One invocation walks the three pages (functions/erp-stock/sync-window.ts): no hand-over needed.
    expect(initial).toMatchObject({ received: 1, failed: 0 });
    for (let i = 1; i <= 30; i += 1) expect(oroQuantity(`SKU-${String(i).padStart(4, "0")}`)).toBe(String(99 + i));

    const scheduledTime = "2026-06-01T10:15:00.000Z";
    await stack.erp.admin.putStock({
      levels: [
        { sku: "SKU-0001", unit: "each", quantity: "7", updatedAt: "2026-06-01T10:05:00.000Z" },
        { sku: "SKU-0002", unit: "each", quantity: "8.5", updatedAt: "2026-06-01T09:58:00.000Z" }, // in the 5-minute overlap
        { sku: "SKU-0003", unit: "each", quantity: "9", updatedAt: "2026-06-01T09:40:00.000Z" }, // an earlier window's
        { sku: "SKU-0004", unit: "each", quantity: "10", updatedAt: scheduledTime }, // the next window's (updatedTo is exclusive)
      ],
    });
    await stack.oro.admin.resetStats();
    await rig.send("window", scheduledTime, { scheduledTime });
    expect(await rig.drain()).toMatchObject({ received: 1, failed: 0 });
    expect([oroQuantity("SKU-0001"), oroQuantity("SKU-0002"), oroQuantity("SKU-0003"), oroQuantity("SKU-0004")]).toEqual(["7", "8.5", "102", "103"]);
    expect(inventoryPatches()).toBe(1);
    expect(await rig.alerts()).toEqual([]);
  });

  it("leaves the state identical on a duplicate delivery, writing nothing the second time", async () => {
    const rig = await connectorRig(stack, erpStock);
    await backfill(rig, "same-window");
    await rig.drain();
    const before = structuredClone(stack.oro.store.list("inventorylevels"));
    await stack.oro.admin.resetStats();

    await backfill(rig, "same-window");
    await backfill(rig, "same-window");
    expect(await rig.drain()).toMatchObject({ received: 2, failed: 0 });

    expect(stack.oro.store.list("inventorylevels")).toEqual(before);
    expect(inventoryPatches()).toBe(0);
  });

  it("lands 499 of 500 levels and fails the unknown SKU alone: one alert, one replay that lands once the product exists", async () => {
    await stack.oro.admin.reset({ seed: false });
    await stack.oro.admin.seed({ products: 499 });
    await stack.erp.admin.reset({ seed: false });
    await stack.erp.admin.putStock({ generate: { count: 500, prefix: "BULK-", quantityOffset: 1000, updatedAt: "2026-06-01T10:00:00.000Z" } });
    const rig = await connectorRig(stack, erpStock, { settings: { pageSize: 200 } });

    await backfill(rig);
    expect(await rig.drain()).toMatchObject({ received: 1, failed: 0 });

    const synced = stack.oro.store.list("inventorylevels").filter((l) => Number(l.attributes.quantity) > 1000);
    expect(synced).toHaveLength(499);
    const alerts = await rig.alerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: "failure",
      code: "UNKNOWN_SKU",
      externalId: "BULK-00500",
      disposition: "permanent",
      entity: "inventorylevels",
      operation: "import",
    });
    const dlq = await rig.dlq();
    expect(dlq).toHaveLength(1);
    const replay = JSON.parse(dlq[0]?.Body ?? "{}") as { type: string; payload: { levels: Array<{ sku: string }> } };
    expect(replay).toMatchObject({ type: "stock.changed", payload: { levels: [{ sku: "BULK-00500", quantity: "1500", unit: "each" }] } });

    // The operator creates the product and redrives: only that level is replayed.
    await stack.oro.admin.seed({ productList: [{ sku: "BULK-00500", quantity: 0 }] });
    await stack.oro.admin.resetStats();
    await stack.aws.send(rig.queueUrl, dlq[0]?.Body ?? "");
    expect(await rig.drain()).toMatchObject({ received: 1, failed: 0 });
    expect(oroQuantity("BULK-00500")).toBe("1500");
    expect(inventoryPatches()).toBe(1);
  });

  it("applies pushed stock.changed levels with single PATCHes, failing an unknown unit and a malformed level by name", async () => {
    const rig = await connectorRig(stack, erpStock, { settings: { inventoryWrite: "single", warehouse: "MAIN" } });
    await rig.send("stock.changed", "push-1", {
      levels: [
        { sku: "SKU-0005", unit: "each", quantity: "55", warehouse: "MAIN", updatedAt: "2026-06-01T10:00:00Z" },
        { sku: "SKU-0006", unit: "each", quantity: "66", warehouse: "OTHER", updatedAt: "2026-06-01T10:00:00Z" },
        { sku: "SKU-0007", unit: "kg", quantity: "1.5", updatedAt: "2026-06-01T10:00:00Z" },
        { sku: "SKU-0008", unit: "each", quantity: "lots", updatedAt: "2026-06-01T10:00:00Z" },
      ],
    });
    expect(await rig.drain()).toMatchObject({ received: 1, failed: 0 });
    expect([oroQuantity("SKU-0005"), oroQuantity("SKU-0006"), oroQuantity("SKU-0007"), oroQuantity("SKU-0008")]).toEqual(["55", "42", "49", "6"]);
    const alerts = await rig.alerts();
    expect(alerts.map((a) => (a.kind === "failure" ? [a.code, a.externalId] : [])).sort()).toEqual([
      ["MAPPING", "SKU-0008"],
      ["UNKNOWN_UNIT", "SKU-0007"],
    ]);
    const unit = alerts.find((a) => a.kind === "failure" && a.code === "UNKNOWN_UNIT");
    expect(unit?.kind === "failure" && unit.message).toContain('SKU "SKU-0007" has no unit "kg" in Oro (units: each)');
  });

  it("honours an ERP 429 storm on GET /stock and finishes the window", async () => {
    const rig = await connectorRig(stack, erpStock, { settings: { pageSize: 10 } });
    await stack.erp.admin.faults({ throttle: { count: 4, retryAfterSeconds: 1 }, paths: ["/stock"] });
    const started = Date.now();
    await backfill(rig);
    const run = await rig.drain();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(stack.erp.stats().byStatus["429"]).toBe(4);
    // The throttled page fetched ahead is handed over to a page message rather than failing the window.
    expect(run.received).toBe(2);
    for (let i = 1; i <= 30; i += 1) expect(oroQuantity(`SKU-${String(i).padStart(4, "0")}`)).toBe(String(99 + i));
    expect(await rig.dlq()).toHaveLength(0);
  });

  it("survives an Oro 503 period and lands every level", async () => {
    const rig = await connectorRig(stack, erpStock, { settings: { pageSize: 10 } });
    // Counted, not timed: the next 3 x DEFAULT_RETRY_ATTEMPTS product/level requests get a 503 however soon the sync
    // gets there, so the first call exhausts its in-call retries (a failed record) and none reaches maxReceiveCount.
    await stack.oro.admin.faults({
      serverError: { count: 3 * DEFAULT_RETRY_ATTEMPTS, status: 503 },
      paths: ["/admin/api/products", "/admin/api/inventorylevels"],
    });
    await backfill(rig);
    const run = await rig.drain({ maxPolls: 100, pauseMs: 300 });
    expect(stack.oro.stats().byStatus["503"]).toBeGreaterThan(0);
    expect(run.failed).toBeGreaterThan(0);
    for (let i = 1; i <= 30; i += 1) expect(oroQuantity(`SKU-${String(i).padStart(4, "0")}`)).toBe(String(99 + i));
    expect(await rig.dlq()).toHaveLength(0);
    expect((await rig.alerts()).every((a) => a.kind === "recovery")).toBe(true);
  });
});
