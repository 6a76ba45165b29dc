/**
 * The typed calls of shared/oro/client.ts against the strict Oro sandbox, seen on the wire: a
 * recording pass-through (test/helpers/oro-wire-recorder.ts) between client and sandbox gives the
 * exact method, path, query, headers and body of every request, and every answer is the sandbox's.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpDeadlineError, closeAll } from "../shared/http";
import { OroForbiddenError, OroMethodNotAllowedError, OroNotFoundError, OroValidationError, createOroClient } from "../shared/oro";
import type { OroClient, OroConnection } from "../shared/oro";
import { startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";
import { startWireRecorder } from "./helpers/oro-wire-recorder";
import type { WireRecorder, WireRecorderOptions } from "./helpers/oro-wire-recorder";

const CLIENT_ID = "calls-wire";
const CLIENT_SECRET = "calls-wire-secret";
let oro: OroSandbox;
let wire: WireRecorder | undefined;

beforeAll(async () => {
  oro = await startOroSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
});
afterAll(async () => {
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset();
  oro.acl.reset();
});
afterEach(async () => {
  await closeAll();
  await wire?.close();
  wire = undefined;
});

const connectionTo = (url: string): OroConnection => ({ baseUrl: url, apiPrefix: "/admin/api", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
/** A client whose requests go through a fresh recorder. */
const recorded = async (options: WireRecorderOptions = {}): Promise<{ client: OroClient; wire: WireRecorder }> => {
  wire = await startWireRecorder(oro.url, options);
  const url = wire.url;
  return { client: createOroClient({ getConnection: async () => connectionTo(url), retry: { baseMs: 1, capMs: 5 } }), wire };
};
const urls = (w: WireRecorder): string[] => w.apiCalls().map((c) => `${c.method} ${c.url}`);

describe("OroClient.get", () => {
  it("asks for include and sparse fields in the query and returns the document", async () => {
    const { client, wire } = await recorded();
    const doc = await client.get<{ sku: string }>("products", "1", { include: "names", fields: { products: ["sku", "names"], productnames: "string" } });
    expect(urls(wire)).toEqual(["GET /admin/api/products/1?fields[products]=sku%2Cnames&fields[productnames]=string&include=names"]);
    expect(doc.data.id).toBe("1");
    expect(doc.data.attributes).toEqual({ sku: "SKU-0001" });
    expect(doc.included?.map((r) => r.type)).toEqual(["productnames", "productnames"]);
  });

  it("sends no query without options, and encodes the id as one path segment", async () => {
    const { client, wire } = await recorded();
    await client.get("products", "2");
    const error = await client.get("productunits", "no/such unit").catch((e: unknown) => e);
    expect(urls(wire)).toEqual(["GET /admin/api/products/2", "GET /admin/api/productunits/no%2Fsuch%20unit"]);
    expect(error).toBeInstanceOf(OroNotFoundError);
    expect(error).toMatchObject({
      status: 404,
      method: "GET",
      path: "/admin/api/productunits/no%2Fsuch%20unit",
      resourceType: "productunits",
      resourceId: "no/such unit",
    });
    expect((error as Error).message).toBe(
      "productunits/no/such unit not found in Oro (404: not found http exception: An entity with the requested identifier does not exist.).",
    );
  });
});

describe("OroClient.getPath", () => {
  it("GETs the path under the API prefix and names the path as the type in errors", async () => {
    const { client, wire } = await recorded();
    const profile = await client.getPath("userprofile");
    expect(profile.data.type).toBe("userprofile");
    const error = await client.getPath("nosuchpath").catch((e: unknown) => e);
    expect(urls(wire)).toEqual(["GET /admin/api/userprofile", "GET /admin/api/nosuchpath"]);
    expect(error).toBeInstanceOf(OroNotFoundError);
    expect(error).toMatchObject({ resourceType: "nosuchpath", resourceId: undefined });
  });
});

