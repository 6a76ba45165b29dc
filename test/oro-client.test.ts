/**
 * Unit-level tests of the Oro client against a tiny node:http fake of our own (the full behaviour
 * runs against the Oro sandbox in oro-client-sandbox.test.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, PermanentError, TransientError } from "../shared/errors";
import { closeAll } from "../shared/http";
import {
  OroAuthError,
  OroConflictError,
  OroForbiddenError,
  OroMediaTypeError,
  OroMethodNotAllowedError,
  OroNotFoundError,
  OroUpsertConflictError,
  OroValidationError,
  buildQuery,
  chunkItems,
  createOroClient,
  parseOroConnection,
} from "../shared/oro";
import type { OroConnection } from "../shared/oro";
import { everythingIn, startTestServer } from "./helpers/http-test-server";
import type { TestHandler } from "./helpers/http-test-server";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server | undefined;
const SECRET = "client-secret-DO-NOT-LEAK";

afterEach(async () => {
  await closeAll();
  await server?.close();
  server = undefined;
});

/** A fake Oro: the token endpoint issues `tok-<n>`; `api` answers everything under /admin/api. */
const fakeOro = async (api: TestHandler, token?: TestHandler): Promise<Server & { tokenRequests: () => number }> => {
  let issued = 0;
  let tokenRequests = 0;
  const issueToken: TestHandler =
    token ??
    ((_req, res) => {
      issued += 1;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token_type: "Bearer", expires_in: 3600, access_token: `tok-${issued}` }));
    });
  server = await startTestServer((req, res, n) => {
    if (req.url === "/oauth2-token") {
      tokenRequests += 1;
      return issueToken(req, res, n);
    }
    return api(req, res, n);
  });
  return Object.assign(server, { tokenRequests: () => tokenRequests });
};

const jsonApi = (res: Parameters<TestHandler>[1], status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "content-type": "application/vnd.api+json", ...headers }).end(body === undefined ? "" : JSON.stringify(body));
};

const connectionFor = (url: string, overrides: Partial<OroConnection> = {}): OroConnection => ({
  baseUrl: url,
  apiPrefix: "/admin/api",
  clientId: "client-1",
  clientSecret: SECRET,
  ...overrides,
});

const fast = { attempts: 2, baseMs: 1, capMs: 5 };

