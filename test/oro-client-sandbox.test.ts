/**
 * The Oro client against the Oro sandbox over real HTTP: the shared contract, then what only the
 * sandbox can show (its request stats, fault injection, forced token expiry, bulk seeding).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeAll, HttpError, HttpTransport } from "../shared/http";
import { OroConflictError, OroMediaTypeError, OroMethodNotAllowedError, OroValidationError, OroTransport, createOroClient } from "../shared/oro";
import type { BatchItem, OroConnection } from "../shared/oro";
import { startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";
import { defineOroClientContract, newProduct } from "./helpers/oro-client-contract";
import type { OroTarget } from "./helpers/oro-client-contract";

const CLIENT_ID = "oro-client-tests";
const CLIENT_SECRET = "sandbox-secret-for-client-tests";
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
});
afterEach(async () => {
  await oro.admin.faults({});
});

const connection = (overrides: Partial<OroConnection> = {}): OroConnection => ({
  baseUrl: oro.url,
  apiPrefix: "/admin/api",
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  ...overrides,
});
const client = (overrides: Partial<OroConnection> = {}, retry = { baseMs: 5, capMs: 50 }) =>
  createOroClient({ getConnection: async () => connection(overrides), retry });
const target = (): OroTarget => ({
  name: "sandbox",
  connection: connection(),
  runId: `RUN-${Date.now()}`,
  // The sandbox is stock Oro: products allow no upsert (docs/reference/oro-writes.md).
  upsertBySku: false,
  refs: { inventoryStatus: "in_stock", attributeFamily: "1", unit: "each" },
});
const tokenRequests = async (): Promise<number> => (await oro.admin.stats()).byRoute["POST /oauth2-token"] ?? 0;

describe("Oro client x sandbox: shared contract", () => {
  defineOroClientContract(target);
});

describe("Oro client x sandbox: tokens", () => {
  it("makes exactly one token request for 50 concurrent calls", async () => {
    const oroClient = client();
    await Promise.all(Array.from({ length: 50 }, () => oroClient.list("products", { page: { size: 1 } })));
    expect(await tokenRequests()).toBe(1);
    expect((await oro.admin.stats()).byRoute["GET /admin/api/products"]).toBe(50);
  });

  it("after a forced expiry, the 401 costs one new token and one retry", async () => {
    const oroClient = client();
    await oroClient.list("products", { page: { size: 1 } });
    await oro.admin.expireTokens();
    await oroClient.list("products", { page: { size: 1 } });
    const stats = await oro.admin.stats();
    expect(await tokenRequests()).toBe(2);
    expect(stats.byStatus["401"]).toBe(1);
    expect(stats.byRoute["GET /admin/api/products"]).toBe(3);
  });

  it("refreshes a short-lived token before it expires, so no call sees a 401", async () => {
    const shortLived = await startOroSandbox({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenTtlSeconds: 1 });
    try {
      const oroClient = createOroClient({ getConnection: async () => connection({ baseUrl: shortLived.url }) });
      await oroClient.list("products", { page: { size: 1 } });
      await new Promise((r) => setTimeout(r, 700));
      await oroClient.list("products", { page: { size: 1 } });
      const stats = shortLived.stats();
      expect(stats.byRoute["POST /oauth2-token"]).toBe(2);
      expect(stats.byStatus["401"]).toBeUndefined();
    } finally {
      await shortLived.stop();
    }
  });

  it("re-reads the secret once after invalid_client and uses the rotated one", async () => {
    const asked: Array<boolean | undefined> = [];
    const oroClient = createOroClient({
      getConnection: async (opts) => {
        asked.push(opts?.forceRefresh);
        return connection({ clientSecret: opts?.forceRefresh ? CLIENT_SECRET : "stale-secret-before-rotation" });
      },
    });
    const page = await oroClient.list("products", { page: { size: 1 } });
    expect(page.data).toHaveLength(1);
    expect(asked).toEqual([undefined, true]);
  });
});

describe("Oro client x sandbox: paging", () => {
  it("pages through 1,050 seeded products by links.next", async () => {
    await oro.admin.reset({ seed: false });
    await oro.admin.seed({ products: 1_050 });
    const oroClient = client();
    let pages = 0;
    let total: number | undefined;
    const skus = new Set<string>();
    for await (const page of oroClient.pages<{ sku: string }>("products", { fields: { products: ["sku"] }, page: { size: 100 }, totalCount: true })) {
      pages += 1;
      total ??= page.totalCount;
      for (const product of page.data) skus.add(product.attributes?.sku ?? "");
    }
    expect(skus.size).toBe(1_050);
    expect(pages).toBe(11);
    expect(total).toBe(1_050);
    expect((await oro.admin.stats()).byRoute["GET /admin/api/products"]).toBe(11);
  });
});

describe("Oro client x sandbox: upsert", () => {
  // productunits: the id is the unit code (no generator), so Oro allows upsert by id (ProductUnitTest.php).
  const unit = (label: string) => ({
    type: "productunits",
    id: "crate",
    attributes: { defaultPrecision: 0, label, shortLabel: "cr", pluralLabel: `${label}s`, shortPluralLabel: "crs" },
  });

  it("creates, then updates by id where Oro allows it (productunits)", async () => {
    const oroClient = client();
    expect((await oroClient.upsert(unit("crate"), true)).outcome).toBe("created");
    const second = await oroClient.upsert(unit("big crate"), true);
    expect(second.outcome).toBe("updated");
    expect(second.data.attributes?.label).toBe("big crate");
  });

  it("raises OroValidationError at /meta/upsert for an upsert on products (stock Oro allows none)", async () => {
    const t = target();
    const { data, included } = newProduct(t, "UPSERT-1");
    const error = (await client()
      .upsert(data, ["sku"], { included })
      .catch((e: unknown) => e)) as OroValidationError;
    expect(error).toBeInstanceOf(OroValidationError);
    expect(error.violations).toEqual([{ pointer: "/meta/upsert", title: "value constraint", detail: "The upsert operation is not allowed." }]);
  });
});

const customer = (externalId: string, name = `Customer ${externalId}`): BatchItem => ({ data: { type: "customers", attributes: { name, externalId } } });

describe("Oro client x sandbox: batch", () => {
  it("writes 250 items synchronously in 3 chunks and says which were created or updated", async () => {
    const oroClient = client();
    // 50 of them exist already: they are sent with meta.update by id and must come back as updated.
    const first = await oroClient.batch(
      "customers",
      Array.from({ length: 50 }, (_, i) => customer(`EXT-${i}`)),
    );
    const ids = first.items.map((item) => item.id as string);
    await oro.admin.resetStats();

    const items = Array.from({ length: 250 }, (_, i): BatchItem => {
      const item = customer(`EXT-${i}`, `Renamed ${i}`);
      return i < 50 ? { data: { ...item.data, id: ids[i] as string, meta: { update: true } } } : item;
    });
    const result = await oroClient.batch("customers", items, { mode: "sync" });
    expect(result.mode).toBe("sync");
    expect(result.items).toHaveLength(250);
    expect({ created: result.created, updated: result.updated, upserted: result.upserted, failed: result.failed }).toEqual({
      created: 200,
      updated: 50,
      upserted: 0,
      failed: 0,
    });
    expect(result.items.slice(0, 50).every((item) => item.outcome === "updated")).toBe(true);
    expect(result.items.every((item) => typeof item.id === "string")).toBe(true);
    const stats = await oro.admin.stats();
    expect(stats.byRoute["PATCH /admin/api/customers"]).toBe(3);
    const stored = await oroClient.list<{ name: string }>("customers", { filter: { externalId: ["EXT-0", "EXT-249"] }, sort: "id" });
    expect(stored.data.map((c) => c.attributes?.name)).toEqual(["Renamed 0", "Renamed 249"]);
  });

  it("reports an invalid item of a sync chunk by pointer and still writes the rest", async () => {
    const oroClient = client();
    const items = [customer("S-0"), customer("S-1", ""), customer("S-2")];
    const result = await oroClient.batch("customers", items);
    expect(result.mode).toBe("sync");
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "failed", "created"]);
    expect(result.items[1]?.reason).toMatch(
      /^customers: not blank constraint at \/data\/attributes\/name: This value should not be blank\. \(item 1 of the batch\)$/,
    );
    expect(result.items[1]?.errors?.[0]?.source?.pointer).toBe("/data/attributes/name");
  });

  it("runs an async batch across chunks and maps 3 invalid items back by their /data/{i} pointers", async () => {
    const oroClient = client();
    const bad = new Set([5, 70, 149]);
    const items = Array.from({ length: 150 }, (_, i) => customer(`A-${i}`, bad.has(i) ? "" : `Async ${i}`));
    const result = await oroClient.batch("customers", items, { mode: "async", asyncChunkSize: 60, pollInitialMs: 10 });
    expect(result.mode).toBe("async");
    expect(result.operations).toHaveLength(3);
    expect(result.failed).toBe(3);
    expect(result.created).toBe(147);
    expect(result.items.filter((i) => i.outcome === "failed").map((i) => i.index)).toEqual([5, 70, 149]);
    for (const index of bad) {
      expect(result.items[index]?.reason).toContain(`at /data/attributes/name`);
      expect(result.items[index]?.reason).toContain(`(item ${index} of the batch)`);
    }
    expect((await oro.admin.counts()).customers).toBe(147 + 3); // 3 demo customers
  });

  it("picks async on its own above 100 items", async () => {
    const result = await client().batch(
      "customers",
      Array.from({ length: 101 }, (_, i) => customer(`AUTO-${i}`)),
      { pollInitialMs: 10 },
    );
    expect(result.mode).toBe("async");
    expect(result.created).toBe(101);
  });
});

describe("Oro client x sandbox: error classes", () => {
  it("raises OroMethodNotAllowedError with Allow for a disabled action", async () => {
    const error = await client()
      .create({ type: "inventorylevels", attributes: { quantity: "1" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroMethodNotAllowedError);
    expect((error as OroMethodNotAllowedError).allow).toMatch(/GET/);
    expect((error as Error).message).toMatch(/Oro does not allow POST on inventorylevels \(405; Allow: .*GET/);
  });

  it("raises OroConflictError when the body id differs from the URL id", async () => {
    const error = await new OroTransport({ getConnection: async () => connection() })
      .send({
        method: "PATCH",
        path: "products/1",
        body: { data: { type: "products", id: "2", attributes: { status: "enabled" } } },
        resourceType: "products",
        id: "1",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroConflictError);
    expect((error as Error).message).toContain("products/1: conflict constraint at /data/id");
  });

  it("raises OroMediaTypeError, calling it a client bug, when the media type carries a parameter", async () => {
    const error = await new OroTransport({ getConnection: async () => connection() })
      .send({
        method: "POST",
        path: "products",
        body: { data: { type: "products" } },
        headers: { "content-type": "application/vnd.api+json; charset=utf-8" },
        resourceType: "products",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroMediaTypeError);
    expect((error as Error).message).toContain("client bug");
  });

  it("raises OroValidationError for a product without a name, pointing at names", async () => {
    const t = target();
    const { data } = newProduct(t, "NO-NAME");
    const error = (await client()
      .create({ ...data, relationships: { ...data.relationships, names: { data: [] }, unitPrecisions: { data: [] } } })
      .catch((e: unknown) => e)) as OroValidationError;
    expect(error).toBeInstanceOf(OroValidationError);
    expect(error.violations.map((v) => v.pointer)).toEqual(expect.arrayContaining(["/data/relationships/names/data"]));
  });
});

describe("Oro client x sandbox: transient faults", () => {
  it("waits out a 429 for its Retry-After and succeeds", async () => {
    const oroClient = client();
    await oroClient.list("products", { page: { size: 1 } });
    await oro.admin.faults({ throttle: { count: 1, retryAfterSeconds: 1 }, paths: ["/admin/api"] });
    const started = Date.now();
    const page = await oroClient.list("products", { page: { size: 1 } });
    expect(page.data).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect((await oro.admin.stats()).byStatus["429"]).toBe(1);
  });

  it("retries 503s and a reset connection for reads, and counts the retries", async () => {
    const http = new HttpTransport();
    const oroClient = createOroClient({ getConnection: async () => connection(), retry: { baseMs: 5, capMs: 50 }, http });
    await oroClient.list("products", { page: { size: 1 } });
    expect(http.stats(oro.url)).toEqual({ requests: 2, retries: 0, failures: 0, statuses: { 200: 2 } });
    await oro.admin.faults({ serverError: { count: 2 }, connectionReset: { count: 1 }, paths: ["/admin/api"] });
    const doc = await oroClient.get("products", "1");
    expect(doc.data.id).toBe("1");
    expect(http.stats(oro.url)).toMatchObject({ requests: 6, retries: 3, failures: 0 });
    await http.close();
  });

  it("does not repeat a plain create after a 503, and raises a transient HttpError", async () => {
    const oroClient = client();
    await oroClient.list("products", { page: { size: 1 } });
    await oro.admin.faults({ serverError: { count: 1 }, paths: ["/admin/api/customers"] });
    const error = await oroClient.create({ type: "customers", attributes: { name: "Once" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((await oro.admin.stats()).byRoute["POST /admin/api/customers"]).toBe(1);
  });

  it("retries an upsert after a 503 because it is retry-safe", async () => {
    const oroClient = client();
    await oroClient.list("products", { page: { size: 1 } });
    await oro.admin.faults({ serverError: { count: 1 }, paths: ["/admin/api/productunits"] });
    const unit = {
      type: "productunits",
      id: "pallet",
      attributes: { defaultPrecision: 0, label: "pallet", shortLabel: "pal", pluralLabel: "pallets", shortPluralLabel: "pals" },
    };
    const result = await oroClient.upsert(unit, true);
    expect(result.outcome).toBe("created");
    expect((await oro.admin.stats()).byRoute["POST /admin/api/productunits"]).toBe(2);
  });

  it("keeps concurrent requests to Oro within maxConnections", async () => {
    await oro.admin.faults({ latencyMs: 30 });
    const oroClient = client({ maxConnections: 3 });
    await Promise.all(Array.from({ length: 15 }, (_, i) => oroClient.get("products", String((i % 5) + 1))));
    expect((await oro.admin.stats()).maxConcurrencyObserved).toBe(3);
  });
});