describe("OroClient.list", () => {
  it("sends the whole query, no X-Include unless asked, and returns data, included and links without a total", async () => {
    const { client, wire } = await recorded();
    const page = await client.list("products", { filter: { sku: ["SKU-0001", "SKU-0002"] }, sort: "-id", fields: { products: "sku" }, page: { size: 1 } });
    expect(urls(wire)).toEqual(["GET /admin/api/products?filter[sku]=SKU-0001%2CSKU-0002&sort=-id&fields[products]=sku&page[size]=1"]);
    expect(wire.apiCalls()[0]?.headers["x-include"]).toBeUndefined();
    expect(page).toEqual({
      data: [{ type: "products", id: "2", attributes: { sku: "SKU-0002" }, links: { self: `${wire.url}/admin/api/products/2` } }],
      included: [],
      links: {
        self: `${wire.url}/admin/api/products?filter%5Bsku%5D=SKU-0001%2CSKU-0002&sort=-id&fields%5Bproducts%5D=sku&page%5Bsize%5D=1`,
        next: `${wire.url}/admin/api/products?filter%5Bsku%5D=SKU-0001%2CSKU-0002&sort=-id&fields%5Bproducts%5D=sku&page%5Bnumber%5D=2&page%5Bsize%5D=1`,
      },
    });
    expect(page).not.toHaveProperty("totalCount");
  });

  it("reports X-Include-Total-Count as a number when asked with totalCount", async () => {
    const { client, wire } = await recorded();
    const page = await client.list("products", { page: { size: 2 }, totalCount: true, fields: { products: "sku" } });
    expect(wire.apiCalls()[0]?.headers["x-include"]).toBe("totalCount");
    expect(page.totalCount).toBe(30);
    expect(page.data.map((p) => p.id)).toEqual(["1", "2"]);
  });

  it("returns the included records a list asked for", async () => {
    const { client } = await recorded();
    const page = await client.list("products", { filter: { sku: "SKU-0003" }, include: "names", fields: { products: "names", productnames: "string" } });
    expect(page.included.map((r) => [r.type, r.attributes])).toEqual([
      ["productnames", { string: "Demo product 3" }],
      ["productnames", { string: "Demoprodukt 3" }],
    ]);
  });
});

describe("OroClient.pages and iterate", () => {
  it("starts at page 1 with 100 a page by default, and stops when Oro gives no next link", async () => {
    const { client, wire } = await recorded();
    const pages = [];
    for await (const page of client.pages("products", { fields: { products: "sku" } })) pages.push(page.data.length);
    expect(pages).toEqual([30]);
    expect(urls(wire)).toEqual(["GET /admin/api/products?fields[products]=sku&page[size]=100&page[number]=1"]);
  });

  it("follows links.next as given (no query of its own) and sends X-Include only on the first page", async () => {
    const { client, wire } = await recorded();
    const ids: string[] = [];
    for await (const product of client.iterate("products", { fields: { products: "sku" }, page: { size: 12, number: 2 }, totalCount: true }))
      ids.push(product.id);
    expect(ids).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 13)));
    expect(urls(wire)).toEqual([
      "GET /admin/api/products?fields[products]=sku&page[size]=12&page[number]=2",
      "GET /admin/api/products?fields%5Bproducts%5D=sku&page%5Bnumber%5D=3&page%5Bsize%5D=12",
    ]);
    expect(wire.apiCalls().map((c) => c.headers["x-include"])).toEqual(["totalCount", undefined]);
  });

  it("never sends X-Include when totalCount is not asked", async () => {
    const { client, wire } = await recorded();
    for await (const page of client.pages("products", { fields: { products: "sku" }, page: { size: 10 } })) expect(page).not.toHaveProperty("totalCount");
    expect(wire.apiCalls().map((c) => c.headers["x-include"])).toEqual([undefined, undefined, undefined]);
  });

  it("stops after maxPages even when Oro has more", async () => {
    const { client, wire } = await recorded();
    const ids: string[] = [];
    for await (const product of client.iterate("products", { fields: { products: "sku" }, page: { size: 5 }, maxPages: 2 })) ids.push(product.id);
    expect(ids).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(wire.apiCalls()).toHaveLength(2);
  });

  it("without links (X-Include: noHateoas) asks for the next page number while pages come back full", async () => {
    const { client, wire } = await recorded({ addHeaders: { "x-include": "noHateoas" } });
    const sizes: number[] = [];
    for await (const page of client.pages("products", { fields: { products: "sku" }, page: { size: 10 } })) {
      expect(page.links).toBeUndefined();
      sizes.push(page.data.length);
    }
    expect(sizes).toEqual([10, 10, 10, 0]);
    expect(urls(wire)).toEqual([1, 2, 3, 4].map((n) => `GET /admin/api/products?fields[products]=sku&page[size]=10&page[number]=${n}`));
  });

  it("without links, stops at the first short page", async () => {
    const { client, wire } = await recorded({ addHeaders: { "x-include": "noHateoas" } });
    const sizes: number[] = [];
    for await (const page of client.pages("products", { fields: { products: "sku" }, page: { size: 7 } })) sizes.push(page.data.length);
    expect(sizes).toEqual([7, 7, 7, 7, 2]);
    expect(wire.apiCalls()).toHaveLength(5);
  });
});

