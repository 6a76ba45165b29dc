import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { attribute, defaultAttributes, startAkeneoSandbox, type AkeneoSandbox } from "../sandboxes/akeneo";

/**
 * Conformance of the Akeneo double, derived from Akeneo's own material (sandboxes/akeneo/README.md
 * names each source): the token endpoint from pim-api-docs authentication.md / troubleshooting.md
 * and TokenController + oauth2-php; listings and their errors from the PIM's end-to-end tests
 * SuccessListProductsWithUuidEndToEnd and ErrorListProductWithUuidEndToEnd (expected links and
 * bodies carried over); headers, 401/404/405 from responses.md and the PIM's API subscribers.
 */
let akeneo: AkeneoSandbox;
/** The generated products' uuids in Akeneo's listing order (uuid order, like the E2E tests' usort). */
let uuids: string[];

interface Answer {
  status: number;
  headers: Headers;
  body: string;
  json: Record<string, unknown>;
}

const call = async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> => {
  const res = await fetch(`${akeneo.url}${path}`, { method, headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) });
  const body = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // not JSON: left empty
  }
  return { status: res.status, headers: res.headers, body, json };
};

const basic = () => `Basic ${Buffer.from(`${akeneo.credentials.clientId}:${akeneo.credentials.secret}`).toString("base64")}`;
const tokenRequest = (body: Record<string, string>, headers: Record<string, string> = { authorization: basic() }) =>
  call("POST", "/api/oauth/v1/token", { headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const password = () => ({ grant_type: "password", username: akeneo.credentials.username, password: akeneo.credentials.password });

let bearer = "";
const get = (path: string, headers: Record<string, string> = {}) => call("GET", path, { headers: { authorization: `Bearer ${bearer}`, ...headers } });
const links = (a: Answer) =>
  Object.fromEntries(Object.entries(a.json._links as Record<string, { href: string }>).map(([k, v]) => [k, v.href.replace(akeneo.url, "")]));
const itemUuids = (a: Answer) => ((a.json._embedded as { items: Array<{ uuid: string }> }).items ?? []).map((p) => p.uuid);

beforeAll(async () => {
  akeneo = await startAkeneoSandbox({ catalog: { count: 7 } });
  uuids = akeneo.catalog.all().map((p) => p.uuid);
});
afterAll(() => akeneo.stop());
beforeEach(async () => {
  await akeneo.admin.reset();
  bearer = String((await tokenRequest(password())).json.access_token);
});

describe("Akeneo sandbox: POST /api/oauth/v1/token", () => {
  it("answers the password grant like authentication.md's example, with no-store caching headers", async () => {
    const answer = await tokenRequest(password());

    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json)).toEqual(["access_token", "expires_in", "token_type", "scope", "refresh_token"]);
    expect([answer.json.expires_in, answer.json.token_type, answer.json.scope]).toEqual([3600, "bearer", null]);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("pragma")).toBe("no-cache");
  });

  it("takes the client in the body (client_id / client_secret) and form-encoded bodies", async () => {
    const inBody = await tokenRequest({ ...password(), client_id: akeneo.credentials.clientId, client_secret: akeneo.credentials.secret }, {});
    const form = await call("POST", "/api/oauth/v1/token", {
      headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(password()).toString(),
    });

    expect([inBody.status, form.status]).toEqual([200, 200]);
  });

  it("checks in oauth2-php's order and answers each refusal with Akeneo's 422 text", async () => {
    const wrongClient = { authorization: `Basic ${Buffer.from("someone:else").toString("base64")}` };
    const cases: Array<[string, Promise<Answer>, string]> = [
      [
        "no grant_type, wrong client",
        tokenRequest({ username: "u", password: "p" }, wrongClient),
        'Parameter "grant_type", "username" or "password" is missing, empty or invalid',
      ],
      [
        "unknown grant_type",
        tokenRequest({ ...password(), grant_type: "magic" }),
        'Parameter "grant_type", "username" or "password" is missing, empty or invalid',
      ],
      ["no client at all", tokenRequest(password(), {}), 'Parameter "client_id" is missing or does not match any client, or secret is invalid'],
      [
        "wrong client, right user",
        tokenRequest(password(), wrongClient),
        'Parameter "client_id" is missing or does not match any client, or secret is invalid',
      ],
      ["client_credentials grant", tokenRequest({ grant_type: "client_credentials" }), "This grant type is not authorized for this client"],
      [
        "no password",
        tokenRequest({ grant_type: "password", username: akeneo.credentials.username }),
        'Parameter "grant_type", "username" or "password" is missing, empty or invalid',
      ],
      ["wrong password", tokenRequest({ ...password(), password: "nope" }), "No user found for the given username and password"],
      ["no refresh_token", tokenRequest({ grant_type: "refresh_token" }), 'Parameter "grant_type" or "refresh_token" is missing or empty'],
      ["unknown refresh_token", tokenRequest({ grant_type: "refresh_token", refresh_token: "abc" }), "Refresh token is invalid or has expired"],
      ["body over 200 bytes", tokenRequest({ ...password(), padding: "x".repeat(200) }), "The request content size is too large"],
    ];

    const answers = await Promise.all(cases.map(([, answer]) => answer));

    expect(answers.map((a, i) => [cases[i]?.[0], a.status, a.body])).toEqual(
      cases.map(([name, , message]) => [name, 422, JSON.stringify({ code: 422, message })]),
    );
  });

  it("uses a refresh token once, and only for the client it was issued to", async () => {
    const first = await tokenRequest(password());
    const refresh = String(first.json.refresh_token);

    const renewed = await tokenRequest({ grant_type: "refresh_token", refresh_token: refresh });
    const again = await tokenRequest({ grant_type: "refresh_token", refresh_token: refresh });

    expect(renewed.status).toBe(200);
    expect(renewed.json.access_token).not.toBe(first.json.access_token);
    expect([again.status, again.json.message]).toEqual([422, "Refresh token is invalid or has expired"]);
  });

  it("routes only POST: another method is a 405 naming the allowed one", async () => {
    const answer = await call("GET", "/api/oauth/v1/token");

    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("POST");
    expect(answer.json.message).toBe(`No route found for "GET ${akeneo.url}/api/oauth/v1/token": Method Not Allowed (Allow: POST)`);
  });
});

