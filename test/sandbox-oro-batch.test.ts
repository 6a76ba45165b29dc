import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "batch", clientSecret: "batch-secret", asyncDelayMs: 30 });
  api = sandboxCaller(oro, "batch", "batch-secret");
});
afterAll(async () => {
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset();
});

const level = (id: string, quantity: unknown) => ({ type: "inventorylevels", id, meta: { update: true }, attributes: { quantity } });

async function pollOperation(id: string, until: (status: string) => boolean) {
  const seen: string[] = [];
  for (let i = 0; i < 100; i += 1) {
    const response = await api.get(`/asyncoperations/${id}`);
    const status = response.json.data.attributes.status as string;
    if (seen.at(-1) !== status) seen.push(status);
    if (until(status)) return { response, seen };
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`Async operation ${id} did not finish; statuses seen: ${seen.join(" -> ")}`);
}

describe("Oro sandbox: sync batch (X-Mode: sync)", () => {
  it("updates items in order and answers 200 with meta.dataId", async () => {
    const response = await api.patch("/inventorylevels", { data: [level("3", "30"), level("1", 10)] }, { "X-Mode": "sync" });
    expect(response.status).toBe(200);
    expect(response.json.data.map((d: { id: string }) => d.id)).toEqual(["3", "1"]);
    expect(response.json.data[0].meta).toEqual({ dataId: "3" });
    expect(oro.store.mustTable("inventorylevels").get("1")?.attributes.quantity).toBe("10");
  });

  it("is atomic: one bad item rolls every item back, errors point at /data/{i}", async () => {
    const response = await api.patch("/inventorylevels", { data: [level("1", "99"), level("2", "many")] }, { "X-Mode": "sync" });
    expect(response.status).toBe(400);
    expect(response.json.errors[0].source.pointer).toBe("/data/1/attributes/quantity");
    expect(oro.store.mustTable("inventorylevels").get("1")?.attributes.quantity).toBe("7");
  });

  it("refuses more than 100 items", async () => {
    const data = Array.from({ length: 101 }, (_, i) => level(String((i % 30) + 1), i));
    const response = await api.patch("/inventorylevels", { data }, { "X-Mode": "sync" });
    expect(response.status).toBe(400);
    expect(response.json.errors[0]).toMatchObject({ title: "request data constraint" });
    expect(response.json.errors[0].detail).toContain("is 100.");
  });

  it("refuses more than 50 included items", async () => {
    const included = Array.from({ length: 51 }, (_, i) => ({ type: "productnames", id: `n${i}`, attributes: { string: "x" } }));
    const response = await api.patch("/products", { data: [], included }, { "X-Mode": "sync" });
    expect(response.status).toBe(400);
    expect(response.json.errors[0].detail).toContain("is 50.");
  });
});

describe("Oro sandbox: async batch", () => {
  it("answers 202 + Content-Location, runs new -> running -> success, reports item errors", async () => {
    const data = [
      level("1", "11"),
      level("2", "not-a-number"),
      { type: "inventorylevels", id: "99999", meta: { update: true }, attributes: { quantity: "1" } },
      level("4", 44),
    ];
    // Every status the operation takes, as stored (a poll every few ms may miss a 30 ms state on a loaded machine).
    const operations = oro.store.mustTable("asyncoperations");
    const stored: string[] = [];
    const record = (row: { type: string; attributes: Record<string, unknown> }) => {
      const status = String(row.attributes.status);
      if (stored.at(-1) !== status) stored.push(status);
    };
    operations.afterPut.add(record);
    const response = await api.patch("/inventorylevels", { data });
    expect(response.status).toBe(202);
    const id = response.json.data.id as string;
    expect(response.json.data.type).toBe("asyncoperations");
    expect(response.json.data.attributes).toMatchObject({ status: "new", progress: null, entityType: "inventorylevels", summary: null });
    expect(response.headers.get("content-location")).toBe(`${oro.url}/admin/api/asyncoperations/${id}`);

    const { response: done, seen } = await pollOperation(id, (s) => s === "success" || s === "failed");
    operations.afterPut.delete(record);
    expect(stored).toEqual(["new", "running", "success"]);
    // What the API showed is the stored sequence with, at most, states skipped between polls.
    expect(seen.at(-1)).toBe("success");
    expect(seen.every((s, i) => i === 0 || stored.indexOf(s) > stored.indexOf(seen[i - 1] as string))).toBe(true);
    expect(done.json.data.attributes.summary).toMatchObject({ readCount: 4, writeCount: 2, errorCount: 2, createCount: 0, updateCount: 2 });
    expect(oro.store.mustTable("inventorylevels").get("4")?.attributes.quantity).toBe("44");

    const errors = await api.get(`/asyncoperations/${id}/errors`);
    expect(errors.json.data.map((e: { id: string }) => e.id)).toEqual([`${id}-1-1`, `${id}-1-2`]);
    expect(errors.json.data[0].attributes).toMatchObject({ status: 400, source: { pointer: "/data/1/attributes/quantity" } });
    expect(errors.json.data[1].attributes).toMatchObject({
      status: 404,
      title: "not found http exception",
      detail: "An entity with the requested identifier does not exist.",
      source: { pointer: "/data/2" },
    });
  });

  it("creates products with included items per batch entry", async () => {
    const item = (sku: string, n: string) => ({
      type: "products",
      attributes: { sku, status: "enabled" },
      relationships: {
        names: { data: [{ type: "productnames", id: `name-${n}` }] },
        unitPrecisions: { data: [{ type: "productunitprecisions", id: `upr-${n}` }] },
        inventory_status: { data: { type: "prodinventorystatuses", id: "in_stock" } },
        attributeFamily: { data: { type: "attributefamilies", id: "1" } },
      },
    });
    const included = ["a", "b"].flatMap((n) => [
      { type: "productnames", id: `name-${n}`, attributes: { string: `Batch ${n}` }, relationships: { localization: { data: null } } },
      { type: "productunitprecisions", id: `upr-${n}`, attributes: { precision: 0 }, relationships: { unit: { data: { type: "productunits", id: "item" } } } },
    ]);
    const response = await api.patch("/products", { data: [item("BATCH-A", "a"), item("BATCH-B", "b")], included });
    const { response: done } = await pollOperation(response.json.data.id, (s) => s === "success");
    expect(done.json.data.attributes.summary).toMatchObject({ createCount: 2, errorCount: 0 });
    const listed = await api.get("/products?filter[sku]=BATCH-A,BATCH-B&include=names");
    expect(listed.json.included.map((n: { attributes: { string: string } }) => n.attributes.string).sort()).toEqual(["Batch a", "Batch b"]);
  });

  it("answers 404 for the errors of an unknown operation and 405 for listing operations", async () => {
    expect((await api.get("/asyncoperations/999/errors")).status).toBe(404);
    expect((await api.get("/asyncoperations")).status).toBe(405);
  });
});
