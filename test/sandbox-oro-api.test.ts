import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "api-test", clientSecret: "api-secret" });
  api = sandboxCaller(oro, "api-test", "api-secret");
});
afterAll(async () => {
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset();
});

/** A valid product create document with included name and unit precision. */
function productDocument(sku: string, extra: Record<string, unknown> = {}) {
  return {
    data: {
      type: "products",
      attributes: { sku, status: "enabled" },
      relationships: {
        names: { data: [{ type: "productnames", id: "n1" }] },
        unitPrecisions: { data: [{ type: "productunitprecisions", id: "p1" }] },
        inventory_status: { data: { type: "prodinventorystatuses", id: "in_stock" } },
        attributeFamily: { data: { type: "attributefamilies", id: "1" } },
      },
      ...extra,
    },
    included: [
      { type: "productnames", id: "n1", attributes: { string: `Name of ${sku}` }, relationships: { localization: { data: null } } },
      {
        type: "productunitprecisions",
        id: "p1",
        attributes: { precision: 0, conversionRate: 1, sell: true },
        relationships: { unit: { data: { type: "productunits", id: "each" } } },
      },
    ],
  };
}

describe("Oro sandbox: lists", () => {
  it("pages by 10 by default with self/next links and no page[number] on page 1", async () => {
    const response = await api.get("/products");
    expect(response.status).toBe(200);
    expect(response.json.data).toHaveLength(10);
    expect(response.json.data.map((p: { id: string }) => p.id)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(response.json.links.self).toBe(`${oro.url}/admin/api/products`);
    expect(response.json.links.next).toBe(`${oro.url}/admin/api/products?page%5Bnumber%5D=2`);
    expect(response.json.links).not.toHaveProperty("prev");
    expect(response.json.links).not.toHaveProperty("last");
  });

  it("gives first/prev on later pages and no next on the last page", async () => {
    const response = await api.get("/products?page[size]=4&page[number]=8");
    expect(response.json.data.map((p: { id: string }) => p.id)).toEqual(["29", "30"]);
    expect(response.json.links.first).toBe(`${oro.url}/admin/api/products?page%5Bsize%5D=4`);
    expect(response.json.links.prev).toBe(`${oro.url}/admin/api/products?page%5Bnumber%5D=7&page%5Bsize%5D=4`);
    expect(response.json.links).not.toHaveProperty("next");
  });

  it("returns all rows with page[size]=-1 and counts with X-Include: totalCount", async () => {
    const response = await api.get("/products?page[size]=-1", { "X-Include": "totalCount" });
    expect(response.json.data).toHaveLength(30);
    expect(response.headers.get("x-include-total-count")).toBe("30");
  });

  it("filters with eq, comma lists, ranges and operators, and sorts", async () => {
    const list = await api.get("/products?filter[sku]=SKU-0003,SKU-0001");
    expect(list.json.data.map((p: { attributes: { sku: string } }) => p.attributes.sku)).toEqual(["SKU-0001", "SKU-0003"]);
    const range = await api.get("/products?filter[id]=5..7");
    expect(range.json.data.map((p: { id: string }) => p.id)).toEqual(["5", "6", "7"]);
    const gt = await api.get("/products?filter[id][gt]=27&sort=-id");
    expect(gt.json.data.map((p: { id: string }) => p.id)).toEqual(["30", "29", "28"]);
    const neq = await api.get("/products?filter[status][neq]=enabled&page[size]=-1");
    expect(neq.json.data.map((p: { id: string }) => p.id)).toEqual(["10", "20", "30"]);
    const rel = await api.get("/inventorylevels?filter[product]=2,3");
    expect(rel.json.data).toHaveLength(2);
    expect(rel.json.data[0].attributes.quantity).toBe("14");
  });

  it("filters datetimes by partial dates and range operators", async () => {
    const year = new Date().getUTCFullYear();
    const thisYear = await api.get(`/products?filter[updatedAt]=${year}&page[size]=1`, { "X-Include": "totalCount" });
    expect(thisYear.headers.get("x-include-total-count")).toBe("30");
    const future = await api.get(`/products?filter[updatedAt][gt]=${year + 1}-01-01T00:00:00Z`);
    expect(future.json.data).toEqual([]);
  });

  it("answers 400 filter constraint for an unknown filter and a bad integer", async () => {
    const unknown = await api.get("/products?filter[colour]=red");
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0]).toMatchObject({ status: "400", title: "filter constraint", source: { parameter: "filter[colour]" } });
    const bad = await api.get("/products?filter[id]=abc");
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].detail).toBe('Expected integer value. Given "abc".');
  });

  it("requires filter[priceList] for productprices", async () => {
    const missing = await api.get("/productprices");
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0].source.parameter).toBe("filter[priceList]");
    const ok = await api.get("/productprices?filter[priceList]=1&filter[product]=1");
    expect(ok.status).toBe(200);
    expect(ok.json.data).toHaveLength(1);
    expect(ok.json.data[0].id).toMatch(/^[0-9a-f-]{36}-1$/);
    expect(ok.json.data[0].attributes).toEqual({ quantity: "1", currency: "USD", value: "11" });
  });
});

