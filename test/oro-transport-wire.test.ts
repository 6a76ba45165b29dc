/**
 * shared/oro/transport.ts (the funnel every Oro call goes through) against the strict Oro sandbox,
 * seen on the wire through a recording pass-through (test/helpers/oro-wire-recorder.ts): headers,
 * body, the transport settings it hands to the HTTP layer and to its token source, the one retry
 * after a 401, Oro's error documents turned into typed errors with their fields, and what a proxy
 * in front of Oro may answer instead (a page that is not JSON, a 200 without `data`).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { HttpError, HttpTransport, closeAll } from "../shared/http";
import {
  OroAuthError,
  OroMethodNotAllowedError,
  OroNotFoundError,
  OroResponseError,
  OroTransport,
  OroValidationError,
  createOroClient,
  resolveUrl,
} from "../shared/oro";
import type { OroConnection } from "../shared/oro";
import type { OroTransportOptions } from "../shared/oro/transport";
import { startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";
import { everythingIn } from "./helpers/http-test-server";
import { startWireRecorder } from "./helpers/oro-wire-recorder";
import type { WireRecorder, WireRecorderOptions } from "./helpers/oro-wire-recorder";

const CLIENT_ID = "transport-wire";
const CLIENT_SECRET = "transport-wire-secret-DO-NOT-LEAK";
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
});
afterEach(async () => {
  await closeAll();
  await wire?.close();
  wire = undefined;
});

const connectionTo = (url: string, overrides: Partial<OroConnection> = {}): OroConnection => ({
  baseUrl: url,
  apiPrefix: "/admin/api",
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  ...overrides,
});
const fast = { baseMs: 1, capMs: 5 };
/** A transport whose requests go through a fresh recorder. */
const recorded = async (
  options: Partial<OroTransportOptions> = {},
  recorder: WireRecorderOptions = {},
  connection: Partial<OroConnection> = {},
): Promise<{ transport: OroTransport; wire: WireRecorder }> => {
  wire = await startWireRecorder(oro.url, recorder);
  const url = wire.url;
  return { transport: new OroTransport({ getConnection: async () => connectionTo(url, connection), retry: fast, ...options }), wire };
};
const tokenCalls = (w: WireRecorder) => w.calls.filter((c) => c.url === "/oauth2-token");

describe("OroTransport.send: the request", () => {
  it("sends Accept and the bearer token, no Content-Type without a body, and returns status, headers and parsed body", async () => {
    const { transport, wire } = await recorded();
    const res = await transport.send<{ data: Array<{ id: string }> }>({
      method: "GET",
      path: "products",
      query: "page[size]=2",
      headers: { "x-include": "totalCount" },
    });
    const [token, call] = wire.calls;
    expect(token?.url).toBe("/oauth2-token");
    expect(call?.headers.authorization).toBe(`Bearer ${oro.tokens.issued().at(-1)}`);
    expect(call).toMatchObject({ method: "GET", url: "/admin/api/products?page[size]=2", body: "" });
    expect(call?.headers.accept).toBe("application/vnd.api+json");
    expect(call?.headers["x-include"]).toBe("totalCount");
    expect(call?.headers).not.toHaveProperty("content-type");
    expect(res.status).toBe(200);
    expect(res.headers["x-include-total-count"]).toBe("30");
    expect(res.body?.data.map((p) => p.id)).toEqual(["1", "2"]);
  });

  it("sends a body as JSON with the JSON:API Content-Type, and the caller's headers last", async () => {
    const { transport, wire } = await recorded();
    const body = { data: [{ type: "customers", attributes: { name: "Sync Co" } }] };
    const res = await transport.send<{ data: Array<{ attributes: { name: string } }> }>({
      method: "PATCH",
      path: "customers",
      body,
      headers: { "x-mode": "sync" },
    });
    expect(res.status).toBe(200);
    expect(res.body?.data.map((c) => c.attributes.name)).toEqual(["Sync Co"]);
    const call = wire.apiCalls()[0];
    expect(call?.body).toBe(JSON.stringify(body));
    expect(call?.headers["content-type"]).toBe("application/vnd.api+json");
    expect(call?.headers["x-mode"]).toBe("sync");
    // A caller's header wins over the funnel's: Oro refuses a JSON Accept (406).
    const refused = await transport.send({ method: "GET", path: "products/1", headers: { accept: "application/json" } }).catch((e: unknown) => e);
    expect(wire.apiCalls()[1]?.headers.accept).toBe("application/json");
    expect(refused).toMatchObject({ name: "OroMediaTypeError", status: 406 });
  });

  it("returns an empty body (204) as undefined", async () => {
    const { transport } = await recorded();
    const res = await transport.send({ method: "DELETE", path: "customers/3", resourceType: "customers", id: "3" });
    expect(res).toEqual({ status: 204, headers: expect.any(Object), body: undefined });
  });

  it("follows an absolute link on the connection's own origin", async () => {
    const { transport, wire } = await recorded();
    await transport.send({ method: "GET", path: "https://oro-behind-proxy.invalid/admin/api/products?page%5Bsize%5D=1&page%5Bnumber%5D=2" });
    expect(wire.apiCalls().map((c) => c.url)).toEqual(["/admin/api/products?page%5Bsize%5D=1&page%5Bnumber%5D=2"]);
  });
});

