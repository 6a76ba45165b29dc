/**
 * Product writes that stock Oro 6.1/7.0 accepts (issue 11 §1), against the strict Oro sandbox with
 * the real Oro client over HTTP: lookup by `filter[sku]`, `meta.update` by id for existing
 * products, create for new ones, and a lost create race turned into an update. The connector
 * context around `writePage` is a plain object (the queue side is covered by akeneo-products.test.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ItemFailure } from "../shared/connector";
import { closeAll } from "../shared/http";
import type { AkeneoProduct } from "../shared/integrations/akeneo";
import { createOroClient, isAlreadyExistsError } from "../shared/oro";
import type { OroClient } from "../shared/oro";
import { AkeneoProductsSettingsSchema, prepareAkeneoProducts } from "../functions/akeneo-products/settings";
import { Metric, writePage } from "../functions/akeneo-products/write";
import { parseConnectorSettings } from "../shared/connector";
import { startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox, Ref, StoredRecord } from "../sandboxes/oro";

let oro: OroSandbox;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "writes-id", clientSecret: "writes-secret", seed: false });
});
afterAll(async () => {
  await closeAll();
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset({ seed: false });
  await oro.admin.faults({});
  await oro.admin.seed({ records: [{ type: "attributefamilies", attributes: { code: "accessories" } }] });
});
afterEach(() => closeAll());

const client = (): OroClient =>
  createOroClient({ getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: "writes-id", clientSecret: "writes-secret" }) });

/** An Akeneo product (products-uuid shape) the default mapping accepts. */
const akeneoProduct = (sku: string, name: string): AkeneoProduct =>
  ({
    uuid: `uuid-${sku}-${name}`,
    enabled: true,
    family: "accessories",
    // The SKU is the identifier attribute's value (`values.sku` by default: docs/reference/akeneo-api.md §2).
    values: { sku: [{ locale: null, scope: null, data: sku }], name: [{ locale: "en_US", scope: null, data: name }] },
  }) as unknown as AkeneoProduct;

/** What writePage reads from its connector context, recorded. */
const context = (oroClient: OroClient) => {
  const counts = new Map<string, number>();
  const failures: ItemFailure[] = [];
  // Parsed and prepared the way the runtime does once per container.
  // Descriptions are left out the way test/akeneo-harness.ts does for its runs.
  const settings = parseConnectorSettings("akeneo-products", AkeneoProductsSettingsSchema, { mapping: { relationships: { descriptions: null } } });
  const ctx = {
    integration: "akeneo-test",
    connector: "akeneo-products",
    client: undefined as never,
    oro: oroClient,
    signal: new AbortController().signal,
    remainingTimeMs: () => 60_000,
    logger: {
      debug() {},
      info() {},
      warn() {},
      error() {},
      child() {
        return this;
      },
    } as never,
    settings,
    prepared: prepareAkeneoProducts(settings),
    enqueue: async () => {},
    failItems: async (items: ItemFailure[]) => {
      failures.push(...items);
    },
    count: (metric: string, value = 1) => counts.set(metric, (counts.get(metric) ?? 0) + value),
  };
  return { ctx, counts, failures };
};

const productsWithSku = (sku: string): StoredRecord[] => oro.store.list("products").filter((p) => p.attributes.sku === sku);
const defaultName = (product: StoredRecord): unknown =>
  ((product.relationships.names as Ref[]) ?? []).map((r) => oro.store.get(r)).find((n) => n?.relationships.localization == null)?.attributes.string;

