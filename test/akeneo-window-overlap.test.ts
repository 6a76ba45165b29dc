import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredRecord } from "../sandboxes/oro";
import { type Harness, startHarness } from "./akeneo-harness";

/**
 * The window overlap of the scheduled Akeneo sync (issue 16, gap 4). With `rate(15 minutes)` and
 * `windowOverlapMinutes: 5` the run at 10:15 reads `[09:55, 10:15]`, re-reading the last five
 * minutes of the run at 10:00 (`[09:40, 10:00]`, shared/sync/window.ts). A product whose change
 * was committed after the 10:00 run read Akeneo but carries an `updated` just before 10:00 is
 * only picked up thanks to the overlap; a sync that ignores it loses that change for good.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ catalog: { count: 12, updatedAt: "2024-01-01T00:00:00Z" } });
  await h.sendBackfill("2023-12-31T00:00:00Z", "2024-01-02T00:00:00Z");
  await h.drain();
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const names = async () => (await h.oro.admin.state<StoredRecord[]>("productnames")).map((n) => String(n.attributes.string));

describe("akeneo-products: scheduled window overlap", () => {
  it("syncs a product changed just before the previous window's end, committed after that window ran", async () => {
    expect((await h.products()).length).toBe(12);
    // The previous scheduled run: nothing changed in [09:40, 10:00] yet.
    await h.sendWindow("2024-02-01T10:00:00Z");
    await h.drain();
    expect((await names()).filter((n) => / (late|v2|too old)$/.test(n))).toEqual([]);

    // Committed after the 10:00 run read Akeneo, stamped 09:58 (inside the overlap).
    await h.akeneo.admin.touch({ identifiers: ["AK-00003"], updatedAt: "2024-02-01T09:58:00Z", nameSuffix: " late" });
    // One second before the overlap starts (09:55): the 10:00 window was the one to read it.
    await h.akeneo.admin.touch({ identifiers: ["AK-00004"], updatedAt: "2024-02-01T09:54:59Z", nameSuffix: " too old" });
    // Inside the interval proper.
    await h.akeneo.admin.touch({ identifiers: ["AK-00005"], updatedAt: "2024-02-01T10:07:00Z", nameSuffix: " v2" });
    await h.sendWindow("2024-02-01T10:15:00Z");
    await h.drain();

    expect((await names()).filter((n) => / (late|v2|too old)$/.test(n)).sort()).toEqual(["Product 3 late", "Product 5 v2"]);
    expect((await h.products()).length).toBe(12);
    expect(await h.dlq()).toEqual([]);
  });
});