describe("Oro sandbox: reads", () => {
  it("renders string ids, decimal strings, Oro datetimes and links.self", async () => {
    const response = await api.get("/inventorylevels/1");
    expect(response.json.data.id).toBe("1");
    expect(response.json.data.attributes.quantity).toBe("7");
    expect(response.json.data.links.self).toBe(`${oro.url}/admin/api/inventorylevels/1`);
    const product = await api.get("/products/1");
    expect(product.json.data.attributes.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const noLinks = await api.get("/products/1", { "X-Include": "noHateoas" });
    expect(noLinks.json.data).not.toHaveProperty("links");
  });

  it("supports include (nested) and fields[type]", async () => {
    const response = await api.get("/orders/1?include=lineItems.product,customer&fields[orders]=identifier,lineItems,customer&fields[products]=sku");
    expect(Object.keys(response.json.data.attributes)).toEqual(["identifier"]);
    expect(Object.keys(response.json.data.relationships).sort()).toEqual(["customer", "lineItems"]);
    const types = response.json.included.map((r: { type: string }) => r.type).sort();
    expect(types).toEqual(["customers", "orderlineitems", "orderlineitems", "products", "products"]);
    const product = response.json.included.find((r: { type: string }) => r.type === "products");
    expect(Object.keys(product.attributes)).toEqual(["sku"]);
  });

  it("answers 404 for a missing id and for an unknown type", async () => {
    const missing = await api.get("/products/99999");
    expect(missing.status).toBe(404);
    expect(missing.json.errors[0].title).toBe("not found http exception");
    const unknown = await api.get("/widgets");
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors[0].title).toBe("resource not accessible exception");
  });
});