const unit = (code: string, label = code) => ({
  type: "productunits",
  id: code,
  attributes: { defaultPrecision: 0, label, shortLabel: code.slice(0, 3), pluralLabel: `${label}s`, shortPluralLabel: `${code.slice(0, 3)}s` },
});

describe("OroClient.create", () => {
  it("POSTs {data} alone when included is empty, and {data, included} when it is not", async () => {
    const { client, wire } = await recorded();
    const created = await client.create(unit("crate"), { included: [] });
    expect(created.data).toMatchObject({ type: "productunits", id: "crate" });
    const customer = await client.create({ type: "customers", attributes: { name: "Wire Co" } });
    expect(wire.apiCalls().map((c) => [c.method, c.url, c.headers["content-type"], JSON.parse(c.body)])).toEqual([
      ["POST", "/admin/api/productunits", "application/vnd.api+json", { data: unit("crate") }],
      ["POST", "/admin/api/customers", "application/vnd.api+json", { data: { type: "customers", attributes: { name: "Wire Co" } } }],
    ]);
    expect(customer.data.attributes).toMatchObject({ name: "Wire Co" });
  });

  it("names the type and the given id in the typed error", async () => {
    const { client } = await recorded();
    const noId = await client.create({ type: "customers", attributes: { name: "" } }).catch((e: unknown) => e);
    expect(noId).toBeInstanceOf(OroValidationError);
    expect(noId).toMatchObject({ status: 400, method: "POST", path: "/admin/api/customers", resourceType: "customers", resourceId: undefined });
    const withId = await client.create({ ...unit("x"), attributes: { label: "x" } }).catch((e: unknown) => e);
    expect(withId).toBeInstanceOf(OroValidationError);
    expect(withId).toMatchObject({ resourceType: "productunits", resourceId: "x" });
  });
});