describe("Schema: OroConnectionSchema", () => {
  it("applies the /admin/api default prefix", () => {
    const parsed = parseOroConnection({ baseUrl: "https://oro.example.com", clientId: "a", clientSecret: "b" });
    expect(parsed.apiPrefix).toBe("/admin/api");
    expect(parsed.maxConnections).toBeUndefined();
  });

  it("names bad fields without echoing any value", () => {
    const error = (() => {
      try {
        parseOroConnection({ baseUrl: "ftp://x", clientId: "", clientSecret: 42, maxConnections: 0, extra: SECRET }, "secret oro/prod");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain("secret oro/prod is invalid");
    expect(message).toContain("baseUrl: must be an http(s) URL");
    expect(message).toContain("clientId");
    expect(message).toContain("clientSecret");
    expect(message).toContain("maxConnections");
    expect(everythingIn(error)).not.toContain(SECRET);
  });
});

describe("Class: OroClient — tokens", () => {
  it("sends JSON:API headers and the bearer token, and 50 concurrent calls cost one token request", async () => {
    const oro = await fakeOro((req, res) => jsonApi(res, 200, { data: { type: "products", id: "1", attributes: { sku: "A" } } }));
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    await Promise.all(Array.from({ length: 50 }, () => client.get("products", "1")));
    expect(oro.tokenRequests()).toBe(1);
    const tokenCall = oro.log.requests.find((r) => r.url === "/oauth2-token");
    expect(JSON.parse(tokenCall?.body ?? "{}")).toEqual({ grant_type: "client_credentials", client_id: "client-1", client_secret: SECRET });
    const apiCall = oro.log.requests.find((r) => r.url === "/admin/api/products/1");
    expect(apiCall?.headers.accept).toBe("application/vnd.api+json");
    expect(apiCall?.headers.authorization).toBe("Bearer tok-1");
    expect(apiCall?.headers["content-type"]).toBeUndefined();
  });

  it("keys the token cache on the secret too, so a rotated secret never reuses the old token", async () => {
    const oro = await fakeOro((req, res) => jsonApi(res, 200, { data: { type: "products", id: "1", attributes: { token: req.headers.authorization } } }));
    let clientSecret = SECRET;
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url, { clientSecret }) });
    const first = await client.get("products", "1");
    const again = await client.get("products", "1");
    clientSecret = "another-secret";
    const rotated = await client.get("products", "1");
    expect(oro.tokenRequests()).toBe(2);
    expect(again.data.attributes?.token).toBe(first.data.attributes?.token);
    expect(rotated.data.attributes?.token).not.toBe(first.data.attributes?.token);
  });

  it("keeps its token cache to itself: a second client (another container) asks for its own token", async () => {
    const oro = await fakeOro((_req, res) => jsonApi(res, 200, { data: { type: "products", id: "1" } }));
    const a = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const b = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    await a.get("products", "1");
    await a.get("products", "1");
    expect(oro.tokenRequests()).toBe(1);
    await b.get("products", "1");
    expect(oro.tokenRequests()).toBe(2);
  });

  it("refreshes a token before it expires", async () => {
    let issued = 0;
    const oro = await fakeOro(
      (_req, res) => jsonApi(res, 200, { data: { type: "products", id: "1" } }),
      (_req, res) => res.writeHead(200).end(JSON.stringify({ token_type: "Bearer", expires_in: 1, access_token: `short-${++issued}` })),
    );
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    await client.get("products", "1");
    await client.get("products", "1");
    expect(oro.tokenRequests()).toBe(1);
    // A 1 s token is kept for half its life (the 30 s skew would make it stale at once).
    await new Promise((r) => setTimeout(r, 600));
    await client.get("products", "1");
    expect(oro.tokenRequests()).toBe(2);
  });

  it("re-reads a rotated secret once after invalid_client", async () => {
    const oro = await fakeOro(
      (_req, res) => jsonApi(res, 200, { data: { type: "products", id: "1" } }),
      (req, res) => {
        const body = JSON.parse(req.body) as { client_secret: string };
        if (body.client_secret !== "rotated") {
          res.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid_client","message":"Client authentication failed"}');
          return;
        }
        res.writeHead(200).end('{"token_type":"Bearer","expires_in":3600,"access_token":"fresh"}');
      },
    );
    const calls: Array<boolean | undefined> = [];
    const client = createOroClient({
      getConnection: async (opts) => {
        calls.push(opts?.forceRefresh);
        return connectionFor(oro.url, { clientSecret: opts?.forceRefresh ? "rotated" : SECRET });
      },
    });
    await client.get("products", "1");
    expect(calls).toEqual([undefined, true]);
    expect(oro.log.requests.at(-1)?.headers.authorization).toBe("Bearer fresh");
  });

  it("raises OroAuthError without the secret when invalid_client persists after the refresh", async () => {
    const oro = await fakeOro(
      (_req, res) => jsonApi(res, 200, {}),
      (_req, res) => res.writeHead(401).end('{"error":"invalid_client","message":"Client authentication failed"}'),
    );
    let refreshes = 0;
    const client = createOroClient({
      getConnection: async (opts) => {
        if (opts?.forceRefresh) refreshes += 1;
        return connectionFor(oro.url);
      },
    });
    const error = await client.get("products", "1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroAuthError);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/client id "client-1".*401 invalid_client/);
    expect(refreshes).toBe(1);
    expect(oro.tokenRequests()).toBe(2);
    expect(everythingIn(error)).not.toContain(SECRET);
  });

  it("drops the token after an API 401 and retries once with a new one", async () => {
    const oro = await fakeOro((req, res) => {
      if (req.headers.authorization === "Bearer tok-1") {
        res.writeHead(401, { "www-authenticate": "Bearer" }).end();
        return;
      }
      jsonApi(res, 200, { data: { type: "products", id: "1" } });
    });
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const doc = await client.get("products", "1");
    expect(doc.data.id).toBe("1");
    expect(oro.tokenRequests()).toBe(2);
  });

  it("raises OroAuthError when a fresh token gets 401 too, with no token in the error", async () => {
    const oro = await fakeOro((_req, res) => res.writeHead(401, { "www-authenticate": "Bearer" }).end());
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const error = await client.get("products", "1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroAuthError);
    expect(oro.tokenRequests()).toBe(2);
    expect(oro.log.requests.filter((r) => r.url.startsWith("/admin/api"))).toHaveLength(2);
    expect(everythingIn(error)).not.toMatch(/tok-\d/);
  });
});

describe("Class: OroClient — error mapping", () => {
  const cases: Array<{
    name: string;
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    cls: new (...args: never[]) => Error;
    message: RegExp;
  }> = [
    {
      name: "400 validation",
      status: 400,
      body: {
        errors: [{ status: "400", title: "not blank constraint", detail: "This value should not be blank.", source: { pointer: "/data/attributes/sku" } }],
      },
      cls: OroValidationError,
      message: /^products: not blank constraint at \/data\/attributes\/sku: This value should not be blank\.$/,
    },
    {
      name: "403 access denied",
      status: 403,
      body: { errors: [{ status: "403", title: "access denied exception", detail: "No access to the entity." }] },
      cls: OroForbiddenError,
      message: /products\/7.*organization/,
    },
    {
      name: "404 not found",
      status: 404,
      body: { errors: [{ status: "404", title: "not found http exception", detail: "An entity with the requested identifier does not exist." }] },
      cls: OroNotFoundError,
      message: /products\/7 not found/,
    },
    { name: "405 not allowed", status: 405, headers: { allow: "GET, PATCH" }, cls: OroMethodNotAllowedError, message: /Allow: GET, PATCH/ },
    {
      name: "409 conflict",
      status: 409,
      body: { errors: [{ status: "409", title: "conflict constraint", detail: "The entity already exists." }] },
      cls: OroConflictError,
      message: /conflict constraint: The entity already exists/,
    },
    {
      name: "415 media type",
      status: 415,
      body: { errors: [{ status: "415", title: "unsupported media type http exception" }] },
      cls: OroMediaTypeError,
      message: /client bug/,
    },
    { name: "406 not acceptable", status: 406, cls: OroMediaTypeError, message: /client bug/ },
  ];

  it("repeats a create after a 503 only when it is marked retrySafe (the resource carries its own id)", async () => {
    const oro = await fakeOro((req, res, n) =>
      n === 1 ? jsonApi(res, 503, { errors: [] }) : jsonApi(res, 201, { data: { type: "notificationalerts", id: "a-1" } }),
    );
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url), retry: fast });
    const doc = await client.create({ type: "notificationalerts", id: "a-1", attributes: { message: "m" } }, { retrySafe: true });
    expect(doc.data.id).toBe("a-1");
    const posts = oro.log.requests.filter((r) => r.method === "POST" && r.url === "/admin/api/notificationalerts");
    expect(posts.map((r) => JSON.parse(r.body))).toEqual([
      { data: { type: "notificationalerts", id: "a-1", attributes: { message: "m" } } },
      { data: { type: "notificationalerts", id: "a-1", attributes: { message: "m" } } },
    ]);

    const plain = await fakeOro((_req, res) => jsonApi(res, 503, { errors: [] }));
    const error = await createOroClient({ getConnection: async () => connectionFor(plain.url), retry: fast })
      .create({ type: "notificationalerts", attributes: { message: "m" } })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain("failed with HTTP 503 after 1 attempt(s)");
    expect(plain.log.requests.filter((r) => r.method === "POST" && r.url === "/admin/api/notificationalerts")).toHaveLength(1);
  });

  it("reads a path without an id (GET userprofile)", async () => {
    const oro = await fakeOro((req, res) => jsonApi(res, 200, { data: { type: "userprofile", id: "1", attributes: { path: req.url } } }));
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const doc = await client.getPath<{ path: string }>("userprofile");
    expect(doc.data).toEqual({ type: "userprofile", id: "1", attributes: { path: "/admin/api/userprofile" } });
  });

  it.each(cases)("maps $name to its typed permanent error", async ({ status, body, headers, cls, message }) => {
    const oro = await fakeOro((_req, res) => jsonApi(res, status, body, headers));
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url), retry: fast });
    const error = await client.update({ type: "products", id: "7", attributes: { sku: "" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(message);
    expect((error as { status: number }).status).toBe(status);
  });

  it("keeps each violation's pointer and title", async () => {
    const oro = await fakeOro((_req, res) =>
      jsonApi(res, 400, {
        errors: [
          { status: "400", title: "not blank constraint", detail: "This value should not be blank.", source: { pointer: "/data/attributes/sku" } },
          { status: "400", title: "filter constraint", detail: "bad", source: { parameter: "filter[x]" } },
        ],
      }),
    );
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const error = (await client.create({ type: "products", attributes: {} }).catch((e: unknown) => e)) as OroValidationError;
    expect(error.violations).toEqual([
      { pointer: "/data/attributes/sku", title: "not blank constraint", detail: "This value should not be blank." },
      { pointer: "filter[x]", title: "filter constraint", detail: "bad" },
    ]);
    expect(error.code).toBe("ORO_VALIDATION");
    expect(error.alertType).toBe("validation");
  });

  it("turns a 409 on upsert into OroUpsertConflictError and reads 201/200 as created/updated", async () => {
    const oro = await fakeOro((req, res, n) => {
      const body = JSON.parse(req.body) as { data: { meta: { upsert: unknown } } };
      expect(body.data.meta.upsert).toEqual(["sku"]);
      if (n === 1) return jsonApi(res, 201, { data: { type: "products", id: "5" } });
      if (n === 2) return jsonApi(res, 200, { data: { type: "products", id: "5" } });
      return jsonApi(res, 409, {
        errors: [{ status: "409", title: "conflict constraint", detail: "The upsert operation cannot be performed because more than one entity was found." }],
      });
    });
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const product = { type: "products", attributes: { sku: "A-1" } };
    expect((await client.upsert(product, ["sku"])).outcome).toBe("created");
    expect((await client.upsert(product, ["sku"])).outcome).toBe("updated");
    const error = await client.upsert(product, ["sku"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroUpsertConflictError);
    expect(error).toBeInstanceOf(OroConflictError);
    expect((error as Error).message).toMatch(/upsert by \[sku\] matched more than one record/);
  });
});

