import { describe, expect, it } from "vitest";
import { HttpTransport, closeAll, defaultHttpTransport, getAllHttpStats, getHttpStats, getPool } from "../shared/http";

/**
 * The connection pools and per-origin counters (issue 16, mutation testing). No request is sent:
 * undici pools connect lazily. Each test makes its own {@link HttpTransport}, so it starts empty.
 */
describe("Class: HttpTransport — pools", () => {
  it("shares one pool per origin and settings, and makes a new one after close", async () => {
    const http = new HttpTransport();
    const a = await http.pool("http://127.0.0.1:9");
    const [b, c] = await Promise.all([http.pool("http://127.0.0.1:9"), http.pool("http://127.0.0.1:9", {})]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await http.pool("http://127.0.0.1:9", { maxConnections: 3 })).not.toBe(a);
    expect(await http.pool("http://127.0.0.1:8")).not.toBe(a);

    await http.close();

    expect(a.closed).toBe(true);
    const fresh = await http.pool("http://127.0.0.1:9");
    expect(fresh).not.toBe(a);
    expect(fresh.closed).toBe(false);
    await http.close();
  });

  it("keeps its pools to itself: two transports never share a pool", async () => {
    const one = new HttpTransport();
    const two = new HttpTransport();
    const a = await one.pool("http://127.0.0.1:9");
    expect(await two.pool("http://127.0.0.1:9")).not.toBe(a);
    await two.close();
    expect(a.closed).toBe(false);
    await one.close();
    expect(a.closed).toBe(true);
  });

  it("replaces a pool that was closed behind its back", async () => {
    const http = new HttpTransport();
    const a = await http.pool("http://127.0.0.1:7");
    await a.close();
    const b = await http.pool("http://127.0.0.1:7");
    expect(b).not.toBe(a);
    expect(b.closed).toBe(false);
    await http.close();
  });

  it("refuses a connection cap that is not a positive integer", async () => {
    const http = new HttpTransport();
    for (const maxConnections of [0, -1, 1.5, Number.NaN]) {
      await expect(http.pool("http://127.0.0.1:9", { maxConnections }), String(maxConnections)).rejects.toThrow(
        new RangeError(`maxConnections must be a positive integer, got ${maxConnections}`),
      );
    }
    expect((await http.pool("http://127.0.0.1:9", { maxConnections: 1 })).closed).toBe(false);
    await http.close();
  });
});

describe("Class: HttpTransport — counters", () => {
  it("returns copies of the counters by origin, zeros for an origin never used", () => {
    const http = new HttpTransport();
    const live = http.counter("http://oro.test");
    live.requests = 3;
    live.statuses["200"] = 2;

    const copy = http.stats("http://oro.test/admin/api/products?x=1");
    expect(copy).toEqual({ requests: 3, retries: 0, failures: 0, statuses: { "200": 2 } });
    copy.statuses["200"] = 99;
    expect(http.counter("http://oro.test").statuses["200"]).toBe(2);
    expect(http.stats("http://never.test")).toEqual({ requests: 0, retries: 0, failures: 0, statuses: {} });

    const all = http.allStats();
    expect(all).toEqual({
      "http://oro.test": { requests: 3, retries: 0, failures: 0, statuses: { "200": 2 } },
      "http://never.test": { requests: 0, retries: 0, failures: 0, statuses: {} },
    });
    (all["http://oro.test"] as { statuses: Record<string, number> }).statuses["200"] = 0;
    expect(http.counter("http://oro.test").statuses["200"]).toBe(2);
    expect(new HttpTransport().allStats()).toEqual({});
  });
});

describe("Shortcuts: getPool, closeAll, getHttpStats, getAllHttpStats", () => {
  it("act on the process's transport", async () => {
    const pool = await getPool("http://127.0.0.1:6");
    expect(await defaultHttpTransport.pool("http://127.0.0.1:6")).toBe(pool);
    defaultHttpTransport.counter("http://shortcut.test").requests = 4;
    expect(getHttpStats("http://shortcut.test/x")).toEqual({ requests: 4, retries: 0, failures: 0, statuses: {} });
    expect(getAllHttpStats()["http://shortcut.test"]).toEqual({ requests: 4, retries: 0, failures: 0, statuses: {} });
    await closeAll();
    expect(pool.closed).toBe(true);
  });
});