describe("OroClient.update", () => {
  it("PATCHes {type}/{encoded id} with the document and is repeated after a 503 (retry-safe)", async () => {
    const { client, wire } = await recorded();
    await oro.admin.faults({ serverError: { count: 1 }, paths: ["/admin/api/customers"] });
    const doc = await client.update<{ name: string }>({ type: "customers", id: "1", attributes: { name: "Renamed" } });
    expect(doc.data.attributes?.name).toBe("Renamed");
    const body = { data: { type: "customers", id: "1", attributes: { name: "Renamed" } } };
    expect(wire.apiCalls().map((c) => [c.method, c.url, c.status, JSON.parse(c.body)])).toEqual([
      ["PATCH", "/admin/api/customers/1", 503, body],
      ["PATCH", "/admin/api/customers/1", 200, body],
    ]);
  });

  it("sends included records with the update and names the record in its error", async () => {
    const { client, wire } = await recorded();
    const error = await client
      .update(
        { type: "productunits", id: "no such", attributes: { label: "x" } },
        { included: [{ type: "productnames", id: "n1", attributes: { string: "x" } }] },
      )
      .catch((e: unknown) => e);
    expect(wire.apiCalls().map((c) => [c.url, JSON.parse(c.body)])).toEqual([
      [
        "/admin/api/productunits/no%20such",
        {
          data: { type: "productunits", id: "no such", attributes: { label: "x" } },
          included: [{ type: "productnames", id: "n1", attributes: { string: "x" } }],
        },
      ],
    ]);
    expect(error).toMatchObject({ method: "PATCH", resourceType: "productunits", resourceId: "no such" });
  });
});

describe("OroClient.delete", () => {
  it("DELETEs {type}/{encoded id} and says deleted", async () => {
    const { client, wire } = await recorded();
    expect(await client.delete("customers", "3")).toEqual({ deleted: true });
    expect(wire.apiCalls().map((c) => [c.method, c.url, c.body, c.status])).toEqual([["DELETE", "/admin/api/customers/3", "", 204]]);
  });

  it("raises OroNotFoundError for a missing record unless ignoreNotFound", async () => {
    const { client } = await recorded();
    const error = await client.delete("customers", "999").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroNotFoundError);
    expect(error).toMatchObject({ method: "DELETE", path: "/admin/api/customers/999", resourceType: "customers", resourceId: "999" });
    expect(await client.delete("customers", "999", { ignoreNotFound: true })).toEqual({ deleted: false });
  });

  it("still raises other errors with ignoreNotFound: a 403 and a 405", async () => {
    const { client } = await recorded();
    oro.acl.deny({ type: "customers", permission: "DELETE" });
    await expect(client.delete("customers", "1", { ignoreNotFound: true })).rejects.toBeInstanceOf(OroForbiddenError);
    await expect(client.delete("inventorylevels", "1", { ignoreNotFound: true })).rejects.toBeInstanceOf(OroMethodNotAllowedError);
    expect((await oro.admin.counts()).customers).toBe(3);
  });
});