describe("Class: OroClient — paging", () => {
  it("follows links.next on the connection's origin even when Oro prints another origin", async () => {
    const oro = await fakeOro((req, res) => {
      const page = Number(
        /page%5Bnumber%5D=(\d+)|page\[number\]=(\d+)/
          .exec(req.url ?? "")
          ?.slice(1)
          .find(Boolean) ?? "1",
      );
      const data = [{ type: "products", id: String(page) }];
      // Behind a TLS-terminating proxy Oro may build links with the wrong scheme/host.
      const links = page < 3 ? { next: `http://oro-behind-proxy.invalid/admin/api/products?page%5Bnumber%5D=${page + 1}&page%5Bsize%5D=1` } : {};
      jsonApi(res, 200, { data, links }, { "x-include-total-count": "3" });
    });
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const ids: string[] = [];
    for await (const product of client.iterate("products", { page: { size: 1 }, totalCount: true })) ids.push(product.id);
    expect(ids).toEqual(["1", "2", "3"]);
    expect(oro.log.requests.filter((r) => r.url.startsWith("/admin/api")).map((r) => r.headers["x-include"])).toEqual(["totalCount", undefined, undefined]);
  });

  it("builds Oro's filter, sort, fields, include and page parameters", () => {
    expect(
      buildQuery({
        filter: { sku: ["A", "B"], updatedAt: { gt: new Date("2024-01-01T00:00:00.000Z") }, id: "5..7" },
        sort: ["-updatedAt", "id"],
        fields: { products: ["sku", "names"] },
        include: "names",
        page: { size: 50, number: 2 },
      }),
    ).toBe(
      "filter[sku]=A%2CB&filter[updatedAt][gt]=2024-01-01T00%3A00%3A00Z&filter[id]=5..7&sort=-updatedAt%2Cid&fields[products]=sku%2Cnames&include=names&page[size]=50&page[number]=2",
    );
  });
});