describe("Product writes on stock Oro", () => {
  it("the old write (batch upsert by sku) is what stock Oro refuses: 400 at /data/0/meta/upsert", async () => {
    const result = await client().batch("products", [{ data: { type: "products", meta: { upsert: ["sku"] }, attributes: { sku: "OLD-1" } } }], {
      mode: "sync",
    });
    expect(result.failed).toBe(1);
    expect(result.items[0]?.errors).toEqual([
      { status: "400", title: "value constraint", detail: "The upsert operation is not allowed.", source: { pointer: "/data/meta/upsert" } },
    ]);
    expect(result.items[0]?.reason).toBe("products: value constraint at /data/meta/upsert: The upsert operation is not allowed. (item 0 of the batch)");
    expect(productsWithSku("OLD-1")).toEqual([]);
  });

  it("creates new products and updates existing ones by id, reusing their rows", async () => {
    const first = context(client());
    await writePage("w", "page-1", [akeneoProduct("WR-1", "One"), akeneoProduct("WR-2", "Two")], first.ctx as never);
    expect(first.failures).toEqual([]);
    expect(first.counts.get(Metric.written)).toBe(2);
    const [created] = productsWithSku("WR-1");
    const namesBefore = oro.store.list("productnames").length;
    const precisionsBefore = oro.store.list("productunitprecisions").length;

    const second = context(client());
    await writePage("w", "page-2", [akeneoProduct("WR-1", "One, renamed"), akeneoProduct("WR-3", "Three")], second.ctx as never);
    expect(second.failures).toEqual([]);
    expect(second.counts.get(Metric.written)).toBe(2);
    expect(second.counts.get(Metric.createConflicts)).toBeUndefined();
    const [updated] = productsWithSku("WR-1");
    expect(updated?.id).toBe(created?.id);
    expect(defaultName(updated as StoredRecord)).toBe("One, renamed");
    // WR-1's name row and unit precision were updated in place; WR-3 added one of each.
    expect(oro.store.list("productnames").length).toBe(namesBefore + 1);
    expect(oro.store.list("productunitprecisions").length).toBe(precisionsBefore + 1);
    // No request carried meta.upsert: the sandbox would have refused it.
    expect(
      oro.store
        .list("products")
        .map((p) => p.attributes.sku)
        .sort(),
    ).toEqual(["WR-1", "WR-2", "WR-3"]);
  });

  it("two runs creating the same new SKU at once end with one product and the later write, no DLQ entry", async () => {
    // One request at a time, first come first served: run A's lookup, run B's lookup (both find
    // nothing), A's create (lands), B's create (Oro: unique entity constraint) -> B looks up again
    // and updates by id.
    await oro.admin.faults({ maxConcurrent: 1 });
    const a = context(client());
    const b = context(client());
    await Promise.all([
      writePage("w", "run-a", [akeneoProduct("RACE-1", "From run A")], a.ctx as never),
      writePage("w", "run-b", [akeneoProduct("RACE-1", "From run B")], b.ctx as never),
    ]);
    expect(a.failures).toEqual([]);
    expect(b.failures).toEqual([]);
    expect(a.counts.get(Metric.createConflicts)).toBeUndefined();
    expect(b.counts.get(Metric.createConflicts)).toBe(1);
    expect(a.counts.get(Metric.written)).toBe(1);
    expect(b.counts.get(Metric.written)).toBe(1);
    const products = productsWithSku("RACE-1");
    expect(products).toHaveLength(1);
    expect(defaultName(products[0] as StoredRecord)).toBe("From run B");
    // B's update reused A's unit precision and name rows instead of adding a second set.
    expect(oro.store.list("productunitprecisions")).toHaveLength(1);
    expect(oro.store.list("productnames")).toHaveLength(1);
  });

  it("the same race when Oro's unique index answers it (409 'The entity already exists.' at flush)", async () => {
    await oro.admin.faults({ maxConcurrent: 1 });
    await oro.admin.uniqueAtFlush(1);
    const a = context(client());
    const b = context(client());
    await Promise.all([
      writePage("w", "run-a", [akeneoProduct("RACE-2", "From run A"), akeneoProduct("SOLO-A", "Only A")], a.ctx as never),
      writePage("w", "run-b", [akeneoProduct("RACE-2", "From run B"), akeneoProduct("SOLO-B", "Only B")], b.ctx as never),
    ]);
    expect([a.failures, b.failures]).toEqual([[], []]);
    expect(b.counts.get(Metric.createConflicts)).toBe(1);
    // The 409 named only RACE-2 (/data/0): SOLO-B was sent again in the same round and landed.
    expect(b.counts.get(Metric.written)).toBe(2);
    expect((await oro.admin.stats()).byStatus["409"]).toBe(1);
    expect(productsWithSku("RACE-2")).toHaveLength(1);
    expect(defaultName(productsWithSku("RACE-2")[0] as StoredRecord)).toBe("From run B");
    expect(productsWithSku("SOLO-B")).toHaveLength(1);
  });

  it("the same new SKU twice in one page: the second is turned into an update of the first", async () => {
    const run = context(client());
    await writePage("w", "dup", [akeneoProduct("DUP-1", "First"), akeneoProduct("OTHER-1", "Other"), akeneoProduct("DUP-1", "Second")], run.ctx as never);
    expect(run.failures).toEqual([]);
    expect(run.counts.get(Metric.createConflicts)).toBe(1);
    expect(run.counts.get(Metric.written)).toBe(3);
    const products = productsWithSku("DUP-1");
    expect(products).toHaveLength(1);
    expect(defaultName(products[0] as StoredRecord)).toBe("Second");
    expect(productsWithSku("OTHER-1")).toHaveLength(1);
  });

  it("a SKU that exists in another letter case fails with an actionable reason (Oro's uniqueness ignores case, its filter does not)", async () => {
    const seed = context(client());
    await writePage("w", "seed", [akeneoProduct("case-1", "lower")], seed.ctx as never);
    const run = context(client());
    await writePage("w", "upper", [akeneoProduct("CASE-1", "upper")], run.ctx as never);
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]?.error.message).toBe(
      'Oro rejected product "CASE-1": Oro says a product with SKU "CASE-1" already exists, but filter[sku] finds none: Oro\'s uniqueness check ignores letter case and its filter does not, ' +
        "so the existing product's SKU differs only in case (or belongs to another organization, or the SKU has a comma, which filter[sku] reads as OR; " +
        "Oro's default SKU pattern allows none). Rename one of them, then redrive this message.",
    );
    expect(run.failures[0]?.replay).toEqual({ type: "page", id: "upper/CASE-1", payload: { window: "w", products: [akeneoProduct("CASE-1", "upper")] } });
    expect(oro.store.list("products").map((p) => p.attributes.sku)).toEqual(["case-1"]);
  });

  it("a SKU outside Oro's default pattern (a comma, a dot) is rejected by Oro and skipped with its reason", async () => {
    const run = context(client());
    await writePage("w", "pattern", [akeneoProduct("A,B-1", "comma"), akeneoProduct("OK-1", "fine")], run.ctx as never);
    expect(run.failures.map((f) => f.error.message)).toEqual([
      'Oro rejected product "A,B-1": products: sku regex constraint at /data/attributes/sku: This value should contain only latin letters, numbers and symbols "-" or "_". (item 0 of the batch)',
    ]);
    expect(run.counts.get(Metric.createConflicts)).toBeUndefined();
    expect(oro.store.list("products").map((p) => p.attributes.sku)).toEqual(["OK-1"]);
  });
});

