import { afterEach, describe, expect, it } from "vitest";
import { type AkeneoProduct, identifierOf } from "../sandboxes/akeneo";
import type { StoredRecord } from "../sandboxes/oro";
import { type Harness, startHarness } from "./akeneo-harness";

/**
 * Big loads through Oro's asynchronous batch API (functions/akeneo-products/bulk.ts), end to end
 * on the local services: the pages an invocation writes at once go as one async request, polled;
 * every item Oro rejects comes back by its `/data/{i}` pointer to its own product (DLQ replay +
 * alert) while the rest lands; small windows keep the sync batches.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const skusOf = (products: StoredRecord[], prefix: string) => new Set(products.map((p) => String(p.attributes.sku)).filter((s) => s.startsWith(prefix)));
const withSku = (product: AkeneoProduct, sku: string): AkeneoProduct => ({
  ...product,
  values: { ...product.values, sku: [{ locale: null, scope: null, data: sku }] },
});

describe("akeneo-products through Oro's async batch API", () => {
  it("lands 597 of 600 products in async operations and fails exactly the 3 Oro rejects, each with its own alert and replay", async () => {
    h = await startHarness({ catalog: { count: 0 }, settings: { oroAsyncBatch: "always" } });
    await h.akeneo.admin.seed({ count: 600, prefix: "BIG-", updatedAt: "2024-05-01T00:00:00Z" });
    const bad = ["BIG-00007", "BIG-00250", "BIG-00599"];
    for (const sku of bad) await h.akeneo.admin.putProducts([withSku(await h.akeneo.admin.product(sku), sku.replace("-", " "))]);

    await h.sendBackfill("2024-04-30T23:00:00Z", "2024-05-01T01:00:00Z");
    await h.drain({ batchSize: 5, maxConcurrency: 2, batchingWindowMs: 1_000 });

    const landed = skusOf(await h.products(), "BIG-");
    expect(landed.size).toBe(597);
    for (const sku of bad) expect(landed.has(sku)).toBe(false);
    const operations = h.oro.store.list("asyncoperations");
    expect(operations.length).toBeGreaterThanOrEqual(1);
    expect(operations.reduce((n, o) => n + Number((o.attributes.summary as { errorCount: number }).errorCount), 0)).toBe(3);
    expect((await h.oro.admin.stats()).byRoute["PATCH /admin/api/products"]).toBe(operations.length);

    const failures = (await h.alerts()).filter((e) => e.kind === "failure");
    expect(failures.map((f) => f.externalId).sort()).toEqual(["BIG 00007", "BIG 00250", "BIG 00599"]);
    for (const f of failures) {
      expect(f).toMatchObject({ code: "ORO_VALIDATION", alertType: "validation", step: "page" });
      expect(f.kind === "failure" && f.message).toMatch(
        new RegExp(`^Oro rejected product "${f.externalId}": products: sku regex constraint at /data/attributes/sku`),
      );
    }
    const replays = (await h.dlq()).map((m) =>
      (JSON.parse(m.Body ?? "{}") as { type: string; payload: { products: AkeneoProduct[] } }).payload.products.map((p) => identifierOf(p)),
    );
    expect(replays.sort()).toEqual([["BIG 00007"], ["BIG 00250"], ["BIG 00599"]]);
  });

  it("keeps sync batches for a small incremental window in auto mode (no async operation)", async () => {
    h = await startHarness({ catalog: { count: 0 } });
    await h.akeneo.admin.seed({ count: 40, prefix: "INC-", updatedAt: "2024-06-01T10:05:00Z" });

    await h.sendWindow("2024-06-01T10:15:00Z");
    await h.drain();

    expect(skusOf(await h.products(), "INC-").size).toBe(40);
    expect(h.oro.store.list("asyncoperations")).toHaveLength(0);
    // Sync batches: 3 included items per product, at most 50 per request -> 16 + 16 + 8.
    expect((await h.oro.admin.stats()).byRoute["PATCH /admin/api/products"]).toBe(3);
  });

  it("goes async in auto mode once an invocation's pages hold at least oroAsyncMinProducts", async () => {
    h = await startHarness({ catalog: { count: 0 }, settings: { oroAsyncMinProducts: 150 } });
    await h.akeneo.admin.seed({ count: 200, prefix: "AUTO-", updatedAt: "2024-07-01T00:00:00Z" });
    // Both pages are listed before the first poll: one invocation writes 200 products at once.
    await h.sendBackfill("2024-06-30T23:00:00Z", "2024-07-01T01:00:00Z");
    await h.drain({ batchSize: 5, maxConcurrency: 1, batchingWindowMs: 1_000 });

    expect(skusOf(await h.products(), "AUTO-").size).toBe(200);
    const operations = h.oro.store.list("asyncoperations");
    expect(operations).toHaveLength(1);
    expect(operations[0]?.attributes.summary).toMatchObject({ readCount: 200, writeCount: 200, errorCount: 0, createCount: 200 });
  });
});