describe("Function: chunkItems", () => {
  it("cuts at 100 items or before 50 included records", () => {
    const items = Array.from({ length: 250 }, (_, i) => ({ data: { type: "products" }, included: i < 60 ? [{ type: "productnames" }] : [] }));
    const chunks = chunkItems(items, 100, 50).map((c) => c.indexes.length);
    expect(chunks).toEqual([50, 100, 100]);
  });
});

describe("Class: OroClient — batch item errors Oro answers as 409", () => {
  it("fails only the item a sync chunk's 409 names (unique index at flush) and writes the rest", async () => {
    // Oro answers 409 when a conflict is among the item errors (ErrorResponseStatusCodeTrait) and
    // points a flush-time "The entity already exists." at the item (CompleteItemErrorPaths: /data/{i}).
    const bodies: Array<{ data: Array<{ attributes: { sku: string } }> }> = [];
    const oro = await fakeOro((req, res, n) => {
      const body = JSON.parse(req.body) as { data: Array<{ attributes: { sku: string } }> };
      bodies.push(body);
      if (n === 1)
        return jsonApi(res, 409, {
          errors: [{ status: "409", title: "conflict constraint", detail: "The entity already exists.", source: { pointer: "/data/1" } }],
        });
      return jsonApi(res, 200, { data: body.data.map((item, i) => ({ type: "products", id: String(10 + i), attributes: item.attributes })) });
    });
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const items = ["A-1", "A-2", "A-3"].map((sku) => ({ data: { type: "products", attributes: { sku } } }));
    const result = await client.batch("products", items, { mode: "sync" });
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "failed", "created"]);
    expect(result.items[1]?.errors).toEqual([
      { status: "409", title: "conflict constraint", detail: "The entity already exists.", source: { pointer: "/data" } },
    ]);
    expect(result.items[1]?.reason).toBe("products: conflict constraint at /data: The entity already exists. (item 1 of the batch)");
    expect(bodies.map((b) => b.data.map((d) => d.attributes.sku))).toEqual([
      ["A-1", "A-2", "A-3"],
      ["A-1", "A-3"],
    ]);
  });

  it("still throws a 409 that names no item (the whole request conflicts)", async () => {
    const oro = await fakeOro((_req, res) =>
      jsonApi(res, 409, { errors: [{ status: "409", title: "conflict constraint", detail: "The entity already exists." }] }),
    );
    const client = createOroClient({ getConnection: async () => connectionFor(oro.url) });
    const error = await client.batch("products", [{ data: { type: "products", attributes: { sku: "B-1" } } }], { mode: "sync" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroConflictError);
  });
});
