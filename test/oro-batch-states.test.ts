/**
 * shared/oro/batch.ts against the Oro sandbox over HTTP in the states its other tests leave out
 * (issue 16, survivors of the "shared/oro: batch" group): a sync round where every item fails, an
 * async batch with nothing to send, a sync request Oro moves to async (202), async operations that
 * end failed or cancelled, the lookup's page size, and chunk-relative pointers mapped back to input
 * indexes. Asserted exactly: which item, which reason,
 * how many requests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeAll } from "../shared/http";
import { createOroClient } from "../shared/oro";
import type { BatchItem, OroClient } from "../shared/oro";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

const CLIENT_ID = "oro-batch-states";
const CLIENT_SECRET = "sandbox-secret-for-batch-states";
let oro: OroSandbox;
let client: OroClient;

beforeAll(async () => {
  oro = await startOroSandbox({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, asyncDelayMs: 5 });
  client = createOroClient({
    getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    retry: { baseMs: 5, capMs: 50 },
  });
});
afterAll(async () => {
  await closeAll();
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset();
  await oro.admin.resetStats();
});

const routes = async (): Promise<Record<string, number>> => (await oro.admin.stats()).byRoute;
const customer = (externalId: string, name = `Customer ${externalId}`): BatchItem => ({ data: { type: "customers", attributes: { name, externalId } } });
const NOT_BLANK = "not blank constraint at /data/attributes/name: This value should not be blank.";
// orders: `identifier` is unique, so Oro derives the upsert key ["identifier"] (sandbox README, Upsert).
const order = (identifier: string): BatchItem => ({
  data: {
    type: "orders",
    attributes: { identifier, poNumber: "PO", currency: "USD" },
    relationships: { customer: { data: { type: "customers", id: "1" } }, lineItems: { data: [{ type: "orderlineitems", id: `l-${identifier}` }] } },
  },
  included: [
    {
      type: "orderlineitems",
      id: `l-${identifier}`,
      attributes: { quantity: 1, value: "2", currency: "USD" },
      relationships: { product: { data: { type: "products", id: "1" } }, productUnit: { data: { type: "productunits", id: "each" } } },
    },
  ],
});
const counts = (r: { created: number; updated: number; upserted: number; failed: number }) => ({
  created: r.created,
  updated: r.updated,
  upserted: r.upserted,
  failed: r.failed,
});

describe("batch states: sync", () => {
  it("stops after a round in which every item failed: one PATCH, each item failed with its own reason", async () => {
    const result = await client.batch("customers", [customer("ALL-0", ""), customer("ALL-1", "")]);
    expect(result.items).toEqual([
      {
        index: 0,
        outcome: "failed",
        errors: [{ status: "400", title: "not blank constraint", detail: "This value should not be blank.", source: { pointer: "/data/attributes/name" } }],
        reason: `customers: ${NOT_BLANK} (item 0 of the batch)`,
      },
      {
        index: 1,
        outcome: "failed",
        errors: [{ status: "400", title: "not blank constraint", detail: "This value should not be blank.", source: { pointer: "/data/attributes/name" } }],
        reason: `customers: ${NOT_BLANK} (item 1 of the batch)`,
      },
    ]);
    expect(counts(result)).toEqual({ created: 0, updated: 0, upserted: 0, failed: 2 });
    expect(await routes()).toEqual({ "POST /oauth2-token": 1, "PATCH /admin/api/customers": 1 });
    expect((await oro.admin.counts()).customers).toBe(3); // the 3 demo customers only
  });

  it("pins a 404 (update of a missing id) on its item and resends the rest", async () => {
    const rename = (id: string): BatchItem => ({ data: { type: "customers", id, meta: { update: true }, attributes: { name: `Renamed ${id}` } } });
    const result = await client.batch("customers", [rename("1"), rename("999"), rename("2")]);
    expect(result.items.map((i) => [i.index, i.outcome, i.reason])).toEqual([
      [0, "updated", undefined],
      [1, "failed", "customers: not found http exception at /data: An entity with the requested identifier does not exist. (item 1 of the batch)"],
      [2, "updated", undefined],
    ]);
    expect((await routes())["PATCH /admin/api/customers"]).toBe(2);
  });

  it("pins a flush-time 409 on its item and resends the rest", async () => {
    await client.batch("orders", [order("DUP-1")]);
    await oro.admin.uniqueAtFlush(1);
    await oro.admin.resetStats();
    const result = await client.batch("orders", [order("FRESH-1"), order("DUP-1")]);
    expect(result.items.map((i) => [i.index, i.outcome, i.reason])).toEqual([
      [0, "created", undefined],
      [1, "failed", "orders: conflict constraint at /data: The entity already exists. (item 1 of the batch)"],
    ]);
    expect((await routes())["PATCH /admin/api/orders"]).toBe(2);
    expect((await oro.admin.stats()).byStatus["409"]).toBe(1);
  });

  it("maps /data/{i} of the second sync chunk back to input index 100 + i", async () => {
    const items = Array.from({ length: 103 }, (_, i) => customer(`TWO-${i}`, i === 101 ? "" : `Customer ${i}`));
    const result = await client.batch("customers", items, { mode: "sync" });
    expect(result.mode).toBe("sync");
    expect(result.items.filter((i) => i.outcome === "failed").map((i) => [i.index, i.reason])).toEqual([
      [101, `customers: ${NOT_BLANK} (item 101 of the batch)`],
    ]);
    expect(counts(result)).toEqual({ created: 102, updated: 0, upserted: 0, failed: 1 });
    // Chunk 1 (100 items) once; chunk 2 rolled back, then its 2 valid items again.
    expect((await routes())["PATCH /admin/api/customers"]).toBe(3);
  });

  it("goes async by default at 101 items", async () => {
    const result = await client.batch(
      "customers",
      Array.from({ length: 101 }, (_, i) => customer(`AUTO-${i}`)),
      { pollInitialMs: 5 },
    );
    expect({ mode: result.mode, operations: result.operations.length, created: result.created }).toEqual({ mode: "async", operations: 1, created: 101 });
    expect((await routes())["PATCH /admin/api/customers"]).toBe(1);
  });

  it("follows a sync request Oro moved to async (202 past its sync wait) to the end, errors pinned on their items", async () => {
    await oro.admin.syncOverWait(1);
    const result = await client.batch("customers", [customer("OVER-0"), customer("OVER-1", ""), customer("OVER-2")], { pollInitialMs: 5 });
    expect(result.mode).toBe("sync");
    expect(result.operations).toHaveLength(1); // BatchResult.operations: "or a sync chunk Oro moved to async"
    expect(result.items.map((i) => [i.index, i.outcome, i.reason])).toEqual([
      [0, "created", undefined],
      [1, "failed", `customers: ${NOT_BLANK} (item 1 of the batch)`],
      [2, "created", undefined],
    ]);
    const byRoute = await routes();
    expect(byRoute["PATCH /admin/api/customers"]).toBe(1);
    expect(byRoute["GET /admin/api/asyncoperations/{id}/errors"]).toBe(1);
    expect((await oro.admin.counts()).customers).toBe(3 + 2);
  });
});

describe("batch states: async", () => {
  it("sends nothing for an empty async batch", async () => {
    const result = await client.batch("customers", [], { mode: "async" });
    expect(result).toEqual({ mode: "async", items: [], created: 0, updated: 0, upserted: 0, failed: 0, operations: [], operationErrors: [] });
    expect(await routes()).toEqual({});
  });

  it("submits one operation per asyncChunkSize items and maps each chunk's /data/{i} back to its input index", async () => {
    const items = Array.from({ length: 5 }, (_, i) => customer(`CH-${i}`, i === 3 ? "" : `Customer ${i}`));
    const result = await client.batch("customers", items, { mode: "async", asyncChunkSize: 2, pollInitialMs: 5 });
    expect(result.operations).toHaveLength(3);
    expect(new Set(result.operations).size).toBe(3);
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "created", "created", "failed", "created"]);
    expect(result.items[3]?.reason).toBe(`customers: ${NOT_BLANK} (item 3 of the batch)`);
    const byRoute = await routes();
    expect(byRoute["PATCH /admin/api/customers"]).toBe(3);
    expect(byRoute["GET /admin/api/asyncoperations/{id}/errors"]).toBe(3);
  });

  it("fails every item of an operation that ended failed, with Oro's operation error as the reason", async () => {
    await oro.admin.asyncEnd({ status: "failed", count: 1 });
    const result = await client.batch("customers", [customer("F-0"), customer("F-1")], { mode: "async", pollInitialMs: 5 });
    const [operation] = result.operations;
    expect(result.operations).toHaveLength(1);
    const error = { status: 400, title: "async operation exception", detail: "Failed to parse the data file." };
    const reason = `customers: async operation ${operation} ended "failed": async operation exception: Failed to parse the data file.`;
    expect(result.items).toEqual([
      { index: 0, outcome: "failed", errors: [error], reason },
      { index: 1, outcome: "failed", errors: [error], reason },
    ]);
    expect(counts(result)).toEqual({ created: 0, updated: 0, upserted: 0, failed: 2 });
    expect(result.operationErrors).toEqual([]); // the error is on the items, not kept apart
    expect((await oro.admin.counts()).customers).toBe(3);
  });

  it("fails every item of a cancelled operation, without errors", async () => {
    await oro.admin.asyncEnd({ status: "cancelled", count: 1 });
    const result = await client.batch("customers", [customer("X-0"), customer("X-1")], { mode: "async", pollInitialMs: 5 });
    const [operation] = result.operations;
    const reason = `customers: async operation ${operation} ended "cancelled"`;
    expect(result.items).toEqual([
      { index: 0, outcome: "failed", errors: [], reason },
      { index: 1, outcome: "failed", errors: [], reason },
    ]);
    expect(result.operationErrors).toEqual([]);
  });

  it("pins a 405 at /data/{i} (no further path) on item i", async () => {
    // inventorylevels have no create action: each created item is refused at its own /data/{i}.
    const items: BatchItem[] = [
      { data: { type: "inventorylevels", id: "1", meta: { update: true }, attributes: { quantity: 5 } } },
      { data: { type: "inventorylevels", attributes: { quantity: 6 } } },
    ];
    const result = await client.batch("inventorylevels", items, { mode: "async", pollInitialMs: 5 });
    expect(result.items).toEqual([
      { index: 0, outcome: "updated", id: "1" },
      {
        index: 1,
        outcome: "failed",
        errors: [{ status: 405, title: "action not allowed exception", detail: 'The "create" action is not allowed.', source: { pointer: "/data" } }],
        reason: 'inventorylevels: action not allowed exception at /data: The "create" action is not allowed. (item 1 of the batch)',
      },
    ]);
  });
});

describe("batch states: upsert lookup", () => {
  it("asks for as many records as keys (page[size]), so 12 existing keys are all found", async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `PAGE-${String(i).padStart(2, "0")}`);
    await client.batch(
      "orders",
      keys.map((k) => order(k)),
      { upsert: ["identifier"], resolveUpsertOutcomes: false },
    );
    await oro.admin.resetStats();
    const result = await client.batch(
      "orders",
      keys.map((k) => order(k)),
      { upsert: ["identifier"] },
    );
    expect(result.items.map((i) => i.outcome)).toEqual(Array.from({ length: 12 }, () => "updated"));
    expect((await routes())["GET /admin/api/orders"]).toBe(1);
  });
});

describe('sandbox batch controls (README "Differs from Oro on purpose")', () => {
  it("leaves a failed operation as AsyncOperationManager::markAsFailed does (UpdateListTest testUpdateListRequestWithInvalidData)", async () => {
    await oro.admin.asyncEnd({ status: "failed", count: 1, detail: "Failed to parse the data file. Storage unavailable." });
    const result = await client.batch("customers", [customer("RAW-0")], { mode: "async", pollInitialMs: 5 });
    const id = result.operations[0] as string;
    const raw = sandboxCaller(oro, CLIENT_ID, CLIENT_SECRET);
    const operation = await raw.get(`/asyncoperations/${id}`);
    expect(operation.json.data.attributes).toMatchObject({
      status: "failed",
      progress: null,
      summary: { aggregateTime: 0, readCount: 0, writeCount: 0, errorCount: 1, createCount: 0, updateCount: 0 },
    });
    const errors = await raw.get(`/asyncoperations/${id}/errors`);
    expect(errors.json.data).toEqual([
      {
        type: "asyncoperationerrors",
        id: `${id}-0-1`,
        attributes: { status: 400, title: "async operation exception", detail: "Failed to parse the data file. Storage unavailable." },
      },
    ]);
    // count 1: the next operation is processed again.
    const next = await client.batch("customers", [customer("RAW-1")], { mode: "async", pollInitialMs: 5 });
    expect(next.items.map((i) => i.outcome)).toEqual(["created"]);
  });

  it("answers a sync request 202 with the operation and Content-Location, once per count", async () => {
    await oro.admin.syncOverWait(1);
    const raw = sandboxCaller(oro, CLIENT_ID, CLIENT_SECRET);
    const body = { data: [customer("RAW-S0").data] };
    const moved = await raw.patch("/customers", body, { "X-Mode": "sync" });
    expect(moved.status).toBe(202);
    expect(moved.json.data.type).toBe("asyncoperations");
    expect(moved.headers.get("content-location")).toBe(`${oro.url}/admin/api/asyncoperations/${moved.json.data.id}`);
    const again = await raw.patch("/customers", { data: [customer("RAW-S1").data] }, { "X-Mode": "sync" });
    expect(again.status).toBe(200);
  });

  it("refuses a malformed control body with 400", async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${oro.url}/__admin/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then(
        (r) => r.status,
      );
    expect(await post("async-end", { status: "success", count: 1 })).toBe(400);
    expect(await post("async-end", { status: "failed", count: -1 })).toBe(400);
    expect(await post("sync-over-wait", { count: 1.5 })).toBe(400);
  });
});
