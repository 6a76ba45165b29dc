import { afterEach, describe, expect, it } from "vitest";
import type { BatchItem, BatchOptions, BatchResult, OroClient } from "../shared/oro";
import { MIN_CONCURRENT_WRITES, writeCoalesced } from "../functions/akeneo-products/bulk";
import { type Harness, startHarness } from "./akeneo-harness";

/**
 * Sync batch requests packed across the pages an invocation writes at once
 * (functions/akeneo-products/bulk.ts): Oro's limits are 100 primary and 50 included items per
 * request (docs/reference/oro-writes.md), the sandbox catalog's products carry 3 included items
 * each, so 16 products fit a request; a page alone needs 7 requests (6 x 16 + 4), two pages packed
 * together 13 (12 x 16 + 8), not 14.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("akeneo-products packs sync batch requests across an invocation's pages", () => {
  it("writes two full pages of 3-included products in 13 requests, every product landed", async () => {
    h = await startHarness({ catalog: { count: 0 }, settings: { oroAsyncBatch: "never" } });
    await h.akeneo.admin.seed({ count: 200, prefix: "PACK-", updatedAt: "2024-07-01T00:00:00Z" });
    // Both pages are listed before the first poll: one invocation writes the 200 products at once.
    await h.sendBackfill("2024-06-30T23:00:00Z", "2024-07-01T01:00:00Z");
    await h.drain({ batchSize: 5, maxConcurrency: 1, batchingWindowMs: 1_000 });

    const skus = (await h.products()).map((p) => String(p.attributes.sku)).filter((s) => s.startsWith("PACK-"));
    expect(new Set(skus).size).toBe(200);
    expect((await h.oro.admin.stats()).byRoute["PATCH /admin/api/products"]).toBe(13);
    expect(await h.dlq()).toHaveLength(0);
  });
});

/** A fake Oro that records each sync request's items and fails the requests `failing` names. */
const fakeOro = (failing: (items: readonly BatchItem[]) => boolean) => {
  const requests: string[][] = [];
  const oro = {
    batch: async (_type: string, items: readonly BatchItem[], options: BatchOptions): Promise<BatchResult> => {
      requests.push(items.map((i) => String(i.data.id)));
      await Promise.resolve();
      if (failing(items)) throw new Error("Oro answered 503");
      expect(options.mode).toBe("sync");
      return {
        mode: "sync",
        items: items.map((_, index) => ({ index, outcome: "updated" })),
        created: 0,
        updated: items.length,
        upserted: 0,
        failed: 0,
        operations: [],
        operationErrors: [],
      };
    },
  } as unknown as OroClient;
  return { oro, requests };
};
const page = (name: string, count: number, included: number): BatchItem[] =>
  Array.from({ length: count }, (_, i) => ({
    data: { type: "products", id: `${name}${i}` },
    included: Array.from({ length: included }, (_, j) => ({ type: "localizedfallbackvalues", id: `${name}${i}-${j}` })),
  }));

describe("writeCoalesced (unit, fake Oro)", () => {
  it("packs the pages' items into requests of at most 50 included, answers each page at its own indexes", async () => {
    const { oro, requests } = fakeOro(() => false);
    const signal = new AbortController().signal;
    const [a, b] = await Promise.all([
      writeCoalesced(oro, "products", page("a", 20, 3), signal, { asyncThreshold: undefined, perRequest: 100 }),
      writeCoalesced(oro, "products", page("b", 20, 3), signal, { asyncThreshold: undefined, perRequest: 100 }),
    ]);
    // 40 products x 3 included = 16 + 16 + 8 per request (a page alone: 16 + 4, i.e. 4 requests for both).
    expect(requests.map((r) => r.length)).toEqual([16, 16, 8]);
    expect(requests[1]?.slice(3, 5)).toEqual(["a19", "b0"]);
    expect(a?.map((r) => r.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(b?.map((r) => r.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(b?.every((r) => r.outcome === "updated")).toBe(true);
  });

  it("fails only the pages with items in a failed request; separate invocations never share a request", async () => {
    const { oro, requests } = fakeOro((items) => items.some((i) => i.data.id === "c0"));
    const one = new AbortController().signal;
    const other = new AbortController().signal;
    const results = await Promise.allSettled([
      writeCoalesced(oro, "products", page("a", 16, 3), one, { asyncThreshold: undefined, perRequest: 100 }),
      writeCoalesced(oro, "products", page("b", 10, 3), one, { asyncThreshold: undefined, perRequest: 100 }),
      writeCoalesced(oro, "products", page("c", 10, 3), one, { asyncThreshold: undefined, perRequest: 100 }),
      writeCoalesced(oro, "products", page("d", 2, 3), other, { asyncThreshold: undefined, perRequest: 100 }),
    ]);
    // Requests of the first invocation: [a0..a15], [b0..b9, c0..c5] (fails), [c6..c9]; the second's: [d0, d1].
    expect(requests.map((r) => `${r[0]}..${r[r.length - 1]}`).sort()).toEqual(["a0..a15", "b0..c5", "c6..c9", "d0..d1"]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error("Oro answered 503"));
  });

  it("sends at least 4 requests at once (one page: 7 requests), else one per page (6 pages: 6)", async () => {
    let inFlight = 0;
    const peaks: number[] = [];
    let peak = 0;
    const oro = {
      batch: async (_type: string, items: readonly BatchItem[]): Promise<BatchResult> => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        // Answer on a later turn of the event loop, so every request the writer starts at once is in flight together.
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return {
          mode: "sync",
          items: items.map((_, index) => ({ index, outcome: "created" })),
          created: items.length,
          updated: 0,
          upserted: 0,
          failed: 0,
          operations: [],
          operationErrors: [],
        };
      },
    } as unknown as OroClient;
    const write = async (pages: number) => {
      peak = 0;
      const signal = new AbortController().signal;
      const results = await Promise.all(
        Array.from({ length: pages }, (_, p) =>
          writeCoalesced(oro, "products", page(`p${p}-`, 100, 3), signal, { asyncThreshold: undefined, perRequest: 100 }),
        ),
      );
      peaks.push(peak);
      return results.flat().length;
    };
    expect(MIN_CONCURRENT_WRITES).toBe(4);
    expect(await write(1)).toBe(100);
    expect(await write(2)).toBe(200);
    expect(await write(6)).toBe(600);
    // 1 page: 7 requests, 4 at once; 2 pages: 13 requests, 4 at once; 6 pages: 38 requests, 6 at once.
    expect(peaks).toEqual([4, 4, 6]);
  });

  it("keeps perRequest (settings.oroBatchSize) as the primary-item cap: 1 = one request per product", async () => {
    const { oro, requests } = fakeOro(() => false);
    const signal = new AbortController().signal;
    await Promise.all([
      writeCoalesced(oro, "products", page("a", 2, 0), signal, { asyncThreshold: undefined, perRequest: 1 }),
      writeCoalesced(oro, "products", page("b", 1, 0), signal, { asyncThreshold: undefined, perRequest: 1 }),
    ]);
    expect(requests).toEqual([["a0"], ["a1"], ["b0"]]);
  });
});
