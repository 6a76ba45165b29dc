/**
 * shared/oro/batch.ts against the Oro sandbox over HTTP, asserted exactly (issue 16: its mutation
 * survivors): the sync retry of the valid rest, the automatic mode bound, the upsert-outcome lookup,
 * the async submit/poll/errors path and its timeout.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { HttpError, closeAll } from "../shared/http";
import { OroAsyncOperationTimeoutError, createOroClient } from "../shared/oro";
import type { BatchItem } from "../shared/oro";
import { startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

const CLIENT_ID = "oro-batch-tests";
const CLIENT_SECRET = "sandbox-secret-for-batch-tests";
let oro: OroSandbox;

beforeAll(async () => {
  oro = await startOroSandbox({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, asyncDelayMs: 10 });
});
afterAll(async () => {
  await closeAll();
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset();
  await oro.admin.resetStats();
});
afterEach(async () => {
  await oro.admin.faults({});
});

const clientOf = (sandbox: OroSandbox) =>
  createOroClient({
    getConnection: async () => ({ baseUrl: sandbox.url, apiPrefix: "/admin/api", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    retry: { baseMs: 5, capMs: 50 },
  });
const routes = async (): Promise<Record<string, number>> => (await oro.admin.stats()).byRoute;
const customer = (externalId: string, name = `Customer ${externalId}`): BatchItem => ({ data: { type: "customers", attributes: { name, externalId } } });
// orders: `identifier` is a unique column, so Oro derives the upsert key ["identifier"] (sandbox README, Upsert).
const order = (identifier: string, poNumber = "PO", quantity: unknown = 1): BatchItem => ({
  data: {
    type: "orders",
    attributes: { identifier, poNumber, currency: "USD" },
    relationships: { customer: { data: { type: "customers", id: "1" } }, lineItems: { data: [{ type: "orderlineitems", id: `l-${identifier}` }] } },
  },
  included: [
    {
      type: "orderlineitems",
      id: `l-${identifier}`,
      attributes: { quantity, value: "2", currency: "USD" },
      relationships: { product: { data: { type: "products", id: "1" } }, productUnit: { data: { type: "productunits", id: "each" } } },
    },
  ],
});
const byIdentifier = { upsert: ["identifier"] } as const;

describe("batch: sync", () => {
  it("sends exactly 100 items as one sync request when no mode is given", async () => {
    const result = await clientOf(oro).batch(
      "customers",
      Array.from({ length: 100 }, (_, i) => customer(`HUNDRED-${i}`)),
    );
    expect(result.mode).toBe("sync");
    expect(result.created).toBe(100);
    expect(result.operations).toEqual([]);
    const byRoute = await routes();
    expect(byRoute["PATCH /admin/api/customers"]).toBe(1);
    expect(byRoute["GET /admin/api/customers"]).toBeUndefined();
  });

  it("sends nothing for an empty batch", async () => {
    const result = await clientOf(oro).batch("customers", []);
    expect(result).toEqual({ mode: "sync", items: [], created: 0, updated: 0, upserted: 0, failed: 0, operations: [], operationErrors: [] });
    expect(await routes()).toEqual({});
  });

  it("stays sync up to 50 included records in all and goes async at 51", async () => {
    const oroClient = clientOf(oro);
    const fifty = await oroClient.batch(
      "orders",
      Array.from({ length: 50 }, (_, i) => order(`INC50-${i}`)),
    );
    expect({ mode: fifty.mode, created: fifty.created, operations: fifty.operations.length }).toEqual({ mode: "sync", created: 50, operations: 0 });
    const more = await oroClient.batch(
      "orders",
      Array.from({ length: 51 }, (_, i) => order(`INC51-${i}`)),
      { pollInitialMs: 10 },
    );
    expect({ mode: more.mode, created: more.created, operations: more.operations.length }).toEqual({ mode: "async", created: 51, operations: 1 });
    expect((await routes())["PATCH /admin/api/orders"]).toBe(2);
  });

  it("fails the whole chunk with Oro's reason when no error names an item (51 included records in one item)", async () => {
    const big = order("BIG-1");
    const lines = Array.from({ length: 51 }, (_, i) => ({ ...(big.included?.[0] as object), id: `big-${i}` }) as NonNullable<BatchItem["included"]>[number]);
    const item: BatchItem = {
      data: {
        ...big.data,
        relationships: { ...big.data.relationships, lineItems: { data: lines.map((l) => ({ type: "orderlineitems", id: l.id as string })) } },
      },
      included: lines,
    };
    const result = await clientOf(oro).batch("orders", [item], { mode: "sync" });
    expect(result.items).toHaveLength(1);
    const limit =
      "The included data limit for the synchronous operation exceeded. The maximum number of included records that can be processed by the synchronous operation is 50.";
    expect(result.items[0]).toEqual({
      index: 0,
      outcome: "failed",
      errors: [{ status: "400", title: "request data constraint", detail: limit }],
      reason: `orders: request data constraint: ${limit}`,
    });
    expect((await routes())["PATCH /admin/api/orders"]).toBe(1);
  });

  it("resends only the valid rest after a rollback: 2 PATCHes, no empty third one", async () => {
    const result = await clientOf(oro).batch("customers", [customer("R-0", ""), customer("R-1"), customer("R-2", "")]);
    expect(result.items.map((i) => i.outcome)).toEqual(["failed", "created", "failed"]);
    expect({ created: result.created, updated: result.updated, upserted: result.upserted, failed: result.failed }).toEqual({
      created: 1,
      updated: 0,
      upserted: 0,
      failed: 2,
    });
    expect(result.items[2]?.reason).toBe("customers: not blank constraint at /data/attributes/name: This value should not be blank. (item 2 of the batch)");
    expect((await routes())["PATCH /admin/api/customers"]).toBe(2);
    expect((await oro.admin.counts()).customers).toBe(3 + 1); // 3 demo customers
  });
});

describe("batch: upsert outcomes", () => {
  it("looks the keys up first (one GET) and says created or updated per item", async () => {
    const oroClient = clientOf(oro);
    await oroClient.batch("orders", [order("UP-1")], byIdentifier);
    await oro.admin.resetStats();
    const result = await oroClient.batch("orders", [order("UP-1", "PO-2"), order("UP-2")], byIdentifier);
    expect(result.items.map((i) => [i.index, i.outcome])).toEqual([
      [0, "updated"],
      [1, "created"],
    ]);
    expect({ created: result.created, updated: result.updated, upserted: result.upserted, failed: result.failed }).toEqual({
      created: 1,
      updated: 1,
      upserted: 0,
      failed: 0,
    });
    const byRoute = await routes();
    expect(byRoute["GET /admin/api/orders"]).toBe(1);
    expect(byRoute["PATCH /admin/api/orders"]).toBe(1);
  });

  it("counts a key written earlier in the same batch as updated", async () => {
    const result = await clientOf(oro).batch("orders", [order("TWICE"), order("TWICE", "PO-2")], byIdentifier);
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "updated"]);
  });

  it("says upserted without a lookup when resolveUpsertOutcomes is false", async () => {
    const result = await clientOf(oro).batch("orders", [order("NL-1"), order("NL-2")], { ...byIdentifier, resolveUpsertOutcomes: false });
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted", "upserted"]);
    expect(result.upserted).toBe(2);
    expect((await routes())["GET /admin/api/orders"]).toBeUndefined();
  });

  it("says upserted without a lookup when a key holds a comma (it would split the filter's OR list)", async () => {
    const result = await clientOf(oro).batch("orders", [order("C-1"), order("C,2")], byIdentifier);
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted", "upserted"]);
    expect((await routes())["GET /admin/api/orders"]).toBeUndefined();
  });

  it("keeps an item's own meta over the batch's upsert option", async () => {
    const oroClient = clientOf(oro);
    const first = await oroClient.batch("orders", [order("OWN-1")], byIdentifier);
    const own = order("OWN-1", "PO-2");
    const result = await oroClient.batch(
      "orders",
      [{ ...own, data: { ...own.data, id: first.items[0]?.id as string, meta: { update: true } } }, order("OWN-2")],
      byIdentifier,
    );
    expect(result.items.map((i) => i.outcome)).toEqual(["updated", "created"]);
    expect((await oroClient.get<{ poNumber: string }>("orders", first.items[0]?.id as string)).data.attributes?.poNumber).toBe("PO-2");
  });

  it("writes anyway and says upserted when the lookup is refused (403: no VIEW on orders)", async () => {
    oro.acl.deny({ type: "orders", permission: "VIEW" });
    const result = await clientOf(oro).batch("orders", [order("ACL-1"), order("ACL-2")], byIdentifier);
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted", "upserted"]);
    const byRoute = await routes();
    expect(byRoute["GET /admin/api/orders"]).toBe(1);
    expect(byRoute["PATCH /admin/api/orders"]).toBe(1);
    oro.acl.reset();
    const stored = await clientOf(oro).list<{ identifier: string }>("orders", { filter: { identifier: ["ACL-1", "ACL-2"] }, sort: "identifier" });
    expect(stored.data.map((o) => o.attributes?.identifier)).toEqual(["ACL-1", "ACL-2"]);
  });

  it("creates (no lookup) when no upsert option is given", async () => {
    const result = await clientOf(oro).batch("customers", [customer("NOUP-1")]);
    expect(result.items.map((i) => i.outcome)).toEqual(["created"]);
    expect((await routes())["GET /admin/api/customers"]).toBeUndefined();
  });

  it("pins an error of an included record (/included/{j}) on the item that brought it", async () => {
    const result = await clientOf(oro).batch("orders", [order("INC-1"), order("INC-2", "PO", "many"), order("INC-3")], byIdentifier);
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "failed", "created"]);
    expect(result.items[1]?.reason).toBe(
      "orders: form constraint at /included/1/attributes/quantity: This value is not valid.; not blank constraint at /included/1/attributes/quantity: This value should not be blank. (item 1 of the batch)",
    );
    expect(result.items[1]?.id).toBeUndefined();
    expect(result.items.map((i) => typeof i.id)).toEqual(["string", "undefined", "string"]);
  });
});

describe("batch: resending after a 503", () => {
  // A chunk is resent only when every item updates or upserts (resending a create would duplicate it).
  const fault503 = (path: string) => oro.admin.faults({ serverError: { count: 1 }, paths: [path] });
  const rename = (id: string, name: string): BatchItem => ({ data: { type: "customers", id, meta: { update: true }, attributes: { name } } });

  it("resends a chunk of upserts", async () => {
    await fault503("/admin/api/orders");
    const result = await clientOf(oro).batch("orders", [order("RS-1"), order("RS-2")], { ...byIdentifier, resolveUpsertOutcomes: false });
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted", "upserted"]);
    expect((await routes())["PATCH /admin/api/orders"]).toBe(2);
  });

  it("resends a chunk of updates", async () => {
    await fault503("/admin/api/customers");
    const result = await clientOf(oro).batch("customers", [rename("1", "Renamed 1"), rename("2", "Renamed 2")]);
    expect(result.items.map((i) => i.outcome)).toEqual(["updated", "updated"]);
    expect((await routes())["PATCH /admin/api/customers"]).toBe(2);
  });

  it("does not resend a chunk with one create among updates, and raises the 503", async () => {
    await fault503("/admin/api/customers");
    const error = await clientOf(oro)
      .batch("customers", [rename("1", "Renamed 1"), customer("NEW-1")])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((await routes())["PATCH /admin/api/customers"]).toBe(1);
  });
});

describe("batch: async", () => {
  it("reads an operation's errors 100 per page and pins each on its item by /data/{i}", async () => {
    const items = Array.from({ length: 130 }, (_, i) => customer(`E-${i}`, i < 120 ? "" : `Fine ${i}`));
    const result = await clientOf(oro).batch("customers", items, { mode: "async", pollInitialMs: 10 });
    expect(result.mode).toBe("async");
    expect(result.operations).toHaveLength(1);
    expect({ created: result.created, failed: result.failed }).toEqual({ created: 10, failed: 120 });
    expect(result.operationErrors).toEqual([]);
    expect(result.items[119]?.errors?.map((e) => e.source?.pointer)).toEqual(["/data/attributes/name"]);
    expect(result.items[119]?.reason).toBe("customers: not blank constraint at /data/attributes/name: This value should not be blank. (item 119 of the batch)");
    const byRoute = await routes();
    expect(byRoute["GET /admin/api/asyncoperations/{id}/errors"]).toBe(2);
  });

  it("polls with delays growing 1.5x up to pollMaxMs and gives up when the next delay passes pollTimeoutMs", async () => {
    // An operation that stays "new" longer than this test lasts.
    const slow = await startOroSandbox({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, asyncDelayMs: 60_000 });
    // Date frozen: the time waited stays 0, so only the delays decide (no race with a slow machine).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const error = await clientOf(slow)
        .batch("customers", [customer("SLOW-1")], { mode: "async", pollInitialMs: 20, pollMaxMs: 80, pollTimeoutMs: 68 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OroAsyncOperationTimeoutError);
      const operationId = (error as OroAsyncOperationTimeoutError).operationId;
      expect((error as Error).message).toBe(
        `Oro async operation ${operationId} did not finish within 0 ms; it keeps running in Oro (check GET asyncoperations/${operationId}). The batch will be retried; upserts make that harmless.`,
      );
      // Delays 20, 30, 45, 68 (68 is not over 68) are slept; the next, 80 (capped from 102), is not: 5 polls.
      expect((await slow.admin.stats()).byRoute["GET /admin/api/asyncoperations/{id}"]).toBe(5);
    } finally {
      vi.useRealTimers();
      await slow.stop();
    }
  });
});
