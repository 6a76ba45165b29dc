/**
 * Client tests that hold against any Oro: the sandbox (oro-client-sandbox.test.ts) and a real
 * instance (oro-contract.test.ts). Checks that need the sandbox's stats or fault injection stay in
 * the sandbox suite.
 */
import { afterAll, describe, expect, it } from "vitest";
import { PermanentError } from "../../shared/errors";
import { OroNotFoundError, OroValidationError, createOroClient } from "../../shared/oro";
import type { OroClient, OroConnection, ResourceInput } from "../../shared/oro";

/** Where the contract runs. */
export interface OroTarget {
  name: string;
  connection: OroConnection;
  /** Prefix of every SKU this run creates, so runs never collide and cleanup finds them. */
  runId: string;
  /** The target enables `meta.upsert: ["sku"]` on products: stock Oro does not (docs/reference/oro-writes.md §2); only an Oro with its own upsert config. */
  upsertBySku: boolean;
  /** Relationship ids a new product needs. */
  refs: { inventoryStatus: string; attributeFamily: string; unit: string };
}

/** A product document Oro accepts on create: default name and unit precision as included records. */
export const newProduct = (target: OroTarget, sku: string, name = `Contract ${sku}`): { data: ResourceInput; included: ResourceInput[] } => ({
  data: {
    type: "products",
    attributes: { sku, status: "enabled", productType: "simple" },
    relationships: {
      names: { data: [{ type: "productnames", id: `name-${sku}` }] },
      unitPrecisions: { data: [{ type: "productunitprecisions", id: `unit-${sku}` }] },
      inventory_status: { data: { type: "prodinventorystatuses", id: target.refs.inventoryStatus } },
      attributeFamily: { data: { type: "attributefamilies", id: target.refs.attributeFamily } },
    },
  },
  included: [
    { type: "productnames", id: `name-${sku}`, attributes: { fallback: null, string: name }, relationships: { localization: { data: null } } },
    {
      type: "productunitprecisions",
      id: `unit-${sku}`,
      attributes: { precision: 0, conversionRate: 1, sell: true },
      relationships: { unit: { data: { type: "productunits", id: target.refs.unit } } },
    },
  ],
});

