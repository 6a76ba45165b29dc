import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FaultInjector } from "../sandboxes/common";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "faults", clientSecret: "faults-secret" });
  api = sandboxCaller(oro, "faults", "faults-secret");
  await api.token();
});
afterAll(async () => {
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset();
});

describe("Sandbox controls: latency and concurrency", () => {
  it("adds the configured latency", async () => {
    await oro.admin.faults({ latencyMs: 120 });
    const started = performance.now();
    expect((await api.get("/productunits")).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("caps concurrent requests and queues the rest FIFO", async () => {
    await oro.admin.faults({ latencyMs: 40, maxConcurrent: 2 });
    const started = performance.now();
    const finished: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await api.get(`/products/${i + 1}`);
        finished.push(i);
      }),
    );
    const stats = await oro.admin.stats();
    expect(stats.maxConcurrencyObserved).toBe(2);
    expect(stats.maxQueuedObserved).toBeGreaterThanOrEqual(1);
    // 6 requests, 2 at a time, 40 ms each: at least 3 rounds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(stats.byRoute["GET /admin/api/products/{id}"]).toBe(6);
  });
});

describe("Sandbox controls: injected faults", () => {
  it("answers 429 with Retry-After for the next N requests, then recovers", async () => {
    await oro.admin.faults({ throttle: { count: 2, retryAfterSeconds: 3 } });
    const first = await api.get("/productunits");
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("3");
    expect((await api.get("/productunits")).status).toBe(429);
    expect((await api.get("/productunits")).status).toBe(200);
    expect((await oro.admin.stats()).faults.throttle).toBe(2);
  });

  it("answers 503 during a window only", async () => {
    await oro.admin.faults({ serverError: { forMs: 150 } });
    expect((await api.get("/productunits")).status).toBe(503);
    await new Promise((r) => setTimeout(r, 170));
    expect((await api.get("/productunits")).status).toBe(200);
  });

  it("resets connections", async () => {
    await oro.admin.faults({ connectionReset: { count: 1 } });
    await expect(api.get("/productunits")).rejects.toThrow();
    expect((await api.get("/productunits")).status).toBe(200);
  });

  it("sends slow bodies after the headers", async () => {
    await oro.admin.faults({ slowBody: { count: 1, delayMs: 150 } });
    const started = performance.now();
    const response = await fetch(`${oro.url}/admin/api/products/1`, { headers: { Authorization: `Bearer ${await api.token()}` } });
    const headersAt = performance.now() - started;
    const body = (await response.json()) as { data: { id: string } };
    expect(body.data.id).toBe("1");
    expect(headersAt).toBeLessThan(120);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("applies a rate deterministically for a seed", () => {
    const run = () => {
      const injector = new FaultInjector({ seed: 42, serverError: { rate: 0.3 } });
      return Array.from({ length: 200 }, () => injector.decide("/admin/api/products") !== null);
    };
    const first = run();
    expect(run()).toEqual(first);
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(40);
    expect(hits).toBeLessThan(80);
  });

  it("limits faults to path prefixes and leaves admin endpoints alone", async () => {
    await oro.admin.faults({ paths: ["/admin/api/products"], serverError: { rate: 1 } });
    expect((await api.get("/products/1")).status).toBe(503);
    expect((await api.get("/productunits")).status).toBe(200);
    expect((await oro.admin.stats()).requests).toBeGreaterThan(0);
  });

  it("reset clears faults, stats and restores the seeded state", async () => {
    await oro.admin.faults({ serverError: { rate: 1 } });
    oro.store.mustTable("products").delete("1");
    await oro.admin.reset();
    expect((await oro.admin.stats()).requests).toBe(0);
    expect((await api.get("/products/1")).status).toBe(200);
    const counts = await oro.admin.counts();
    expect(counts.products).toBe(30);
    expect(counts.inventorylevels).toBe(30);
    expect(counts.orders).toBe(3);
  });

  it("seeds 10,000 products and finds one by sku through the unique index", async () => {
    // Speed is the benchmarks' business; here: the seed lands and sku lookups go through the index.
    await oro.admin.seed({ products: 10_000 });
    expect(oro.store.mustTable("products").hasUniqueIndex("sku")).toBe(true);
    for (let i = 0; i < 50; i += 1) {
      const sku = `BULK-${String(5000 + i).padStart(5, "0")}`;
      const response = await api.get(`/products?filter[sku]=${sku}`);
      expect(response.json.data).toHaveLength(1);
      expect(response.json.data[0].attributes.sku).toBe(sku);
    }
  });
});
