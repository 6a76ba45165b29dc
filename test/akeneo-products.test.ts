import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AkeneoProduct, identifierOf } from "../sandboxes/akeneo";
import type { Ref, StoredRecord } from "../sandboxes/oro";
import { type Harness, startHarness } from "./akeneo-harness";

/**
 * The Akeneo products connector end to end on the local services: fauxqs, local Secrets Manager,
 * the Akeneo and Oro sandboxes, the real handler behind the event source mapping emulator.
 * Scenarios use distinct SKU prefixes and `updated` times so they share one set of services.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ catalog: { count: 300, updatedAt: "2024-01-01T00:00:00Z" } });
});
afterAll(() => h.stop());
beforeEach(async () => {
  await h.akeneo.admin.faults({});
  await h.oro.admin.faults({});
  await h.akeneo.admin.resetStats();
  await h.oro.admin.resetStats();
  await h.alerts();
  h.received.length = 0;
  h.receivedIds.length = 0;
  h.bodyBytes.clear();
});

const bySku = (products: StoredRecord[], prefix: string) =>
  new Map(products.filter((p) => String(p.attributes.sku).startsWith(prefix)).map((p) => [String(p.attributes.sku), p]));
const refs = (value: unknown): Ref[] => (Array.isArray(value) ? (value as Ref[]) : value ? [value as Ref] : []);

describe("Connector: akeneo-products", () => {
  it("lands the whole catalog on the initial sync with the mapped fields", async () => {
    await h.sendBackfill("2023-12-31T00:00:00Z", "2024-01-02T00:00:00Z");
    await h.drain();

    const products = bySku(await h.products(), "AK-");
    expect(products.size).toBe(300);
    const names = new Map((await h.oro.admin.state<StoredRecord[]>("productnames")).map((n) => [n.id, n]));
    const precisions = new Map((await h.oro.admin.state<StoredRecord[]>("productunitprecisions")).map((p) => [p.id, p]));
    const families = new Map((await h.oro.admin.state<StoredRecord[]>("attributefamilies")).map((f) => [String(f.attributes.code), f.id]));
    // AK-00010: every 10th is disabled; n % 2 = 0 -> default_family; n % 4 = 2 -> unit SET, out_of_stock.
    const p10 = products.get("AK-00010") as StoredRecord;
    expect(p10.attributes.status).toBe("disabled");
    expect((p10.relationships.attributeFamily as Ref).id).toBe(families.get("default_family"));
    expect((p10.relationships.inventory_status as Ref).id).toBe("out_of_stock");
    const nameRows = refs(p10.relationships.names).map((r) => names.get(r.id) as StoredRecord);
    expect(nameRows.map((n) => [n.attributes.string, (n.relationships.localization as Ref | null)?.id ?? null])).toEqual([
      ["Product 10", null],
      ["Produkt 10", "2"],
    ]);
    const precision = precisions.get((p10.relationships.primaryUnitPrecision as Ref).id) as StoredRecord;
    expect([(precision.relationships.unit as Ref).id, precision.attributes.precision]).toEqual(["set", 0]);
    const p7 = products.get("AK-00007") as StoredRecord;
    expect(p7.attributes.status).toBe("enabled");
    expect((p7.relationships.attributeFamily as Ref).id).toBe(families.get("accessories"));
    const kg = precisions.get((p7.relationships.primaryUnitPrecision as Ref).id) as StoredRecord;
    expect([(kg.relationships.unit as Ref).id, kg.attributes.precision]).toEqual(["kg", 3]);
    expect(h.received.filter((t) => t === "page")).toHaveLength(3);
    expect(await h.alerts()).toEqual([]);
  });

  it("syncs only the products changed in a scheduled window", async () => {
    // Oro's updatedAt has second resolution: start in a new second so "unchanged" is visible.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = bySku(await h.products(), "AK-");
    await h.akeneo.admin.touch({ identifiers: ["AK-00003", "AK-00044", "AK-00250"], updatedAt: "2024-02-01T10:07:00Z", nameSuffix: " v2" });
    await h.akeneo.admin.touch({ identifiers: ["AK-00005"], updatedAt: "2024-02-01T09:40:00Z", nameSuffix: " too old" });
    await h.oro.admin.resetStats();

    await h.sendWindow("2024-02-01T10:15:00Z");
    await h.drain();

    const after = bySku(await h.products(), "AK-");
    const changed = [...after.values()]
      .filter((p) => p.attributes.updatedAt !== before.get(String(p.attributes.sku))?.attributes.updatedAt)
      .map((p) => p.attributes.sku);
    expect(changed.sort()).toEqual(["AK-00003", "AK-00044", "AK-00250"]);
    const names = await h.oro.admin.state<StoredRecord[]>("productnames");
    expect(
      names
        .filter((n) => String(n.attributes.string).endsWith(" v2"))
        .map((n) => n.attributes.string)
        .sort(),
    ).toEqual(["Product 250 v2", "Product 3 v2", "Product 44 v2"]);
    expect((await h.oro.admin.stats()).byRoute["PATCH /admin/api/products"]).toBe(1);
  });

  it("leaves the same state when a window is delivered twice", async () => {
    await h.akeneo.admin.touch({ identifiers: ["AK-00011", "AK-00012"], updatedAt: "2024-02-02T10:00:00Z", nameSuffix: " v3" });
    await h.sendWindow("2024-02-02T10:10:00Z");
    await h.drain();
    const counts = await h.oro.admin.counts();
    const snapshot = JSON.stringify([...bySku(await h.products(), "AK-0001")].map(([sku, p]) => [sku, p.relationships, p.attributes.status]));

    await h.sendWindow("2024-02-02T10:10:00Z");
    await h.sendWindow("2024-02-02T10:10:00Z");
    await h.drain();

    expect(await h.oro.admin.counts()).toEqual(counts);
    expect(JSON.stringify([...bySku(await h.products(), "AK-0001")].map(([sku, p]) => [sku, p.relationships, p.attributes.status]))).toBe(snapshot);
    expect(counts.products).toBe(300);
  });

  it("skips one bad record among 500 with one alert and one DLQ replay message, and syncs the other 499", async () => {
    await h.akeneo.admin.seed({ count: 500, prefix: "BAD-", updatedAt: "2024-03-01T00:00:00Z" });
    const bad = await h.akeneo.admin.product("BAD-00123");
    await h.akeneo.admin.putProducts([{ ...bad, family: "mystery_family" }]);

    await h.sendBackfill("2024-02-29T23:00:00Z", "2024-03-01T01:00:00Z");
    await h.drain();

    const products = bySku(await h.products(), "BAD-");
    expect(products.size).toBe(499);
    expect(products.has("BAD-00123")).toBe(false);
    const failures = (await h.alerts()).filter((e) => e.kind === "failure");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      externalId: "BAD-00123",
      code: "MAPPING",
      alertType: "mapping",
      entity: "products",
      operation: "import",
      step: "page",
    });
    expect(failures[0]?.kind === "failure" && failures[0].message).toMatch(/unknown attributeFamilies code "mystery_family"/);
    const dlq = await h.dlq();
    expect(dlq).toHaveLength(1);
    const replay = JSON.parse(dlq[0]?.Body ?? "{}") as { type: string; payload: { products: AkeneoProduct[] } };
    expect(replay.type).toBe("page");
    expect(replay.payload.products.map((p) => identifierOf(p))).toEqual(["BAD-00123"]);
  });

  it("skips a product Oro rejects (SKU with a space) with its own alert while the rest of its page lands", async () => {
    await h.akeneo.admin.seed({ count: 120, prefix: "REJ-", updatedAt: "2024-03-15T00:00:00Z" });
    const rejected = await h.akeneo.admin.product("REJ-00050");
    await h.akeneo.admin.putProducts([{ ...rejected, values: { ...rejected.values, sku: [{ locale: null, scope: null, data: "REJ 00050" }] } }]);

    await h.sendBackfill("2024-03-14T23:00:00Z", "2024-03-15T01:00:00Z");
    await h.drain();

    expect(bySku(await h.products(), "REJ-").size).toBe(119);
    const failures = (await h.alerts()).filter((e) => e.kind === "failure");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ externalId: "REJ 00050", code: "ORO_VALIDATION", alertType: "validation" });
    expect(failures[0]?.kind === "failure" && failures[0].message).toMatch(/sku regex constraint/);
    expect(
      (await h.dlq()).map((m) => identifierOf((JSON.parse(m.Body ?? "{}") as { payload: { products: AkeneoProduct[] } }).payload.products[0] ?? {})),
    ).toEqual(["REJ 00050"]);
  });

  it("honours an Akeneo 429 storm (Retry-After) and loses nothing", async () => {
    await h.akeneo.admin.seed({ count: 400, prefix: "THR-", updatedAt: "2024-04-01T00:00:00Z" });
    // Counted, not timed: the next 3 listing reads are throttled however soon the sync gets there.
    await h.akeneo.admin.faults({ throttle: { count: 3, retryAfterSeconds: 0.1 }, paths: ["/api/rest/v1/products-uuid"] });

    await h.sendBackfill("2024-03-31T23:00:00Z", "2024-04-01T01:00:00Z");
    await h.drain();

    const stats = await h.akeneo.admin.stats();
    expect(stats.faults.throttle).toBe(3);
    expect(stats.maxConcurrencyObserved).toBeLessThanOrEqual(4);
    expect(bySku(await h.products(), "THR-").size).toBe(400);
    expect((await h.alerts()).filter((e) => e.kind === "failure")).toEqual([]);
  });

  it("survives an Oro 503 period through retries, losing nothing", async () => {
    await h.akeneo.admin.seed({ count: 300, prefix: "OUT-", updatedAt: "2024-05-01T00:00:00Z" });
    // Counted, not timed: the next 6 product requests get a 503 however soon the sync gets there.
    await h.oro.admin.faults({ serverError: { status: 503, count: 6 }, paths: ["/admin/api/products"] });

    await h.sendBackfill("2024-04-30T23:00:00Z", "2024-05-01T01:00:00Z");
    await h.drain();

    expect((await h.oro.admin.stats()).faults.serverError).toBe(6);
    expect(bySku(await h.products(), "OUT-").size).toBe(300);
    expect((await h.alerts()).filter((e) => e.kind === "failure")).toEqual([]);
    expect(await h.dlq()).toEqual([]);
  });

  it("splits a page of large products into page messages under 256 KB", async () => {
    await h.akeneo.admin.seed({ count: 150, prefix: "BIG-", updatedAt: "2024-07-01T00:00:00Z", descriptionChars: 3_000 });

    await h.sendBackfill("2024-06-30T23:00:00Z", "2024-07-01T01:00:00Z");
    await h.drain();

    const pages = [...h.bodyBytes].filter(([id]) => id.includes("/page/"));
    expect(pages.length).toBeGreaterThan(2);
    expect(Math.max(...pages.map(([, bytes]) => bytes))).toBeLessThan(256 * 1024);
    expect(bySku(await h.products(), "BIG-").size).toBe(150);
  });

  it("hands a long listing over to continuation messages under a short deadline", async () => {
    await h.akeneo.admin.seed({ count: 1_000, prefix: "CONT-", updatedAt: "2024-06-01T00:00:00Z" });
    // 11 listing reads at 300 ms each cannot fit in one invocation's 2 s (2.5 s timeout less the
    // 0.5 s margin), however fast the machine: the listing must hand over at least once. Page
    // writes (Oro is not slowed) get the same 2 s, ample on a loaded machine.
    await h.akeneo.admin.faults({ latencyMs: 300, paths: ["/api/rest/v1/products-uuid"] });
    await h.stopEsm();

    await h.sendBackfill("2024-05-31T23:00:00Z", "2024-06-01T01:00:00Z");
    await h.drain({ timeoutMs: 2_500 });

    const continuations = h.received.filter((t) => t === "continuation").length;
    expect(continuations).toBeGreaterThanOrEqual(1);
    // Page writes may be retried under this deadline; the listing fanned out 10 distinct pages.
    expect(new Set(h.receivedIds.filter((id) => id.includes("/page/")))).toHaveProperty("size", 10);
    expect(bySku(await h.products(), "CONT-").size).toBe(1_000);
    // 10 full pages, then the empty page Akeneo's `next` link of a full last page leads to. Each
    // delivery of a listing message after the first re-reads at most the one page whose read the
    // deadline cut off (or whose invocation was retried).
    const listingDeliveries = h.received.filter((t) => t !== "page").length;
    const listingReads = (await h.akeneo.admin.stats()).byRoute["GET /api/rest/v1/products-uuid"];
    expect(listingReads).toBeGreaterThanOrEqual(11);
    expect(listingReads).toBeLessThanOrEqual(11 + listingDeliveries - 1);
  });
});