describe("Oro sandbox: writes", () => {
  it("creates a product with included names and unit precisions: 201 + Location + inventory level", async () => {
    const response = await api.post("/products", productDocument("NEW-1"));
    expect(response.status).toBe(201);
    const id = response.json.data.id;
    expect(response.headers.get("location")).toBe(`${oro.url}/admin/api/products/${id}`);
    expect(response.json.data.relationships.primaryUnitPrecision.data).toEqual(response.json.data.relationships.unitPrecisions.data[0]);
    const levels = await api.get(`/inventorylevels?filter[product]=${id}`);
    expect(levels.json.data).toHaveLength(1);
    expect(levels.json.data[0].attributes.quantity).toBe("0");
    const names = oro.store.list("productnames").filter((n) => (n.relationships.product as { id: string } | null)?.id === id);
    expect(names.map((n) => n.attributes.string)).toEqual(["Name of NEW-1"]);
  });

  it("validates products like Oro: blank sku, duplicate sku, bad status, missing default name", async () => {
    const blank = await api.post("/products", productDocument(""));
    expect(blank.status).toBe(400);
    expect(blank.json.errors).toContainEqual(expect.objectContaining({ title: "not blank constraint", source: { pointer: "/data/attributes/sku" } }));
    const duplicate = await api.post("/products", productDocument("sku-0001"));
    expect(duplicate.json.errors).toContainEqual(expect.objectContaining({ title: "unique entity constraint", source: { pointer: "/data/attributes/sku" } }));
    const doc = productDocument("NEW-2");
    (doc.data.attributes as Record<string, unknown>).status = "archived";
    const badStatus = await api.post("/products", doc);
    expect(badStatus.json.errors).toContainEqual(expect.objectContaining({ title: "choice constraint", source: { pointer: "/data/attributes/status" } }));
    const noName = productDocument("NEW-3");
    noName.data.relationships.names.data = [];
    const nameless = await api.post("/products", noName);
    expect(nameless.json.errors).toContainEqual(expect.objectContaining({ source: { pointer: "/data/relationships/names/data" } }));
    expect(oro.store.mustTable("products").findUnique("sku", "NEW-3")).toBeUndefined();
    expect(oro.store.list("productnames").some((n) => n.attributes.string === "Name of NEW-3")).toBe(false);
  });

  it("refuses meta.upsert on products as stock Oro does: 400 value constraint at /meta/upsert, nothing written", async () => {
    // commerce 6.1.11 ProductBundle api.yml has no upsert config; platform Create/JsonApi/LoadUpsertEntity.php.
    const refused = await api.post("/products", productDocument("UPS-1", { meta: { upsert: ["sku"] } }));
    expect(refused.status).toBe(400);
    expect(refused.json.errors).toEqual([
      { status: "400", title: "value constraint", detail: "The upsert operation is not allowed.", source: { pointer: "/meta/upsert" } },
    ]);
    expect(oro.store.mustTable("products").findUnique("sku", "UPS-1")).toBeUndefined();
  });

  it("upserts orders by identifier (a unique column): 201 then 200 without Location", async () => {
    const order = (identifier: string, poNumber: string) => ({
      data: {
        type: "orders",
        meta: { upsert: ["identifier"] },
        attributes: { identifier, poNumber, currency: "USD" },
        relationships: { customer: { data: { type: "customers", id: "1" } }, lineItems: { data: [{ type: "orderlineitems", id: "l1" }] } },
      },
      included: [
        {
          type: "orderlineitems",
          id: "l1",
          attributes: { quantity: 1, value: "2", currency: "USD" },
          relationships: { product: { data: { type: "products", id: "1" } }, productUnit: { data: { type: "productunits", id: "each" } } },
        },
      ],
    });
    const created = await api.post("/orders", order("UPS-O-1", "PO-1"));
    expect(created.status).toBe(201);
    const updated = await api.post("/orders", order("UPS-O-1", "PO-2"));
    expect(updated.status).toBe(200);
    expect(updated.headers.get("location")).toBeNull();
    expect(updated.json.data.id).toBe(created.json.data.id);
    expect(updated.json.data.attributes.poNumber).toBe("PO-2");
  });

  it("refuses upsert where Oro derives no key: customers (generated id, externalId only a unique_key)", async () => {
    const refused = await api.post("/customers", { data: { type: "customers", id: "1", meta: { upsert: true }, attributes: { name: "X" } } });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0]).toEqual({
      status: "400",
      title: "value constraint",
      detail: "The upsert operation is not allowed.",
      source: { pointer: "/meta/upsert" },
    });
  });

  it("PATCH: 409 on id mismatch, 200 on update, numeric check on inventory quantity", async () => {
    const mismatch = await api.patch("/inventorylevels/1", { data: { type: "inventorylevels", id: "2", attributes: { quantity: "5" } } });
    expect(mismatch.status).toBe(409);
    const ok = await api.patch("/inventorylevels/1", { data: { type: "inventorylevels", id: "1", attributes: { quantity: 51.5 } } });
    expect(ok.status).toBe(200);
    expect(ok.json.data.attributes.quantity).toBe("51.5");
    const bad = await api.patch("/inventorylevels/1", { data: { type: "inventorylevels", id: "1", attributes: { quantity: "lots" } } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].source.pointer).toBe("/data/attributes/quantity");
    expect(oro.store.mustTable("inventorylevels").get("1")?.attributes.quantity).toBe("51.5");
  });

  it("answers 405 with Allow for disabled actions", async () => {
    const create = await api.post("/inventorylevels", { data: { type: "inventorylevels", attributes: { quantity: 1 } } });
    expect(create.status).toBe(405);
    expect(create.headers.get("allow")).toBe("OPTIONS, GET, PATCH");
    expect(create.text).toBe("");
    const remove = await api.delete("/inventorylevels/1");
    expect(remove.status).toBe(405);
    expect(remove.headers.get("allow")).toBe("OPTIONS, GET, PATCH");
    const batch = await api.patch("/orderlineitems", { data: [] });
    expect(batch.status).toBe(405);
  });

  it("validates product prices: required fields, currency of the price list, unit of the product", async () => {
    const empty = await api.post("/productprices", { data: { type: "productprices", attributes: {} } });
    expect(empty.status).toBe(400);
    const pointers = empty.json.errors.map((e: { source: { pointer: string } }) => e.source.pointer).sort();
    expect(pointers).toEqual([
      "/data/attributes/currency",
      "/data/attributes/quantity",
      "/data/attributes/value",
      "/data/relationships/priceList/data",
      "/data/relationships/product/data",
      "/data/relationships/unit/data",
    ]);
    const rels = {
      priceList: { data: { type: "pricelists", id: "1" } },
      product: { data: { type: "products", id: "2" } },
      unit: { data: { type: "productunits", id: "kg" } },
    };
    const wrong = await api.post("/productprices", {
      data: { type: "productprices", attributes: { quantity: 5, currency: "JPY", value: "3.10" }, relationships: rels },
    });
    expect(wrong.json.errors.map((e: { title: string }) => e.title).sort()).toEqual([
      "product price allowed units constraint",
      "product price currency constraint",
    ]);
    rels.unit.data.id = "each";
    const ok = await api.post("/productprices", {
      data: { type: "productprices", attributes: { quantity: 5, currency: "EUR", value: "3.10" }, relationships: rels },
    });
    expect(ok.status).toBe(201);
    expect(ok.json.data.id).toMatch(/-1$/);
    expect(ok.json.data.attributes.value).toBe("3.1");
  });

  it("DELETE list needs a filter and removes at most 100 rows", async () => {
    const noFilter = await api.delete("/products");
    expect(noFilter.status).toBe(400);
    await oro.admin.seed({ products: 150 });
    const first = await api.delete("/products?filter[id][gt]=30", { "X-Include": "deletedCount" });
    expect(first.status).toBe(204);
    expect(first.headers.get("x-include-deleted-count")).toBe("100");
    expect(oro.store.mustTable("products").size).toBe(80);
    const second = await api.delete("/products?filter[id][gt]=30", { "X-Include": "deletedCount" });
    expect(second.headers.get("x-include-deleted-count")).toBe("50");
    expect(oro.store.mustTable("inventorylevels").size).toBe(30);
  });

  it("creates orders with included line items, computes totals, and tracks shipments", async () => {
    const order = await api.post("/orders?include=lineItems", {
      data: {
        type: "orders",
        attributes: { identifier: "WEB-1", currency: "USD" },
        relationships: { customer: { data: { type: "customers", id: "1" } }, lineItems: { data: [{ type: "orderlineitems", id: "li" }] } },
      },
      included: [
        {
          type: "orderlineitems",
          id: "li",
          attributes: { quantity: "3", value: "2.5", currency: "USD" },
          relationships: { product: { data: { type: "products", id: "4" } }, productUnit: { data: { type: "productunits", id: "each" } } },
        },
      ],
    });
    expect(order.status).toBe(201);
    expect(order.json.data.attributes.totalValue).toBe("7.5");
    expect(order.json.included[0].attributes.productSku).toBe("SKU-0004");
    expect(order.json.included[0].relationships.order.data).toEqual({ type: "orders", id: order.json.data.id });
    const tracking = await api.post("/ordershippingtrackings", {
      data: {
        type: "ordershippingtrackings",
        attributes: { method: "UPS", number: "1Z" },
        relationships: { orders: { data: [{ type: "orders", id: order.json.data.id }] } },
      },
    });
    expect(tracking.status).toBe(201);
    const reread = await api.get(`/orders/${order.json.data.id}`);
    expect(reread.json.data.relationships.shippingTrackings.data).toEqual([{ type: "ordershippingtrackings", id: tracking.json.data.id }]);
  });
});