describe("isAlreadyExistsError: the two shapes Oro answers for a duplicate key", () => {
  it("recognises UniqueEntity at the key attribute and the unique index's 409, nothing else", () => {
    // ProductBundle validation.yml UniqueEntity(fields: [sku, organization]); ProductTest.php.
    expect(
      isAlreadyExistsError(
        [{ status: "400", title: "unique entity constraint", detail: "This value is already used.", source: { pointer: "/data/attributes/sku" } }],
        "sku",
      ),
    ).toBe(true);
    // ApiBundle Batch/Processor/Update/FlushData.php: UniqueConstraintViolationException at flush.
    expect(
      isAlreadyExistsError([{ status: "409", title: "conflict constraint", detail: "The entity already exists.", source: { pointer: "/data/3" } }], "sku"),
    ).toBe(true);
    expect(
      isAlreadyExistsError(
        [
          {
            status: "400",
            title: "unique entity constraint",
            detail: "This value is already used.",
            source: { pointer: "/included/0/relationships/product/data" },
          },
        ],
        "sku",
      ),
    ).toBe(false);
    expect(
      isAlreadyExistsError(
        [{ status: "400", title: "not blank constraint", detail: "This value should not be blank.", source: { pointer: "/data/attributes/sku" } }],
        "sku",
      ),
    ).toBe(false);
    expect(isAlreadyExistsError([{ status: "409", title: "conflict constraint", detail: "The upsert operation founds more than one entity." }], "sku")).toBe(
      false,
    );
    expect(isAlreadyExistsError(undefined, "sku")).toBe(false);
  });
});

describe("Product writes on stock Oro: end to end through the queue", () => {
  it("two page messages creating the same new SKU in one invocation land one product, no DLQ entry, no alert", async () => {
    const { startHarness } = await import("./akeneo-harness");
    const h = await startHarness({ catalog: { count: 1, prefix: "RACE-E2E-", updatedAt: "2024-05-01T00:00:00Z" } });
    try {
      const product = await h.akeneo.admin.product("RACE-E2E-00001");
      const named = (name: string) => ({ ...product, values: { ...product.values, name: [{ locale: "en_US", scope: null, data: name }] } });
      await h.send("page", "race-page-a", { window: "w", products: [named("Name A")] });
      await h.send("page", "race-page-b", { window: "w", products: [named("Name B")] });
      await h.drain({ batchSize: 2, maxConcurrency: 1 });

      const products = (await h.products()).filter((p) => p.attributes.sku === "RACE-E2E-00001");
      expect(products).toHaveLength(1);
      const names = await h.oro.admin.state<StoredRecord[]>("productnames");
      const own = names.filter((n) => ((products[0]?.relationships.names as Ref[]) ?? []).some((r) => r.id === n.id));
      expect(own).toHaveLength(1);
      expect(["Name A", "Name B"]).toContain(own[0]?.attributes.string);
      expect(
        (await h.oro.admin.state<StoredRecord[]>("productunitprecisions")).filter((p) => (p.relationships.product as Ref | null)?.id === products[0]?.id),
      ).toHaveLength(1);
      // Exactly one create was refused (the lost race), and it cost no DLQ entry or alert.
      expect((await h.oro.admin.stats()).byStatus["400"]).toBe(1);
      expect(await h.dlq()).toEqual([]);
      expect((await h.alerts()).filter((e) => e.kind === "failure")).toEqual([]);
    } finally {
      await h.stop();
    }
  });
});
