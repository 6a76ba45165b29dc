import { describe, expect, it } from "vitest";
import { chunkByJsonSize, runListing } from "../shared/sync";

/** A fake cursor-paged source: `pages` pages of `size` numbers, each fetch taking `delayMs`. */
const source = (pages: number, size: number, delayMs = 0) => {
  const fetched: string[] = [];
  return {
    fetched,
    fetchPage: async (href: string) => {
      fetched.push(href);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const n = Number(href.split("=")[1] ?? 0);
      return { items: Array.from({ length: size }, (_, i) => n * size + i), next: n + 1 < pages ? `p=${n + 1}` : undefined };
    },
  };
};

describe("Function: runListing", () => {
  it("fans out every page in order and finishes without a hand-over", async () => {
    const s = source(4, 3);
    const emitted: string[] = [];

    const result = await runListing({
      start: "p=0",
      fetchPage: s.fetchPage,
      emit: async (items, href) => void emitted.push(`${href}:${items.length}`),
      handOver: async () => undefined,
      remainingTimeMs: () => 60_000,
    });

    expect(result).toEqual({ pages: 4, items: 12, handedOver: false });
    expect(emitted).toEqual(["p=0:3", "p=1:3", "p=2:3", "p=3:3"]);
  });

  it("hands the next link over when the time left falls below the margin, without fetching it", async () => {
    const s = source(10, 2);
    let left = 5_000;
    const handedOver: string[] = [];

    const result = await runListing({
      start: "p=0",
      fetchPage: s.fetchPage,
      emit: async () => void (left -= 2_000),
      handOver: async (href) => void handedOver.push(href),
      remainingTimeMs: () => left,
      handoverMarginMs: 1_000,
    });

    expect(result).toEqual({ pages: 3, items: 6, handedOver: true });
    expect(handedOver).toEqual(["p=3"]);
    expect(s.fetched).toEqual(["p=0", "p=1", "p=2"]);
  });

  it("fetches the next page while the current one is fanned out", async () => {
    const s = source(3, 1, 5);
    const events: string[] = [];
    const fetchPage = async (href: string) => {
      events.push(`fetch ${href}`);
      return s.fetchPage(href);
    };
    const emit = async (_items: number[], href: string) => {
      events.push(`emit ${href} start`);
      await new Promise((resolve) => setTimeout(resolve, 40));
      events.push(`emit ${href} end`);
    };

    await runListing({ start: "p=0", fetchPage, emit, handOver: async () => undefined, remainingTimeMs: () => 60_000 });

    // Order, not time: the next page is requested as the current page's fan-out starts, so the
    // fetch runs during the emit (sequential would be fetch p=1 after "emit p=0 end").
    expect(events).toEqual([
      "fetch p=0",
      "fetch p=1",
      "emit p=0 start",
      "emit p=0 end",
      "fetch p=2",
      "emit p=1 start",
      "emit p=1 end",
      "emit p=2 start",
      "emit p=2 end",
    ]);
  });

  it("stops after maxPages and hands over", async () => {
    const s = source(100, 1);
    const result = await runListing({
      start: "p=0",
      fetchPage: s.fetchPage,
      emit: async () => undefined,
      handOver: async () => undefined,
      remainingTimeMs: () => 60_000,
      maxPages: 5,
    });

    expect(result).toEqual({ pages: 5, items: 5, handedOver: true });
  });
});

describe("Function: chunkByJsonSize", () => {
  it("keeps each chunk under the byte and item limits, in order, and sets oversized items apart", () => {
    const items = [{ a: "x".repeat(40) }, { a: "y".repeat(40) }, { a: "z".repeat(200) }, { a: "w".repeat(40) }, { a: "v" }];

    const { chunks, oversized, sizes } = chunkByJsonSize(items, 100, 2);

    expect(chunks.map((c) => c.map((i) => i.a[0]))).toEqual([
      ["x", "y"],
      ["w", "v"],
    ]);
    expect(oversized.map((i) => i.a[0])).toEqual(["z"]);
    expect(sizes.every((size) => size <= 100)).toBe(true);
    expect(sizes[0]).toBe(JSON.stringify(chunks[0]).length);
  });
});