describe("Akeneo sandbox: GET /api/rest/v1/products-uuid (SuccessListProductsWithUuidEndToEnd)", () => {
  it("search_after without parameters: 10 by default, self and first rebuilt with with_count=false, no next under the limit", async () => {
    const answer = await get("/api/rest/v1/products-uuid?pagination_type=search_after");

    expect(links(answer)).toEqual({
      self: "/api/rest/v1/products-uuid?with_count=false&pagination_type=search_after&limit=10",
      first: "/api/rest/v1/products-uuid?with_count=false&pagination_type=search_after&limit=10",
    });
    expect(itemUuids(answer)).toEqual(uuids);
    expect(answer.json).not.toHaveProperty("current_page");
  });

  it("search_after with a cursor: the items after it, next on the last uuid; the cursor is case-insensitive", async () => {
    const cursor = uuids[1] as string;
    const expected = {
      self: `/api/rest/v1/products-uuid?with_count=false&pagination_type=search_after&limit=3&search_after=${cursor}`,
      first: "/api/rest/v1/products-uuid?with_count=false&pagination_type=search_after&limit=3",
      next: `/api/rest/v1/products-uuid?with_count=false&pagination_type=search_after&limit=3&search_after=${uuids[4]}`,
    };

    const lower = await get(`/api/rest/v1/products-uuid?pagination_type=search_after&limit=3&search_after=${cursor}`);
    const upper = await get(`/api/rest/v1/products-uuid?pagination_type=search_after&limit=3&search_after=${cursor.toUpperCase()}`);

    expect(links(lower)).toEqual(expected);
    expect(itemUuids(lower)).toEqual(uuids.slice(2, 5));
    expect(links(upper)).toEqual({ ...expected, self: expected.self.replace(cursor, cursor.toUpperCase()) });
    expect(itemUuids(upper)).toEqual(uuids.slice(2, 5));
  });

  it("a full last page still has a next link, which leads to an empty page without one (the paginators compare the count with the limit)", async () => {
    const full = await get(`/api/rest/v1/products-uuid?pagination_type=search_after&limit=5&search_after=${uuids[1]}`);
    const after = await get(String((full.json._links as { next: { href: string } }).next.href).replace(akeneo.url, ""));

    expect(itemUuids(full)).toEqual(uuids.slice(2, 7));
    expect(itemUuids(after)).toEqual([]);
    expect(Object.keys(after.json._links as object)).toEqual(["self", "first"]);
  });

  it("offset paging with with_count: page first in the links, current_page and items_count, previous from page 2", async () => {
    const first = await get("/api/rest/v1/products-uuid?with_count=true&limit=3");
    const second = await get("/api/rest/v1/products-uuid?with_count=true&limit=3&page=2");

    expect(links(first)).toEqual({
      self: "/api/rest/v1/products-uuid?page=1&with_count=true&pagination_type=page&limit=3",
      first: "/api/rest/v1/products-uuid?page=1&with_count=true&pagination_type=page&limit=3",
      next: "/api/rest/v1/products-uuid?page=2&with_count=true&pagination_type=page&limit=3",
    });
    expect([first.json.current_page, first.json.items_count]).toEqual([1, 7]);
    expect(itemUuids(first)).toEqual(uuids.slice(0, 3));
    expect(links(second).previous).toBe("/api/rest/v1/products-uuid?page=1&with_count=true&pagination_type=page&limit=3");
  });

  it("carries scope, locales, attributes and the with_* flags into the links in the controller's order", async () => {
    const answer = await get(
      "/api/rest/v1/products-uuid?scope=tablet&locales=fr_FR&attributes=a_scopable_price,a_metric,a_localized_and_scopable_text_area&pagination_type=page&with_quality_scores=true",
    );
    const after = await get("/api/rest/v1/products-uuid?pagination_type=search_after&limit=2&with_completenesses=true&locales=fr_FR");

    expect(links(answer).self).toBe(
      "/api/rest/v1/products-uuid?page=1&with_count=false&pagination_type=page&limit=10&scope=tablet&locales=fr_FR&attributes=a_scopable_price,a_metric,a_localized_and_scopable_text_area&with_quality_scores=true",
    );
    expect(links(after).next).toBe(
      `/api/rest/v1/products-uuid?with_count=false&pagination_type=search_after&limit=2&locales=fr_FR&with_completenesses=true&search_after=${uuids[1]}`,
    );
  });

  it("echoes search in the links as Symfony's router encodes it", async () => {
    const search = '{"updated":[{"operator":"BETWEEN","value":["2023-12-31 00:00:00","2024-01-02 00:00:00"]}]}';

    const answer = await get(`/api/rest/v1/products-uuid?pagination_type=search_after&limit=100&search=${encodeURIComponent(search)}`);

    expect(links(answer).self).toBe(
      "/api/rest/v1/products-uuid?with_count=false&pagination_type=search_after&limit=100&search=%7B%22updated%22:%5B%7B%22operator%22:%22BETWEEN%22,%22value%22:%5B%222023-12-31%2000:00:00%22,%222024-01-02%2000:00:00%22%5D%7D%5D%7D",
    );
    expect(itemUuids(answer)).toHaveLength(7);
  });

  it("filters updated with BETWEEN inclusive on both bounds, > exclusive, in UTC", async () => {
    await akeneo.admin.touch({ identifiers: ["AK-00002"], updatedAt: "2024-05-01T10:00:00Z" });
    await akeneo.admin.touch({ identifiers: ["AK-00003"], updatedAt: "2024-05-01T11:00:00Z" });
    const ids = async (search: string) =>
      itemUuids(await get(`/api/rest/v1/products-uuid?search=${encodeURIComponent(search)}`))
        .map((u) => akeneo.catalog.get(u)?.values.sku?.[0]?.data)
        .sort();

    expect(await ids('{"updated":[{"operator":"BETWEEN","value":["2024-05-01 10:00:00","2024-05-01 11:00:00"]}]}')).toEqual(["AK-00002", "AK-00003"]);
    expect(await ids('{"updated":[{"operator":">","value":"2024-05-01 10:00:00"}]}')).toEqual(["AK-00003"]);
    expect(await ids('{"updated":[{"operator":"<","value":"2024-05-01 10:00:00"}],"enabled":[{"operator":"=","value":true}]}')).toEqual([
      "AK-00001",
      "AK-00004",
      "AK-00005",
      "AK-00006",
      "AK-00007",
    ]);
  });

  it("serves products-uuid items without a root identifier: the SKU is values.sku", async () => {
    const answer = await get(`/api/rest/v1/products-uuid/${uuids[0]}`);

    expect(answer.json).not.toHaveProperty("identifier");
    expect(Object.keys(answer.json)).toEqual([
      "_links",
      "uuid",
      "enabled",
      "family",
      "categories",
      "groups",
      "parent",
      "values",
      "created",
      "updated",
      "associations",
      "quantified_associations",
    ]);
    expect((answer.json.values as { sku: unknown }).sku).toEqual([
      { locale: null, scope: null, data: akeneo.catalog.get(uuids[0] as string)?.values.sku?.[0]?.data },
    ]);
  });
});