describe("OroClient.upsert", () => {
  it("POSTs meta.upsert next to the resource's own meta, retry-safe, and reads 201/200", async () => {
    const { client, wire } = await recorded();
    await oro.admin.faults({ serverError: { count: 1 }, paths: ["/admin/api/productunits"] });
    const first = await client.upsert({ ...unit("crate"), meta: { note: "kept" } } as never, true);
    expect(first).toEqual({ outcome: "created", data: expect.objectContaining({ type: "productunits", id: "crate" }), included: [] });
    const second = await client.upsert(unit("crate", "big crate"), true);
    expect(second.outcome).toBe("updated");
    expect(second.included).toEqual([]);
    expect(wire.apiCalls().map((c) => [c.method, c.url, c.status, (JSON.parse(c.body) as { data: { meta: unknown } }).data.meta])).toEqual([
      ["POST", "/admin/api/productunits", 503, { note: "kept", upsert: true }],
      ["POST", "/admin/api/productunits", 201, { note: "kept", upsert: true }],
      ["POST", "/admin/api/productunits", 200, { upsert: true }],
    ]);
  });

  it("keeps meta.update: Oro refuses two meta options at /meta", async () => {
    const { client } = await recorded();
    const error = (await client.upsert({ ...unit("crate"), meta: { update: true } }, true).catch((e: unknown) => e)) as OroValidationError;
    expect(error).toBeInstanceOf(OroValidationError);
    expect(error.violations).toEqual([{ pointer: "/meta", title: "request data constraint", detail: "Only one meta option can be used." }]);
    expect(error).toMatchObject({ resourceType: "productunits", resourceId: "crate" });
  });

  it("names no id in the error of an upsert without one", async () => {
    const { client } = await recorded();
    const error = await client.upsert({ type: "customers", attributes: { name: "U" } }, ["name"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroValidationError);
    expect(error).toMatchObject({ resourceType: "customers", resourceId: undefined });
  });
});

describe("OroClient: the caller's signal reaches every call", () => {
  const aborted = (): AbortSignal => AbortSignal.abort(new Error("deadline"));
  const calls: Array<[string, (c: OroClient, signal: AbortSignal) => Promise<unknown>]> = [
    ["get", (c, signal) => c.get("products", "1", { signal })],
    ["getPath", (c, signal) => c.getPath("userprofile", { signal })],
    ["list", (c, signal) => c.list("products", { signal })],
    ["iterate", async (c, signal) => c.iterate("products", { signal }).next()],
    ["create", (c, signal) => c.create({ type: "customers", attributes: { name: "S" } }, { signal })],
    ["update", (c, signal) => c.update({ type: "customers", id: "1", attributes: { name: "S" } }, { signal })],
    ["delete", (c, signal) => c.delete("customers", "1", { signal, ignoreNotFound: true })],
    ["upsert", (c, signal) => c.upsert(unit("crate"), true, { signal })],
  ];

  it.each(calls)("%s with an aborted signal sends nothing and raises HttpDeadlineError", async (_name, call) => {
    const { client, wire } = await recorded();
    // Warm the token first, so the abort is seen by the API request itself.
    await client.list("products", { page: { size: 1 } });
    const error = await call(client, aborted()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpDeadlineError);
    expect(wire.apiCalls()).toHaveLength(1);
    expect((await oro.admin.counts()).customers).toBe(3);
  });
});

describe("OroClient.connection", () => {
  it("is the provider's current connection", async () => {
    const connection = connectionTo(oro.url);
    await expect(createOroClient({ getConnection: async () => connection }).connection()).resolves.toBe(connection);
  });
});

describe("OroClient.batch: the calls it hands to the batch writer", () => {
  it("sync upsert by sku: one lookup (list), then one sync PATCH (send) whose items stock Oro refuses", async () => {
    const { client, wire } = await recorded();
    const items = ["SKU-0001", "NEW-1"].map((sku) => ({ data: { type: "products", attributes: { sku, status: "enabled" } } }));
    const result = await client.batch("products", items, { upsert: ["sku"], mode: "sync" });
    expect(result.items.map((i) => [i.index, i.outcome, i.errors?.[0]?.source?.pointer])).toEqual([
      [0, "failed", "/data/meta/upsert"],
      [1, "failed", "/data/meta/upsert"],
    ]);
    expect(wire.apiCalls().map((c) => `${c.method} ${c.url} ${c.headers["x-mode"] ?? "-"} ${c.status}`)).toEqual([
      "GET /admin/api/products?filter[sku]=SKU-0001%2CNEW-1&fields[products]=sku&page[size]=2 - 200",
      "PATCH /admin/api/products sync 400",
    ]);
  });

  it("async: polls the operation (get) and reads its errors (iterate)", async () => {
    const { client, wire } = await recorded();
    const items = [{ data: { type: "customers", attributes: { name: "Async A" } } }, { data: { type: "customers", attributes: { name: "" } } }];
    const result = await client.batch("customers", items, { mode: "async", pollInitialMs: 5 });
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "failed"]);
    expect(result.items[1]?.reason).toContain("at /data/attributes/name");
    const routes = wire.apiCalls().map((c) => `${c.method} ${c.url.replace(/\d+/g, "{n}")}`);
    expect(routes[0]).toBe("PATCH /admin/api/customers");
    expect(routes).toContain("GET /admin/api/asyncoperations/{n}");
    expect(routes.at(-1)).toBe("GET /admin/api/asyncoperations/{n}/errors?page[size]={n}&page[number]={n}");
  });
});
