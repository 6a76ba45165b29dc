import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll } from "../shared/http";
import { NATURAL_KEY_CHUNK, PRODUCTS_BY_SKU, createOroClient, findIdsByNaturalKey } from "../shared/oro";
import { type OroSandbox, startOroSandbox } from "../sandboxes/oro";

let oro: OroSandbox;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "nk", clientSecret: "nk-secret" });
});
afterAll(async () => {
  await closeAll();
  await oro.stop();
});

describe("findIdsByNaturalKey on the Oro sandbox", () => {
  it("finds products by SKU case-insensitively in chunks of 100, leaves unknown and comma SKUs absent", async () => {
    const client = createOroClient({ getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: "nk", clientSecret: "nk-secret" }) });
    const products = oro.store.list("products");
    expect(products).toHaveLength(30);
    const unknown = Array.from({ length: NATURAL_KEY_CHUNK - 20 }, (_, i) => `UNKNOWN-${i}`);
    await oro.admin.resetStats();
    const skus = [...products.map((p) => String(p.attributes.sku).toLowerCase()), ...unknown, "A,B", "", String(products[0]?.attributes.sku)];
    const found = await findIdsByNaturalKey(client, PRODUCTS_BY_SKU, skus, AbortSignal.timeout(10_000));
    expect(found.size).toBe(30);
    for (const p of products) expect(found.get(String(p.attributes.sku).toUpperCase())).toBe(p.id);
    expect(found.has("UNKNOWN-0")).toBe(false);
    // 110 distinct lookable keys (30 known, 80 unknown; the comma and empty keys are not sent): two requests.
    expect(oro.stats().byRoute["GET /admin/api/products"]).toBe(2);
  });
});