/** Akeneo's error body, exactly (ErrorListProductWithUuidEndToEnd::assert compares the raw content). */
const body = (code: number, message: string) => JSON.stringify({ code, message });

describe("Akeneo sandbox: errors (ErrorListProductWithUuidEndToEnd, responses.md)", () => {
  it("answers bad listing parameters and searches with Akeneo's status and exact body", async () => {
    const cases: Array<[string, number, string]> = [
      ["pagination_type=unknown", 422, "Pagination type does not exist."],
      ["page=string", 422, '"string" is not a valid page number.'],
      ["limit=101", 422, "You cannot request more than 100 items."],
      ["limit=0", 422, '"0" is not a valid limit number.'],
      ["with_count=yes", 422, 'Parameter "with_count" has to be a boolean. Only "true" or "false" allowed, "yes" given.'],
      ["search=string", 400, "Search query parameter should be valid JSON."],
      ['search={"a_localized_and_scopable_text_area":{"key"}}', 400, "Search query parameter should be valid JSON."],
      [
        'search={"a_localized_and_scopable_text_area":{"operator": "="}}',
        422,
        'Structure of filter "a_localized_and_scopable_text_area" should respect this structure: {"a_localized_and_scopable_text_area":[{"operator": "my_operator", "value": "my_value"}]}',
      ],
      ['search={"a_localized_and_scopable_text_area":[{"value":"text"}]}', 422, 'Operator is missing for the property "a_localized_and_scopable_text_area".'],
      ['search={"a_text":[{"operator":["="], "value":"text"}]}', 422, 'Operator has to be a string, "array" given.'],
      ['search={"wrong_attribute":[{"operator":"EMPTY"}]}', 422, 'Filter on property "wrong_attribute" is not supported or does not support operator "EMPTY"'],
      ['search={"updated":[{"operator":"LIKE","value":"x"}]}', 422, 'Filter on property "updated" is not supported or does not support operator "LIKE"'],
      [
        'search={"updated":[{"operator":">","value":"2024-01-01"}]}',
        422,
        'Property "updated" expects a string with the format "yyyy-mm-dd H:i:s" as data, "2024-01-01" given.',
      ],
      [
        'search={"updated":[{"operator":">","value":"2024-02-30 10:00:00"}]}',
        422,
        'Property "updated" expects a string with the format "yyyy-mm-dd H:i:s" as data, "2024-02-30 10:00:00" given.',
      ],
      [
        'search={"updated":[{"operator":"BETWEEN","value":["2024-01-01 00:00:00"]}]}',
        422,
        'Property "updated" expects an array with valid data, should contain 2 strings with the format "yyyy-mm-dd H:i:s".',
      ],
      ['search={"updated":[{"operator":"BETWEEN","value":"2024-01-01 00:00:00"}]}', 422, 'Property "updated" expects an array as data, "string" given.'],
      ['search={"updated":[{"operator":"SINCE LAST N DAYS","value":"4"}]}', 422, 'Property "updated" expects an integer as data, "string" given.'],
      ['search={"enabled":[{"operator":"=","value":"true"}]}', 422, 'Property "enabled" expects a boolean as data, "string" given.'],
    ];

    const answers = await Promise.all(cases.map(([query]) => get(`/api/rest/v1/products-uuid?${query.replace(/[{}"[\] ]/g, encodeURIComponent)}`)));

    expect(answers.map((a, i) => [cases[i]?.[0], a.status, a.body])).toEqual(cases.map(([query, status, message]) => [query, status, body(status, message)]));
  });

  it("stops offset paging at the 10,000th product with a documented 422", async () => {
    const answer = await get("/api/rest/v1/products-uuid?page=101&limit=100");

    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({
      code: 422,
      message:
        'You have reached the maximum number of pages you can retrieve with the "page" pagination type. Please use the search after pagination type instead',
      _links: { documentation: { href: "http://api.akeneo.com/documentation/pagination.html#the-search-after-method" } },
    });
  });

  it("answers 401 without or with a bad token, 400 / 404 for a bad or unknown uuid, and Symfony's 404 / 405 for routes", async () => {
    const missing = await call("GET", "/api/rest/v1/products-uuid");
    const invalid = await call("GET", "/api/rest/v1/products-uuid", { headers: { authorization: "Bearer nope" } });
    const badUuid = await get("/api/rest/v1/products-uuid/AK-00001");
    const unknown = await get("/api/rest/v1/products-uuid/0b2d4f3c-0000-4000-a000-000000000000");
    const noRoute = await get("/api/rest/v1/products");
    const method = await call("DELETE", "/api/rest/v1/products-uuid", { headers: { authorization: `Bearer ${bearer}` } });

    expect([missing.status, missing.body]).toEqual([401, body(401, "Authentication is required")]);
    expect([invalid.status, invalid.body]).toEqual([401, body(401, "The access token provided is invalid.")]);
    expect([badUuid.status, badUuid.body]).toEqual([400, body(400, "The provided uuid is not valid")]);
    expect([unknown.status, unknown.body]).toEqual([
      404,
      body(404, 'Product "0b2d4f3c-0000-4000-a000-000000000000" does not exist or you do not have permission to access it.'),
    ]);
    expect([noRoute.status, noRoute.json.message]).toEqual([404, `No route found for "GET ${akeneo.url}/api/rest/v1/products"`]);
    expect([method.status, method.headers.get("allow"), method.json.message]).toEqual([
      405,
      "GET, POST, PATCH",
      `No route found for "DELETE ${akeneo.url}/api/rest/v1/products-uuid": Method Not Allowed (Allow: GET, POST, PATCH)`,
    ]);
  });

  it("negotiates like CheckHeadersRequestSubscriber: 406 for an Accept other than application/json or */*, 415 for writes", async () => {
    const html = await get("/api/rest/v1/products-uuid", { accept: "text/html" });
    const any = await get("/api/rest/v1/products-uuid", { accept: "text/html, */*;q=0.8" });
    const json = await get("/api/rest/v1/products-uuid", { accept: "application/json" });
    const write = (headers: Record<string, string>) =>
      call("POST", "/api/rest/v1/products-uuid", { headers: { authorization: `Bearer ${bearer}`, ...headers }, body: "{}" });
    const noType = await fetch(`${akeneo.url}/api/rest/v1/products-uuid`, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}` },
      body: new Uint8Array([123, 125]),
    });
    const text = await write({ "content-type": "text/plain" });
    const valid = await write({ "content-type": "application/json" });

    expect([html.status, html.body]).toEqual([406, body(406, '"text/html" in "Accept" header is not valid. Only "application/json" is allowed.')]);
    expect([any.status, json.status]).toEqual([200, 200]);
    expect([noType.status, await noType.text()]).toEqual([
      415,
      body(415, 'The "Content-Type" header is missing. "application/json" or "application/vnd.akeneo.collection+json" has to be specified as value.'),
    ]);
    expect([text.status, text.body]).toEqual([
      415,
      body(415, '"text/plain" in "Content-Type" header is not valid. Only "application/json" or "application/vnd.akeneo.collection+json" are allowed.'),
    ]);
    // A write Akeneo has, which the double does not reproduce: said so, never faked.
    expect(valid.status).toBe(501);
  });
});

describe("Akeneo sandbox: GET /api/rest/v1/attributes (the identifier attributes)", () => {
  const identifiers = '{"type":[{"operator":"IN","value":["pim_catalog_identifier"]}]}';

  it("lists the pim_catalog_identifier attributes with is_main_identifier, sorted by code", async () => {
    await akeneo.admin.putAttributes([
      ...defaultAttributes().map((a) => (a.code === "sku" ? { ...a, is_main_identifier: false } : a)),
      attribute("ean", "pim_catalog_identifier", { is_main_identifier: true }),
    ]);

    const answer = await get(`/api/rest/v1/attributes?limit=100&search=${encodeURIComponent(identifiers)}`);

    const items = (answer.json._embedded as { items: Array<{ code: string; type: string; is_main_identifier: boolean }> }).items;
    expect(items.map((a) => [a.code, a.type, a.is_main_identifier])).toEqual([
      ["ean", "pim_catalog_identifier", true],
      ["sku", "pim_catalog_identifier", false],
    ]);
    expect(links(answer).self).toBe(
      "/api/rest/v1/attributes?page=1&limit=100&with_count=false&search=%7B%22type%22:%5B%7B%22operator%22:%22IN%22,%22value%22:%5B%22pim_catalog_identifier%22%5D%7D%5D%7D",
    );
    expect(answer.json.current_page).toBe(1);
  });

  it("answers Akeneo's texts for searches and paging the attributes list does not take", async () => {
    const cases: Array<[string, number, string]> = [
      [
        'search={"type":[{"operator":"=","value":"pim_catalog_identifier"}]}',
        422,
        'In order to search on attribute types you must use "IN" operator, "IN" given. In order to search on attribute types you must send an array of attribute types as value, array given.',
      ],
      [
        'search={"family":[{"operator":"IN","value":["x"]}]}',
        422,
        'Available search filters are "code, updated, type, is_main_identifier" and you tried to search on unavailable filter "family"',
      ],
      [
        'search={"is_main_identifier":[{"operator":"=","value":"yes"}]}',
        422,
        'The "is_main_identifier" filter requires a boolean value, and the submitted value is not.',
      ],
      ["pagination_type=search_after", 422, "Pagination type is not supported."],
    ];

    const answers = await Promise.all(cases.map(([query]) => get(`/api/rest/v1/attributes?${query.replace(/[{}"[\] ]/g, encodeURIComponent)}`)));

    expect(answers.map((a, i) => [cases[i]?.[0], a.status, a.body])).toEqual(cases.map(([query, status, message]) => [query, status, body(status, message)]));
  });
});