describe("Oro sandbox: owned collections", () => {
  it("rejects two unit precisions of the same unit on one product (ProductTest.php testTryToCreateWithDuplicateUnitPrecision)", async () => {
    const document = productDocument("DUP-UNIT");
    document.data.relationships.unitPrecisions.data.push({ type: "productunitprecisions", id: "p2" });
    document.included.push({
      type: "productunitprecisions",
      id: "p2",
      attributes: { precision: 2, conversionRate: 1, sell: true },
      relationships: { unit: { data: { type: "productunits", id: "each" } } },
    });
    const response = await api.post("/products", document);
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      {
        status: "400",
        title: "form constraint",
        detail: 'Unit precision "each" already exists for this product.',
        source: { pointer: "/data/relationships/unitPrecisions/data" },
      },
    ]);
  });

  it("an unknown unit on an included precision is one form constraint at its data, no not-blank for the required unit (ProductTest.php testTryToCreateWithInvalidProductUnit)", async () => {
    const document = productDocument("sku-invalid_product_unit");
    document.included[1] = {
      type: "productunitprecisions",
      id: "p1",
      attributes: { precision: 0, conversionRate: 5, sell: true },
      relationships: { unit: { data: { type: "productunits", id: "unknown_product_unit" } } },
    };
    const response = await api.post("/products", document);
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      { status: "400", title: "form constraint", detail: "The entity does not exist.", source: { pointer: "/included/1/relationships/unit/data" } },
    ]);
  });

  it("deletes the rows a replaced list leaves out, with their inventory levels (orphanRemoval)", async () => {
    const created = await api.post("/products", productDocument("ORPHANS"));
    expect(created.status).toBe(201);
    const productId = created.json.data.id as string;
    const oldPrecision = created.json.data.relationships.unitPrecisions.data[0].id as string;
    const levelsOf = () => oro.store.list("inventorylevels").filter((l) => (l.relationships.product as { id: string } | null)?.id === productId);
    expect(levelsOf()).toHaveLength(1);

    const replaced = await api.patch(`/products/${productId}`, {
      data: {
        type: "products",
        id: productId,
        relationships: {
          unitPrecisions: { data: [{ type: "productunitprecisions", id: "new" }] },
          primaryUnitPrecision: { data: { type: "productunitprecisions", id: "new" } },
        },
      },
      included: [
        {
          type: "productunitprecisions",
          id: "new",
          attributes: { precision: 3, conversionRate: 1, sell: true },
          relationships: { unit: { data: { type: "productunits", id: "kg" } } },
        },
      ],
    });
    expect(replaced.status).toBe(200);
    expect(oro.store.mustTable("productunitprecisions").get(oldPrecision)).toBeUndefined();
    const precisions = oro.store.list("productunitprecisions").filter((p) => (p.relationships.product as { id: string } | null)?.id === productId);
    expect(precisions.map((p) => (p.relationships.unit as { id: string }).id)).toEqual(["kg"]);
    // The old precision's level went with it; Oro creates one for the new precision.
    expect(levelsOf().map((l) => (l.relationships.productUnitPrecision as { id: string }).id)).toEqual([precisions[0]?.id]);
  });
});
