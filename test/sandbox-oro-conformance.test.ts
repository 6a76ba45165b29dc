/**
 * Conformance of the Oro sandbox with Oro's own functional tests (oroinc/platform and
 * oroinc/orocommerce at 6.1.11 / 7.0.4, `Tests/Functional/**`): each case names the Oro test or
 * source it reproduces. A failure here means the double drifted from Oro, not that Oro changed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: "conf-id", clientSecret: "conf-secret" });
  api = sandboxCaller(oro, "conf-id", "conf-secret");
});
afterAll(async () => {
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset();
});

const product = (sku: string, meta?: Record<string, unknown>, suffix = "") => ({
  type: "products",
  ...(meta ? { meta } : {}),
  attributes: { sku, status: "enabled" },
  relationships: {
    names: { data: [{ type: "productnames", id: `n${suffix}` }] },
    unitPrecisions: { data: [{ type: "productunitprecisions", id: `p${suffix}` }] },
    inventory_status: { data: { type: "prodinventorystatuses", id: "in_stock" } },
    attributeFamily: { data: { type: "attributefamilies", id: "1" } },
  },
});
const productIncluded = (suffix = "") => [
  { type: "productnames", id: `n${suffix}`, attributes: { string: "A name" }, relationships: { localization: { data: null } } },
  {
    type: "productunitprecisions",
    id: `p${suffix}`,
    attributes: { precision: 0, conversionRate: 1, sell: true },
    relationships: { unit: { data: { type: "productunits", id: "each" } } },
  },
];
const valueError = (detail: string, pointer: string) => ({ status: "400", title: "value constraint", detail, source: { pointer } });

describe("Oro conformance: upsert (platform Create|Update/JsonApi/LoadUpsertEntity.php, RestJsonApiUpsert/*Test.php)", () => {
  it("POST products with meta.upsert by sku: 400 'The upsert operation is not allowed.' at /meta/upsert", async () => {
    const response = await api.post("/products", { data: product("CONF-1", { upsert: ["sku"] }), included: productIncluded() });
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([valueError("The upsert operation is not allowed.", "/meta/upsert")]);
  });

  it("POST products with meta.upsert true: the same refusal (no upsert config at all)", async () => {
    const response = await api.post("/products", { data: { ...product("CONF-2", { upsert: true }), id: "1" }, included: productIncluded() });
    expect(response.json.errors).toEqual([valueError("The upsert operation is not allowed.", "/meta/upsert")]);
  });

  it("PATCH products/{id} with meta.upsert: 'not supported for resources with auto-generated identifier value' (Update/JsonApi/DisableUpsertOperation.php)", async () => {
    const response = await api.patch("/products/1", { data: { type: "products", id: "1", meta: { upsert: true }, attributes: { status: "disabled" } } });
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      valueError("The upsert operation is not supported for resources with auto-generated identifier value.", "/meta/upsert"),
    ]);
  });

  it("sync batch: the item pointer is /data/{i}/meta/upsert; upsert true runs the update action (Batch UpdateItem/JsonApi/SetTargetAction.php)", async () => {
    const response = await api.patch(
      "/products",
      {
        data: [product("CONF-B0", undefined, "0"), product("CONF-B1", { upsert: ["sku"] }, "1"), { ...product("CONF-B2", { upsert: true }, "2"), id: "2" }],
        included: [...productIncluded("0"), ...productIncluded("1"), ...productIncluded("2")],
      },
      { "X-Mode": "sync" },
    );
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      valueError("The upsert operation is not allowed.", "/data/1/meta/upsert"),
      valueError("The upsert operation is not supported for resources with auto-generated identifier value.", "/data/2/meta/upsert"),
    ]);
    // Atomic: the valid item 0 was rolled back with the others.
    expect(oro.store.mustTable("products").findUnique("sku", "CONF-B0")).toBeUndefined();
  });

  it("async batch: the same pointers in asyncoperations/{id}/errors, status an integer", async () => {
    const started = await api.patch("/products", {
      data: [product("CONF-A0", undefined, "0"), product("CONF-A1", { upsert: ["sku"] }, "1")],
      included: [...productIncluded("0"), ...productIncluded("1")],
    });
    expect(started.status).toBe(202);
    const id = started.json.data.id as string;
    for (let i = 0; i < 100 && (await api.get(`/asyncoperations/${id}`)).json.data.attributes.status !== "success"; i += 1)
      await new Promise((r) => setTimeout(r, 20));
    const errors = await api.get(`/asyncoperations/${id}/errors`);
    expect(errors.json.data.map((e: { attributes: unknown }) => e.attributes)).toEqual([
      { status: 400, title: "value constraint", detail: "The upsert operation is not allowed.", source: { pointer: "/data/1/meta/upsert" } },
    ]);
    expect(oro.store.mustTable("products").findUnique("sku", "CONF-A0")).toBeDefined();
  });

  it("flag values: a non-boolean, non-array flag and two flags at once (Util/MetaOperationParser.php)", async () => {
    const bad = await api.post("/orders", { data: { type: "orders", meta: { upsert: "yes" }, attributes: { identifier: "X" } } });
    expect(bad.json.errors).toEqual([valueError("This value should be a boolean or an array of strings.", "/meta/upsert")]);
    const two = await api.post("/productunits", { data: { type: "productunits", id: "box", meta: { upsert: true, update: true }, attributes: {} } });
    expect(two.json.errors).toEqual([
      { status: "400", title: "request data constraint", detail: "Only one meta option can be used.", source: { pointer: "/meta" } },
    ]);
  });

  it("fields outside the upsert config: 'cannot use this field / these fields' (UpsertViaCreateActionTest testTryToByToOneAssociation)", async () => {
    const one = await api.post("/orders", { data: { type: "orders", meta: { upsert: ["poNumber"] }, attributes: { poNumber: "P" } } });
    expect(one.json.errors).toEqual([valueError("The upsert operation cannot use this field to find an entity.", "/meta/upsert")]);
    const two = await api.post("/orders", { data: { type: "orders", meta: { upsert: ["poNumber", "currency"] }, attributes: { poNumber: "P" } } });
    expect(two.json.errors).toEqual([valueError("The upsert operation cannot use these fields to find an entity.", "/meta/upsert")]);
  });

  it("an upsert field missing from the request data (Util/UpsertCriteriaBuilder.php)", async () => {
    const response = await api.post("/orders", { data: { type: "orders", meta: { upsert: ["identifier"] }, attributes: { poNumber: "P" } } });
    expect(response.json.errors).toEqual([valueError('The "identifier" field does not exist in the request data.', "/meta/upsert")]);
  });

  it("productunits upsert by id: 201 when new, 200 without Location when it exists (ProductUnitTest testUpsertViaCreateAction*)", async () => {
    const attributes = { defaultPrecision: 1, label: "new unit", shortLabel: "unit", pluralLabel: "new units", shortPluralLabel: "units" };
    const created = await api.post("/productunits", { data: { type: "productunits", id: "new_unit", meta: { upsert: ["id"] }, attributes } });
    expect(created.status).toBe(201);
    const updated = await api.post("/productunits", { data: { type: "productunits", id: "each", meta: { upsert: ["id"] }, attributes } });
    expect(updated.status).toBe(200);
    expect(updated.headers.get("location")).toBeNull();
    expect(updated.json.data.attributes).toEqual(attributes);
  });

  it("productunits create without labels: four not blank errors (ProductUnitTest testTryToCreateWithoutLabelFields)", async () => {
    const response = await api.post("/productunits", { data: { type: "productunits", id: "test", attributes: { defaultPrecision: 0 } } });
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual(
      ["label", "shortLabel", "pluralLabel", "shortPluralLabel"].map((name) => ({
        status: "400",
        title: "not blank constraint",
        detail: "This value should not be blank.",
        source: { pointer: `/data/attributes/${name}` },
      })),
    );
  });
});

describe("Oro conformance: duplicates (ProductBundle validation.yml UniqueEntity; ExtIdRestJsonApi tests)", () => {
  it("a duplicate sku: 400 unique entity constraint 'This value is already used.' at the sku; /data/{i}/attributes/sku in a batch", async () => {
    const single = await api.post("/products", { data: product("SKU-0001"), included: productIncluded() });
    expect(single.status).toBe(400);
    expect(single.json.errors).toEqual([
      { status: "400", title: "unique entity constraint", detail: "This value is already used.", source: { pointer: "/data/attributes/sku" } },
    ]);
    // Oro's uniqueness ignores letter case (repositoryMethod: findByCaseInsensitive).
    const lower = await api.post("/products", { data: product("sku-0001"), included: productIncluded() });
    expect(lower.json.errors[0].title).toBe("unique entity constraint");
    const batch = await api.patch(
      "/products",
      { data: [product("CONF-D0", undefined, "0"), product("SKU-0002", undefined, "1")], included: [...productIncluded("0"), ...productIncluded("1")] },
      { "X-Mode": "sync" },
    );
    expect(batch.json.errors).toEqual([
      { status: "400", title: "unique entity constraint", detail: "This value is already used.", source: { pointer: "/data/1/attributes/sku" } },
    ]);
  });

  it("test control uniqueAtFlush: the database's answer instead, 409 'The entity already exists.' (SaveEntity.php; /data/{i} in a batch, FlushData.php)", async () => {
    await oro.admin.uniqueAtFlush(2);
    const single = await api.post("/products", { data: product("SKU-0001"), included: productIncluded() });
    expect([single.status, single.json.errors]).toEqual([409, [{ status: "409", title: "conflict constraint", detail: "The entity already exists." }]]);
    const batch = await api.patch(
      "/products",
      { data: [product("CONF-F0", undefined, "0"), product("SKU-0002", undefined, "1")], included: [...productIncluded("0"), ...productIncluded("1")] },
      { "X-Mode": "sync" },
    );
    expect([batch.status, batch.json.errors]).toEqual([
      409,
      [{ status: "409", title: "conflict constraint", detail: "The entity already exists.", source: { pointer: "/data/1" } }],
    ]);
    // Used up: the next duplicate gets the validation answer again.
    expect((await api.post("/products", { data: product("SKU-0001"), included: productIncluded() })).status).toBe(400);
  });

  it("filter[sku] compares exactly (the default string filter), unlike the uniqueness check", async () => {
    expect((await api.get("/products?filter[sku]=SKU-0001")).json.data).toHaveLength(1);
    expect((await api.get("/products?filter[sku]=sku-0001")).json.data).toHaveLength(0);
  });

  it("a duplicate externalId: 400 unique entity constraint 'Value for field \"External ID\" must be unique' without a pointer (RegularApiWithCustomExternalIdTest)", async () => {
    expect((await api.patch("/inventorylevels/1", { data: { type: "inventorylevels", id: "1", attributes: { externalId: "ERP-1" } } })).status).toBe(200);
    const duplicate = await api.patch("/inventorylevels/2", { data: { type: "inventorylevels", id: "2", attributes: { externalId: "ERP-1" } } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.errors).toEqual([{ status: "400", title: "unique entity constraint", detail: 'Value for field "External ID" must be unique' }]);
  });

  it("externalId is a string(36) column (InventoryBundle installer / AddExternalIdToInventoryLevelEntity.php)", async () => {
    const tooLong = await api.patch("/inventorylevels/1", { data: { type: "inventorylevels", id: "1", attributes: { externalId: "x".repeat(37) } } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.errors[0].source).toEqual({ pointer: "/data/attributes/externalId" });
    expect((await api.patch("/inventorylevels/1", { data: { type: "inventorylevels", id: "1", attributes: { externalId: "x".repeat(36) } } })).status).toBe(
      200,
    );
  });

  it("type and id that do not match the URL: 409 with Oro's texts (Request/JsonApi/TypedRequestDataValidator.php)", async () => {
    const id = await api.patch("/inventorylevels/1", { data: { type: "inventorylevels", id: "2", attributes: { quantity: "5" } } });
    expect([id.status, id.json.errors]).toEqual([
      409,
      [
        {
          status: "409",
          title: "conflict constraint",
          detail: "The 'id' property of the primary data object should match 'id' parameter of the query string",
          source: { pointer: "/data/id" },
        },
      ],
    ]);
    const type = await api.patch("/inventorylevels/1", { data: { type: "products", id: "1", attributes: {} } });
    expect([type.status, type.json.errors]).toEqual([
      409,
      [
        {
          status: "409",
          title: "conflict constraint",
          detail: "The 'type' property of the primary data object should match the requested resource",
          source: { pointer: "/data/type" },
        },
      ],
    ]);
  });

  it("a 409 among 400s makes the response 409 (Request/ErrorResponseStatusCodeTrait.php)", async () => {
    const response = await api.patch(
      "/products",
      {
        data: [{ ...product("SKU-0003", undefined, "0") }, { ...product("CONF-T1", undefined, "1"), type: "productunits" }],
        included: [...productIncluded("0"), ...productIncluded("1")],
      },
      { "X-Mode": "sync" },
    );
    expect(response.status).toBe(409);
    expect(response.json.errors.map((e: { status: string }) => e.status).sort()).toEqual(["400", "409"]);
  });
});

describe("Oro conformance: actions and reference data (405 + Allow, ApiTestCase::assertMethodNotAllowedResponse)", () => {
  it("inventorylevels: update only (InventoryBundle api.yml create/delete/delete_list false; InventoryLevelTest)", async () => {
    for (const [method, path, allow] of [
      ["POST", "/inventorylevels", "OPTIONS, GET, PATCH"],
      ["DELETE", "/inventorylevels", "OPTIONS, GET, PATCH"],
      ["DELETE", "/inventorylevels/1", "OPTIONS, GET, PATCH"],
    ] as const) {
      const response = await api.call(method, path, method === "POST" ? { data: { type: "inventorylevels", attributes: { quantity: 1 } } } : undefined);
      expect([method, path, response.status, response.headers.get("allow"), response.text]).toEqual([method, path, 405, allow, ""]);
    }
  });

  it("inventorylevels in a batch: a create item is 405 'The \"create\" action is not allowed.' at /data/0, an update by id lands (InventoryLevelUpdateListTest)", async () => {
    const started = await api.patch("/inventorylevels", {
      data: [
        { type: "inventorylevels", attributes: { quantity: 22 } },
        { type: "inventorylevels", id: "1", meta: { update: true }, attributes: { quantity: 22 } },
      ],
    });
    expect(started.status).toBe(202);
    const id = started.json.data.id as string;
    for (let i = 0; i < 100 && (await api.get(`/asyncoperations/${id}`)).json.data.attributes.status !== "success"; i += 1)
      await new Promise((r) => setTimeout(r, 20));
    const errors = await api.get(`/asyncoperations/${id}/errors`);
    expect(errors.json.data.map((e: { id: string; attributes: unknown }) => [e.id, e.attributes])).toEqual([
      [`${id}-1-1`, { status: 405, title: "action not allowed exception", detail: 'The "create" action is not allowed.', source: { pointer: "/data/0" } }],
    ]);
    expect(oro.store.mustTable("inventorylevels").get("1")?.attributes.quantity).toBe("22");
  });

  it("countries, regions and localizations are read-only: 405 'OPTIONS, GET' (CountryTest, RegionTest, LocalizationTest)", async () => {
    const cases: Array<[string, string, unknown]> = [
      ["POST", "/countries", { data: { type: "countries", id: "FR", attributes: { name: "France" } } }],
      ["PATCH", "/countries/GB", { data: { type: "countries", id: "GB", attributes: { name: "X" } } }],
      ["DELETE", "/countries/GB", undefined],
      ["DELETE", "/countries?filter[id]=GB", undefined],
      ["POST", "/regions", { data: { type: "regions", id: "US-XX", attributes: { name: "X" } } }],
      ["DELETE", "/regions/US-CA", undefined],
      ["POST", "/localizations", { data: { type: "localizations", attributes: { name: "X" } } }],
      ["PATCH", "/localizations/1", { data: { type: "localizations", id: "1", attributes: { name: "X" } } }],
      ["DELETE", "/localizations/1", undefined],
    ];
    for (const [method, path, body] of cases) {
      const response = await api.call(method, path, body);
      expect([method, path, response.status, response.headers.get("allow")]).toEqual([method, path, 405, "OPTIONS, GET"]);
    }
  });

  it("serves countries with regions and regions with their country as Oro does (get_country.yml, get_region.yml)", async () => {
    const country = await api.get("/countries/US", { "X-Include": "noHateoas" });
    expect(country.json.data).toEqual({
      type: "countries",
      id: "US",
      attributes: { iso3Code: "USA", name: "United States" },
      relationships: {
        regions: {
          data: [
            { type: "regions", id: "US-CA" },
            { type: "regions", id: "US-NY" },
            { type: "regions", id: "US-TX" },
          ],
        },
      },
    });
    const region = await api.get("/regions/US-CA", { "X-Include": "noHateoas" });
    expect(region.json.data).toEqual({
      type: "regions",
      id: "US-CA",
      attributes: { code: "CA", name: "California" },
      relationships: { country: { data: { type: "countries", id: "US" } } },
    });
    const byCountry = await api.get("/regions?filter[country]=DE");
    expect(byCountry.json.data.map((r: { id: string }) => r.id)).toEqual(["DE-BE", "DE-BY"]);
  });

  it("serves localizations with Oro's attributes and the installed product units with labels (get_localization.yml, cget_product_units.yml)", async () => {
    const localization = await api.get("/localizations/1");
    expect(localization.json.data.attributes).toEqual(
      expect.objectContaining({ name: "English (United States)", languageCode: "en", formattingCode: "en_US", rtlMode: false }),
    );
    const units = await api.get("/productunits?page[size]=-1");
    expect(units.json.data.map((u: { id: string }) => u.id)).toEqual(["each", "hour", "item", "kg", "piece", "set"]);
    expect(units.json.data.find((u: { id: string }) => u.id === "kg").attributes).toEqual({
      defaultPrecision: 3,
      label: "kilogram",
      shortLabel: "kg",
      pluralLabel: "kilograms",
      shortPluralLabel: "kgs",
    });
  });

  it("there is no currencies resource in stock Oro (no api.yml in CurrencyBundle): 404 resource not accessible", async () => {
    const response = await api.get("/currencies");
    expect(response.status).toBe(404);
    expect(response.json.errors).toEqual([{ status: "404", title: "resource not accessible exception", detail: "The resource is not accessible." }]);
  });
});

describe("Oro conformance: 401 and query errors", () => {
  it("no credentials: 401, empty body, WWW-Authenticate: Basic (Security/Http/EntryPoint/ApiEntryPoint.php)", async () => {
    const response = await fetch(`${oro.apiUrl}/products`, { headers: { Accept: "application/vnd.api+json" } });
    expect([response.status, response.headers.get("www-authenticate"), await response.text()]).toEqual([401, "Basic", ""]);
  });

  it("a rejected bearer token: 401, empty body, no WWW-Authenticate (OAuth2Authenticator::onAuthenticationFailure; ClientCredentialsOAuthServerTest 'Bearer WRONG_KEY')", async () => {
    const response = await fetch(`${oro.apiUrl}/products`, { headers: { Accept: "application/vnd.api+json", Authorization: "Bearer WRONG_KEY" } });
    expect([response.status, response.headers.get("www-authenticate"), await response.text()]).toEqual([401, null, ""]);
  });

  it("unknown filter, operator and sorter: Oro's titles, texts and parameters (NormalizeFilterValues.php, FiltersByAssociationTest, EntityOverrideTest)", async () => {
    expect((await api.get("/products?filter[unknown]=1")).json.errors).toEqual([
      { status: "400", title: "filter constraint", detail: "The filter is not supported.", source: { parameter: "filter[unknown]" } },
    ]);
    expect((await api.get("/products?filter[sku][contains]=A")).json.errors).toEqual([
      { status: "400", title: "filter constraint", detail: 'The operator "contains" is not supported.', source: { parameter: "filter[sku][contains]" } },
    ]);
    expect((await api.get("/products?sort=status")).json.errors).toEqual([
      { status: "400", title: "sort constraint", detail: 'Sorting by "status" field is not supported.', source: { parameter: "sort" } },
    ]);
  });
});
