import { afterEach, describe, expect, it } from "vitest";
import { buildQuery } from "../shared/oro";
import type { ListOptions, ListPage, OroClient } from "../shared/oro";
import { createProductConverter } from "../functions/akeneo-products/mapping";
import { loadExisting, lookupGroups, lookupQueryBytes, MAX_LOOKUP_QUERY_BYTES } from "../functions/akeneo-products/related";
import { type Harness, SANDBOX_SETTINGS, startHarness } from "./akeneo-harness";

/**
 * The `filter[sku]` lookup of the products Oro already has (functions/akeneo-products/related.ts):
 * SKUs go in as few GETs as keep each query string, percent-encoded as sent, within 7,000 bytes
 * (the request line must fit nginx's 8 KB header buffer, Apache's 8,190 bytes:
 * docs/reference/oro-api.md §9). The sandbox catalog's SKUs (`AK-00001`) take 11 bytes each
 * with the encoded comma, so 626 fit one lookup and an invocation's 5 pages (500) need one.
 */
const skus = (count: number, prefix = "AK-") => Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(5, "0")}`);

/** A fake Oro that records each list query (as buildQuery writes it) and finds nothing. */
const recordingOro = () => {
  const queries: Array<{ skus: string[]; query: string; options: ListOptions }> = [];
  const oro = {
    list: async (_type: string, options: ListOptions): Promise<ListPage<Record<string, unknown>, string>> => {
      const { signal: _signal, ...query } = options;
      queries.push({ skus: [...((query.filter?.sku as string[] | undefined) ?? [])], query: buildQuery(query), options: query });
      await Promise.resolve();
      return { data: [], included: [] } as unknown as ListPage<Record<string, unknown>, string>;
    },
  } as unknown as OroClient;
  return { oro, queries };
};

describe("loadExisting splits its lookup by the query's real length", () => {
  const mapping = createProductConverter(SANDBOX_SETTINGS).mapping;

  it("asks 1,300 SKUs in 626 + 626 + 48, each query at most 7,000 bytes and one more SKU over it", async () => {
    const { oro, queries } = recordingOro();
    const all = skus(1_300);
    await loadExisting(oro, mapping, all, new AbortController().signal);

    expect(MAX_LOOKUP_QUERY_BYTES).toBe(7_000);
    expect(queries.map((q) => q.skus.length)).toEqual([626, 626, 48]);
    expect(queries.map((q) => q.query.length)).toEqual([6_999, 6_999, 640]);
    expect(queries.flatMap((q) => q.skus)).toEqual(all);
    // One more SKU (11 bytes with its encoded comma) would pass the limit.
    const first = queries[0]?.options as ListOptions;
    expect(buildQuery({ ...first, filter: { sku: all.slice(0, 627) }, page: { size: 627 } }).length).toBe(7_010);
    expect(queries[0]?.query).toBe(
      `filter[sku]=${all.slice(0, 626).join("%2C")}&fields[products]=sku%2Cnames%2CprimaryUnitPrecision&include=names%2CprimaryUnitPrecision&page[size]=626`,
    );
  });

  it("counts each SKU as encoded, and sends a SKU too long for any lookup alone", () => {
    const query = (group: string[], size = group.length) => ({ filter: { sku: group }, fields: { products: ["sku"] }, page: { size } });
    const bytes = lookupQueryBytes(query);
    // "ä" is 2 UTF-8 bytes, 6 encoded; a space is %20; the separator is %2C.
    expect([bytes.sku("ä"), bytes.sku("a b"), bytes.sku("AK-00001"), bytes.separator]).toEqual([6, 5, 8, 3]);
    const long = "X".repeat(7_000);
    const groups = lookupGroups(["a b", "ä", long, "AK-00001", "AK-00002"], bytes);
    expect(groups).toEqual([["a b", "ä"], [long], ["AK-00001", "AK-00002"]]);
    expect(groups.map((g) => buildQuery(query(g)).length)).toEqual([60, 7_046, 65]);
  });
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("akeneo-products looks an invocation's SKUs up in as few GETs as the URL allows", () => {
  it("writes an invocation's 5 pages (500 SKUs) after one lookup, where 4,000 characters of SKUs took two", async () => {
    h = await startHarness({ catalog: { count: 0 }, settings: { oroAsyncBatch: "never" } });
    await h.akeneo.admin.seed({ count: 500, prefix: "LK-", updatedAt: "2024-07-01T00:00:00Z" });
    await h.sendBackfill("2024-06-30T23:00:00Z", "2024-07-01T01:00:00Z");
    // The 5 page messages are listed before the first poll: one invocation writes the 500 products.
    await h.drain({ batchSize: 5, maxConcurrency: 1, batchingWindowMs: 1_000 });

    expect(h.received).toEqual(["window", "page", "page", "page", "page", "page"]);
    const skusInOro = (await h.products()).map((p) => String(p.attributes.sku)).filter((s) => s.startsWith("LK-"));
    expect(new Set(skusInOro).size).toBe(500);
    const stats = await h.oro.admin.stats();
    // "LK-00001" is 8 characters, 11 bytes with the encoded comma: 500 SKUs are a 5,613-byte query.
    expect(stats.byRoute["GET /admin/api/products"]).toBe(1);
    // 500 products x 3 included, 16 per request: 31 full requests and one of 4.
    expect(stats.byRoute["PATCH /admin/api/products"]).toBe(32);
    expect(await h.dlq()).toHaveLength(0);
  });
});
