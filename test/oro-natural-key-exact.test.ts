/**
 * findIdsByNaturalKey (shared/oro/natural-key.ts) with exact requests, against the seeded Oro
 * sandbox over HTTP (issue 16): which keys are asked for, in which chunks, with which sparse
 * fieldset and page size. The client's `iterate` is observed (called through), not replaced.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeAll } from "../shared/http";
import { NATURAL_KEY_CHUNK, PRODUCTS_BY_SKU, createOroClient, findIdsByNaturalKey, type OroClient } from "../shared/oro";
import { type OroSandbox, startOroSandbox } from "../sandboxes/oro";

let oro: OroSandbox;
let client: OroClient;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "nk-exact", clientSecret: "nk-exact-secret" });
  client = createOroClient({
    getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: "nk-exact", clientSecret: "nk-exact-secret" }),
  });
});
afterAll(async () => {
  await closeAll();
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.resetStats();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const SIGNAL = () => AbortSignal.timeout(10_000);
const skus = () => oro.store.list("products").map((p) => String(p.attributes.sku));
const queriesOf = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map(([type, query]) => {
    const { signal, ...rest } = query as Record<string, unknown>;
    return { type, ...rest, signal: signal instanceof AbortSignal };
  });

describe("findIdsByNaturalKey: the requests", () => {
  it("asks for nothing when no key can be asked for (none, empty, with a comma)", async () => {
    const iterate = vi.spyOn(client, "iterate");
    expect(await findIdsByNaturalKey(client, PRODUCTS_BY_SKU, [], SIGNAL())).toEqual(new Map());
    expect(await findIdsByNaturalKey(client, PRODUCTS_BY_SKU, ["", "SKU-0001,SKU-0002"], SIGNAL())).toEqual(new Map());
    expect(iterate).not.toHaveBeenCalled();
    expect(oro.stats().byRoute["GET /admin/api/products"]).toBeUndefined();
  });

  it("exactly NATURAL_KEY_CHUNK lookable keys (and an empty and a comma key) are one request", async () => {
    expect(NATURAL_KEY_CHUNK).toBe(100);
    const known = skus();
    const unknown = Array.from({ length: 100 - known.length }, (_, i) => `UNKNOWN-${i}`);
    const iterate = vi.spyOn(client, "iterate");
    const found = await findIdsByNaturalKey(client, PRODUCTS_BY_SKU, ["", ...known, "A,B", ...unknown, ""], SIGNAL());
    expect(found.size).toBe(30);
    expect(queriesOf(iterate)).toEqual([
      { type: "products", filter: { sku: [...known, ...unknown] }, fields: { products: ["sku"] }, page: { size: 100 }, signal: true },
    ]);
    expect(oro.stats().byRoute["GET /admin/api/products"]).toBe(1);
  });

  it("110 keys are a chunk of 100 and one of 10, each page as large as its chunk, the keys upper-cased", async () => {
    const known = skus().map((s) => s.toLowerCase());
    const unknown = Array.from({ length: 80 }, (_, i) => `unknown-${i}`);
    const iterate = vi.spyOn(client, "iterate");
    const found = await findIdsByNaturalKey(client, PRODUCTS_BY_SKU, [...known, ...unknown], SIGNAL());
    expect([...found.keys()]).toEqual(skus());
    const all = [...known, ...unknown].map((k) => k.toUpperCase());
    expect(queriesOf(iterate)).toEqual([
      { type: "products", filter: { sku: all.slice(0, 100) }, fields: { products: ["sku"] }, page: { size: 100 }, signal: true },
      { type: "products", filter: { sku: all.slice(100) }, fields: { products: ["sku"] }, page: { size: 10 }, signal: true },
    ]);
    // One page per chunk: the page size is the chunk's, so no chunk pages on.
    expect(oro.stats().byRoute["GET /admin/api/products"]).toBe(2);
  });
});