/** Registers the shared client tests for the target `getTarget()` returns (called inside each test). */
export const defineOroClientContract = (getTarget: () => OroTarget): void => {
  const created: Array<{ client: OroClient; id: string }> = [];
  const clientFor = (target: OroTarget): OroClient => createOroClient({ getConnection: async () => target.connection });

  afterAll(async () => {
    // Leave a real Oro as it was found.
    for (const { client, id } of created) await client.delete("products", id, { ignoreNotFound: true }).catch(() => undefined);
  });

  describe("contract: reading", () => {
    it("authenticates and reads a page of products with sparse fields and the total count", async () => {
      const client = clientFor(getTarget());
      const page = await client.list<{ sku: string }>("products", { fields: { products: ["sku"] }, page: { size: 5 }, totalCount: true });
      expect(page.data.length).toBeLessThanOrEqual(5);
      expect(page.totalCount).toBeGreaterThanOrEqual(page.data.length);
      for (const product of page.data) {
        expect(typeof product.id).toBe("string");
        expect(typeof product.attributes?.sku).toBe("string");
        expect(product.attributes).not.toHaveProperty("status");
      }
    });

    it("pages by links.next without repeating or skipping a record", async () => {
      const client = clientFor(getTarget());
      const ids: string[] = [];
      for await (const product of client.iterate("products", { fields: { products: ["sku"] }, page: { size: 3 }, maxPages: 4, sort: "id" }))
        ids.push(product.id);
      const reference = await client.list("products", { fields: { products: ["sku"] }, page: { size: ids.length }, sort: "id" });
      expect(ids).toEqual(reference.data.map((p) => p.id));
      expect(new Set(ids).size).toBe(ids.length);
    });

    it("filters with filter[field]=a,b as an OR list", async () => {
      const client = clientFor(getTarget());
      const first = await client.list<{ sku: string }>("products", { fields: { products: ["sku"] }, page: { size: 2 }, sort: "id" });
      const skus = first.data.map((p) => p.attributes?.sku ?? "");
      const filtered = await client.list<{ sku: string }>("products", { filter: { sku: skus }, fields: { products: ["sku"] } });
      expect(filtered.data.map((p) => p.attributes?.sku).sort()).toEqual([...skus].sort());
    });
  });

  describe("contract: errors", () => {
    it("raises OroNotFoundError for a missing record", async () => {
      const error = await clientFor(getTarget())
        .get("products", "987654321")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OroNotFoundError);
      expect((error as Error).message).toContain("products/987654321 not found");
    });

    it("raises OroNotFoundError naming an unknown resource type", async () => {
      const error = await clientFor(getTarget())
        .list("nosuchresources")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OroNotFoundError);
      expect((error as Error).message).toContain('"nosuchresources" is not accessible');
    });

    it("raises OroValidationError with the parameter of an unknown filter", async () => {
      const error = (await clientFor(getTarget())
        .list("products", { filter: { noSuchField: "x" } })
        .catch((e: unknown) => e)) as OroValidationError;
      expect(error).toBeInstanceOf(OroValidationError);
      expect(error.violations[0]?.pointer).toBe("filter[noSuchField]");
      expect(error.message).toMatch(/^products: filter constraint at parameter filter\[noSuchField\]/);
    });

    it("raises OroValidationError pointing at the blank sku of a new product", async () => {
      const target = getTarget();
      const { data, included } = newProduct(target, "");
      const error = (await clientFor(target)
        .create(data, { included })
        .catch((e: unknown) => e)) as OroValidationError;
      expect(error).toBeInstanceOf(OroValidationError);
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.violations.map((v) => v.pointer)).toContain("/data/attributes/sku");
      expect(error.message).toContain("products: ");
      expect(error.message).toContain("at /data/attributes/sku");
    });
  });

  describe("contract: writing", () => {
    it("creates, updates and deletes a product", async () => {
      const target = getTarget();
      const client = clientFor(target);
      const sku = `${target.runId}-CRUD`;
      const { data, included } = newProduct(target, sku);
      const doc = await client.create<{ sku: string; status: string }>(data, { included });
      created.push({ client, id: doc.data.id });
      expect(doc.data.attributes?.sku).toBe(sku);
      const updated = await client.update<{ status: string }>({ type: "products", id: doc.data.id, attributes: { status: "disabled" } });
      expect(updated.data.attributes?.status).toBe("disabled");
      expect(await client.delete("products", doc.data.id)).toEqual({ deleted: true });
      await expect(client.get("products", doc.data.id)).rejects.toBeInstanceOf(OroNotFoundError);
      expect(await client.delete("products", doc.data.id, { ignoreNotFound: true })).toEqual({ deleted: false });
    });

    it("stock Oro refuses meta.upsert on products: 400 value constraint at /meta/upsert", async (ctx) => {
      const target = getTarget();
      if (target.upsertBySku) ctx.skip();
      const { data, included } = newProduct(target, `${target.runId}-NO-UPSERT`);
      const error = (await clientFor(target)
        .upsert(data, ["sku"], { included })
        .catch((e: unknown) => e)) as OroValidationError;
      expect(error).toBeInstanceOf(OroValidationError);
      expect(error.violations).toEqual([{ pointer: "/meta/upsert", title: "value constraint", detail: "The upsert operation is not allowed." }]);
    });

    it("writes products the stock way: filter[sku] lookup, then a sync batch updating by id and creating the rest", async () => {
      const target = getTarget();
      const client = clientFor(target);
      const existingSku = `${target.runId}-BY-ID`;
      const newSku = `${target.runId}-NEW`;
      const seeded = newProduct(target, existingSku);
      const doc = await client.create(seeded.data, { included: seeded.included });
      created.push({ client, id: doc.data.id });
      const found = await client.list<{ sku: string }>("products", { filter: { sku: [existingSku, newSku] }, fields: { products: ["sku"] } });
      expect(found.data.map((p) => [p.id, p.attributes?.sku])).toEqual([[doc.data.id, existingSku]]);
      const fresh = newProduct(target, newSku);
      const result = await client.batch(
        "products",
        [
          { data: { type: "products", id: doc.data.id, meta: { update: true }, attributes: { status: "disabled" } } },
          { data: fresh.data, included: fresh.included },
        ],
        { mode: "sync" },
      );
      const createdId = result.items[1]?.id;
      if (createdId) created.push({ client, id: createdId });
      expect(result.items.map((i) => i.outcome)).toEqual(["updated", "created"]);
      expect(result.items[0]?.id).toBe(doc.data.id);
      expect((await client.get<{ status: string }>("products", doc.data.id)).data.attributes?.status).toBe("disabled");
    });

    it("upserts by sku: 201 created, then 200 updated", async (ctx) => {
      const target = getTarget();
      if (!target.upsertBySku) ctx.skip();
      const client = clientFor(target);
      const sku = `${target.runId}-UPSERT`;
      const { data, included } = newProduct(target, sku);
      const first = await client.upsert(data, ["sku"], { included });
      created.push({ client, id: first.data.id });
      expect(first.outcome).toBe("created");
      const second = await client.upsert({ type: "products", attributes: { sku, status: "disabled" } }, ["sku"]);
      expect(second.outcome).toBe("updated");
      expect(second.data.id).toBe(first.data.id);
      expect((second.data.attributes as { status?: string } | undefined)?.status).toBe("disabled");
    });
  });
};