describe("OroTransport.send: transport settings", () => {
  it("passes retrySafe: a POST marked retry-safe is repeated after a 503, a plain one is not", async () => {
    const { transport, wire } = await recorded();
    const unit = {
      data: {
        type: "productunits",
        id: "crate",
        meta: { upsert: true },
        attributes: { defaultPrecision: 0, label: "c", shortLabel: "c", pluralLabel: "cs", shortPluralLabel: "cs" },
      },
    };
    await oro.admin.faults({ serverError: { count: 1 }, paths: ["/admin/api"] });
    expect((await transport.send({ method: "POST", path: "productunits", body: unit, retrySafe: true })).status).toBe(201);
    await oro.admin.faults({ serverError: { count: 1 }, paths: ["/admin/api"] });
    const error = await transport
      .send({ method: "POST", path: "customers", body: { data: { type: "customers", attributes: { name: "Once" } } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(wire.apiCalls().map((c) => `${c.method} ${c.url} ${c.status}`)).toEqual([
      "POST /admin/api/productunits 503",
      "POST /admin/api/productunits 201",
      "POST /admin/api/customers 503",
    ]);
  });

  it("passes its retry policy to API requests: attempts 1 means one 503 ends the call", async () => {
    const { transport, wire } = await recorded({ retry: { attempts: 1 } });
    await transport.send({ method: "GET", path: "products/1" });
    await oro.admin.faults({ serverError: { count: 1 }, paths: ["/admin/api"] });
    const error = await transport.send({ method: "GET", path: "products/1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(wire.apiCalls()).toHaveLength(2);
  });

  it("passes its retry policy to the token request too", async () => {
    const { transport, wire } = await recorded({ retry: { attempts: 1 } });
    await oro.admin.faults({ serverError: { count: 1 }, paths: ["/oauth2-token"] });
    const error = await transport.send({ method: "GET", path: "products/1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(tokenCalls(wire)).toHaveLength(1);
    expect(wire.apiCalls()).toHaveLength(0);
  });

  it("passes its attempt timeout to API requests", async () => {
    const { transport } = await recorded({ timeoutMs: 50, retry: { attempts: 1 } }, { hang: (c) => c.url.startsWith("/admin/api") });
    const error = await transport.send({ method: "GET", path: "products/1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).toContain("attempt timed out after 50 ms");
  });

  it("passes its attempt timeout to the token request", async () => {
    const { transport, wire } = await recorded({ timeoutMs: 50, retry: { attempts: 1 } }, { hang: (c) => c.url === "/oauth2-token" });
    const error = await transport.send({ method: "GET", path: "products/1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).toContain("attempt timed out after 50 ms");
    expect(wire.apiCalls()).toHaveLength(0);
  });

  it("caps concurrent requests at its maxConnections when the connection sets none, token request on the same pool", async () => {
    const { transport, wire } = await recorded({ maxConnections: 1 });
    await oro.admin.faults({ latencyMs: 20 });
    await Promise.all([1, 2, 3].map((id) => transport.send({ method: "GET", path: `products/${id}` })));
    expect((await oro.admin.stats()).maxConcurrencyObserved).toBe(1);
    // One pool of one socket for the token and the three reads.
    expect(wire.sockets()).toBe(1);
    expect(new Set(wire.calls.map((c) => c.socket))).toEqual(new Set([1]));
  });

  it("lets the connection's maxConnections win over its own", async () => {
    const { transport } = await recorded({ maxConnections: 1 }, {}, { maxConnections: 2 });
    await transport.send({ method: "GET", path: "products/1" });
    await oro.admin.resetStats();
    await oro.admin.faults({ latencyMs: 50 });
    await Promise.all([1, 2, 3, 4, 5, 6].map((id) => transport.send({ method: "GET", path: `products/${id}` })));
    expect((await oro.admin.stats()).maxConcurrencyObserved).toBe(2);
  });

  it.each([
    [0, 1],
    [undefined, 2],
  ])("passes its token expiry skew (%s) to the token source: %i token request(s) for two calls 20 s before expiry", async (skew, tokens) => {
    const { transport, wire } = await recorded(skew === undefined ? {} : { tokenExpirySkewMs: skew });
    // Only Date is faked: sockets and timers run for real, the sandbox's 3600 s token stays valid.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      await transport.send({ method: "GET", path: "products/1" });
      vi.setSystemTime(Date.now() + 3_580_000);
      await transport.send({ method: "GET", path: "products/2" });
    } finally {
      vi.useRealTimers();
    }
    expect(tokenCalls(wire)).toHaveLength(tokens);
    expect(wire.apiCalls().map((c) => c.status)).toEqual([200, 200]);
  });

  it("counts its requests on the given HttpTransport, token request included", async () => {
    const http = new HttpTransport();
    const { transport, wire } = await recorded({ http });
    await transport.send({ method: "GET", path: "products/1" });
    expect(http.stats(wire.url)).toEqual({ requests: 2, retries: 0, failures: 0, statuses: { 200: 2 } });
    await http.close();
  });

  it("keeps the client secret and the token out of a transient error's text", async () => {
    let token = "";
    const { transport } = await recorded(
      { retry: { attempts: 1 } },
      {
        answer: (c) => {
          if (!c.url.startsWith("/admin/api")) return undefined;
          token = String(c.headers.authorization).slice("Bearer ".length);
          return { status: 503, headers: { "content-type": "text/plain" }, body: `upstream echo: ${CLIENT_SECRET} / ${token}` };
        },
      },
    );
    const error = await transport.send({ method: "GET", path: "products/1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    // Bare values (no `secret=` a pattern would catch): only the values the transport names as secrets are scrubbed.
    expect((error as Error).message).toContain("upstream echo: ");
    expect(token).not.toBe("");
    expect(everythingIn(error)).not.toContain(CLIENT_SECRET);
    expect(everythingIn(error)).not.toContain(token);
  });
});

describe("OroTransport.send: 401", () => {
  it("after a revoked token: drops it, gets one new token, and repeats the request once with it", async () => {
    const { transport, wire } = await recorded();
    await transport.send({ method: "GET", path: "products/1" });
    await oro.admin.expireTokens();
    const res = await transport.send({ method: "GET", path: "products/2" });
    expect(res.status).toBe(200);
    const api = wire.apiCalls();
    expect(api.map((c) => `${c.url} ${c.status}`)).toEqual(["/admin/api/products/1 200", "/admin/api/products/2 401", "/admin/api/products/2 200"]);
    expect(tokenCalls(wire)).toHaveLength(2);
    expect(api[1]?.headers.authorization).toBe(api[0]?.headers.authorization);
    expect(api[2]?.headers.authorization).not.toBe(api[1]?.headers.authorization);
  });

  it("a 401 with the fresh token too raises OroAuthError naming the request, after exactly two API attempts", async () => {
    const { transport, wire } = await recorded({}, { answer: (c) => (c.url.startsWith("/admin/api") ? { status: 401 } : undefined) });
    const error = await transport
      .send({ method: "GET", path: "products/1", query: "fields[products]=sku", resourceType: "products", id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroAuthError);
    expect((error as Error).message).toBe(
      "Oro answered 401 to GET /admin/api/products/1 even with a fresh access token: check the OAuth application is active and allowed to use the JSON:API.",
    );
    expect(error).toMatchObject({ status: 401, method: "GET", path: "/admin/api/products/1", resourceType: "products", resourceId: "1", errors: [] });
    expect(wire.apiCalls()).toHaveLength(2);
    expect(tokenCalls(wire)).toHaveLength(2);
  });
});

describe("OroTransport.send: Oro's errors", () => {
  it("turns a 400 into OroValidationError with Oro's errors, the path without the query, type and id", async () => {
    const { transport } = await recorded();
    const error = await transport
      .send({ method: "GET", path: "products", query: "filter[noSuchField]=secret-value", resourceType: "products" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroValidationError);
    expect(error).toMatchObject({
      status: 400,
      method: "GET",
      path: "/admin/api/products",
      resourceType: "products",
      resourceId: undefined,
      errors: [{ status: "400", title: "filter constraint", detail: "The filter is not supported.", source: { parameter: "filter[noSuchField]" } }],
    });
    expect(everythingIn(error)).not.toContain("secret-value");
  });

  it("keeps the Allow header of a 405", async () => {
    const { transport } = await recorded();
    const error = await transport.send({ method: "DELETE", path: "inventorylevels/1", resourceType: "inventorylevels", id: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroMethodNotAllowedError);
    expect(error).toMatchObject({ allow: "OPTIONS, GET, PATCH", status: 405, resourceType: "inventorylevels", resourceId: "1", errors: [] });
  });

  it("types an error by its status alone when the body is not an error document (a proxy page, errors not a list)", async () => {
    const { transport } = await recorded(
      {},
      {
        answer: (c) => {
          if (c.url === "/admin/api/products/1") return { status: 404, headers: { "content-type": "text/html" }, body: "<html>Not Found</html>" };
          if (c.url === "/admin/api/products")
            return { status: 400, headers: { "content-type": "application/vnd.api+json" }, body: '{"errors":{"title":"x"}}' };
          return undefined;
        },
      },
    );
    const notFound = await transport.send({ method: "GET", path: "products/1", resourceType: "products", id: "1" }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(OroNotFoundError);
    expect(notFound).toMatchObject({ errors: [], status: 404 });
    expect((notFound as Error).message).toBe("products/1 not found in Oro (404).");
    const invalid = await transport.send({ method: "GET", path: "products", resourceType: "products" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(OroValidationError);
    expect(invalid).toMatchObject({ errors: [] });
    expect((invalid as Error).message).toBe("products: Oro rejected the request (HTTP 400)");
  });

  it("raises OroResponseError for a 2xx body that is not JSON, naming the request without its query", async () => {
    const { transport, wire } = await recorded(
      {},
      { answer: (c) => (c.url.startsWith("/admin/api") ? { status: 200, headers: { "content-type": "text/html" }, body: "<html>login</html>" } : undefined) },
    );
    const error = await transport.send({ method: "GET", path: "products", query: "page[size]=1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroResponseError);
    expect((error as Error).message).toBe(
      `GET ${wire.url}/admin/api/products?page[size]=1 answered HTTP 200 with a body that is not JSON: is baseUrl an Oro application?`,
    );
  });
});

describe("OroClient: answers without JSON:API data (a proxy in front of Oro)", () => {
  const proxied = async (body: string, status = 200) => {
    wire = await startWireRecorder(oro.url, {
      answer: (c) => (c.url.startsWith("/admin/api") ? { status, headers: { "content-type": "application/vnd.api+json" }, body } : undefined),
    });
    const url = wire.url;
    return createOroClient({ getConnection: async () => connectionTo(url), retry: fast });
  };
  const unit = { type: "productunits", id: "crate", attributes: { label: "c" } };

  it.each([
    ["an empty 200", ""],
    ["a 200 without data", '{"meta":{}}'],
  ])("raises OroResponseError naming the call for %s", async (_name, body) => {
    const client = await proxied(body);
    const messages = await Promise.all(
      [
        client.get("products", "1"),
        client.getPath("userprofile"),
        client.create(unit),
        client.update({ type: "productunits", id: "crate", attributes: { label: "c" } }),
        client.upsert(unit, true),
      ].map((p) =>
        p.then(
          () => "resolved",
          (e: unknown) => (e instanceof OroResponseError ? e.message : `other: ${String(e)}`),
        ),
      ),
    );
    expect(messages).toEqual([
      "GET products/1 answered HTTP 200 without a JSON:API data member.",
      "GET userprofile answered HTTP 200 without a JSON:API data member.",
      "POST productunits answered HTTP 200 without a JSON:API data member.",
      "PATCH productunits/crate answered HTTP 200 without a JSON:API data member.",
      "POST productunits (upsert) answered HTTP 200 without a JSON:API data member.",
    ]);
  });

  it.each([
    ["an empty 200", ""],
    ["data that is not a list", '{"data":{"type":"products","id":"1"}}'],
  ])("raises OroResponseError for a list page with %s", async (_name, body) => {
    const client = await proxied(body);
    const error = await client.list("products").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroResponseError);
    expect((error as Error).message).toBe("GET products answered HTTP 200 without a data array: not a JSON:API list.");
  });
});

describe("Function: resolveUrl", () => {
  const connection = (baseUrl: string, apiPrefix = "/admin/api"): OroConnection => ({ baseUrl, apiPrefix, clientId: "c", clientSecret: "s" });

  it("joins base URL, API prefix, path and query with single slashes", () => {
    expect(resolveUrl(connection("https://oro.example.com"), "products/1")).toBe("https://oro.example.com/admin/api/products/1");
    expect(resolveUrl(connection("https://oro.example.com//", "//admin/api//"), "//products", "page[size]=1")).toBe(
      "https://oro.example.com/admin/api/products?page[size]=1",
    );
    expect(resolveUrl(connection("https://oro.example.com/shop/", "admin/api"), "products", "")).toBe("https://oro.example.com/shop/admin/api/products");
  });

  it("puts the path right under the base URL for the root prefix", () => {
    expect(resolveUrl(connection("https://oro.example.com", "/"), "products")).toBe("https://oro.example.com/products");
    expect(resolveUrl(connection("https://oro.example.com", "///"), "/products")).toBe("https://oro.example.com/products");
  });

  it("rebases an absolute link (any letter case of the scheme) on the connection's origin, keeping its path and query", () => {
    const base = connection("https://oro.example.com/shop");
    expect(resolveUrl(base, "http://internal:8080/admin/api/products?page%5Bnumber%5D=2", "ignored=1")).toBe(
      "https://oro.example.com/admin/api/products?page%5Bnumber%5D=2",
    );
    expect(resolveUrl(base, "HTTPS://evil.example/admin/api/products")).toBe("https://oro.example.com/admin/api/products");
  });

  it("treats a path that only contains a URL as a relative path", () => {
    expect(resolveUrl(connection("https://oro.example.com"), "products?x=https://a.example/")).toBe(
      "https://oro.example.com/admin/api/products?x=https://a.example/",
    );
    expect(resolveUrl(connection("https://oro.example.com"), "ftp://a.example/x")).toBe("https://oro.example.com/admin/api/ftp://a.example/x");
  });
});
