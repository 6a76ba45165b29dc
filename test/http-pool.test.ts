import { afterAll, describe, expect, it } from "vitest";
import { closeAll, getAllHttpStats, getHttpStats, getPool, resetHttpStats } from "../shared/http";
import { originStats } from "../shared/http/pool";

/**
 * The connection pools and per-origin counters (issue 16, mutation testing). No request is sent:
 * undici pools connect lazily.
 */
afterAll(async () => {
  await closeAll();
  resetHttpStats();
});

describe("Function: getPool", () => {
  it("shares one pool per origin and settings, and makes a new one after closeAll", async () => {
    const a = await getPool("http://127.0.0.1:9");
    const [b, c] = await Promise.all([getPool("http://127.0.0.1:9"), getPool("http://127.0.0.1:9", {})]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await getPool("http://127.0.0.1:9", { maxConnections: 3 })).not.toBe(a);
    expect(await getPool("http://127.0.0.1:8")).not.toBe(a);

    await closeAll();

    expect(a.closed).toBe(true);
    const fresh = await getPool("http://127.0.0.1:9");
    expect(fresh).not.toBe(a);
    expect(fresh.closed).toBe(false);
  });

  it("replaces a pool that was closed behind its back", async () => {
    const a = await getPool("http://127.0.0.1:7");
    await a.close();
    const b = await getPool("http://127.0.0.1:7");
    expect(b).not.toBe(a);
    expect(b.closed).toBe(false);
  });

  it("refuses a connection cap that is not a positive integer", async () => {
    for (const maxConnections of [0, -1, 1.5, Number.NaN]) {
      await expect(getPool("http://127.0.0.1:9", { maxConnections }), String(maxConnections)).rejects.toThrow(new RangeError(`maxConnections must be a positive integer, got ${maxConnections}`));
    }
    expect((await getPool("http://127.0.0.1:9", { maxConnections: 1 })).closed).toBe(false);
  });
});

describe("Function: getHttpStats / getAllHttpStats", () => {
  it("returns copies of the counters by origin, zeros for an origin never used", () => {
    resetHttpStats();
    const live = originStats("http://oro.test");
    live.requests = 3;
    live.statuses["200"] = 2;

    const copy = getHttpStats("http://oro.test/admin/api/products?x=1");
    expect(copy).toEqual({ requests: 3, retries: 0, failures: 0, statuses: { "200": 2 } });
    copy.statuses["200"] = 99;
    expect(originStats("http://oro.test").statuses["200"]).toBe(2);
    expect(getHttpStats("http://never.test")).toEqual({ requests: 0, retries: 0, failures: 0, statuses: {} });

    const all = getAllHttpStats();
    expect(all).toEqual({ "http://oro.test": { requests: 3, retries: 0, failures: 0, statuses: { "200": 2 } }, "http://never.test": { requests: 0, retries: 0, failures: 0, statuses: {} } });
    (all["http://oro.test"] as { statuses: Record<string, number> }).statuses["200"] = 0;
    expect(originStats("http://oro.test").statuses["200"]).toBe(2);

    resetHttpStats();
    expect(getAllHttpStats()).toEqual({});
  });
});
