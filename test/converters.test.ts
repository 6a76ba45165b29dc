import { describe, expect, it } from "vitest";
import {
  MappingDefinitionError,
  MappingError,
  compilePath,
  createExportConverter,
  createImportConverter,
  formatDecimal,
  mergeMapping,
  type ImportMapping,
} from "../shared/converters";
import { ValidationError, isPermanent } from "../shared/errors";

const akeneo = {
  uuid: "0d5a-1",
  identifier: "SKU-1",
  enabled: true,
  family: "shoes",
  values: {
    sku: [{ locale: null, scope: null, data: "SKU-1" }],
    name: [
      { locale: "en_US", scope: null, data: "Runner" },
      { locale: "de_DE", scope: null, data: "Läufer" },
      { locale: "fr_FR", scope: null, data: "Coureur" },
    ],
    description: [
      { locale: "en_US", scope: "print", data: "Print text" },
      { locale: "en_US", scope: "ecommerce", data: "Web text" },
    ],
    weight: [{ locale: null, scope: null, data: { amount: "1.25000", unit: "KILOGRAM" } }],
    unit: [{ locale: null, scope: null, data: "PIECE" }],
  },
};

const mapping: ImportMapping = {
  type: "products",
  externalId: "identifier",
  meta: { upsert: ["sku"] },
  attributes: {
    sku: { from: "identifier", required: true, type: "string", maxLength: 255 },
    status: { from: "enabled", map: { true: "enabled", false: "disabled" }, default: "disabled" },
    weight: { from: "values.weight[locale=null].data.amount", type: "decimal", precision: 2 },
    productType: { const: "simple" },
  },
  relationships: {
    attributeFamily: { ref: { type: "attributefamilies", id: { from: "family", lookup: "families", required: true } } },
    names: {
      localized: { type: "productnames", from: "values.name", valueAttribute: "string", defaultLocale: "en_US", locales: { de_DE: "2" }, required: true },
    },
    descriptions: {
      localized: {
        type: "productdescriptions",
        from: "values.description",
        valueAttribute: "wysiwyg",
        wrapIn: "value",
        defaultLocale: "en_US",
        scope: "ecommerce",
      },
    },
    primaryUnitPrecision: {
      nested: {
        type: "productunitprecisions",
        attributes: { precision: { const: 0, type: "integer" }, conversionRate: { const: 1, type: "decimal" } },
        relationships: {
          unit: { type: "productunits", id: { from: "values.unit[locale=null].data", map: { PIECE: "piece", KILOGRAM: "kg" }, required: true } },
        },
      },
    },
  },
};
const lookups = { families: new Map([["shoes", "7"]]) };

describe("Function: compilePath", () => {
  it("reads keys, indexes and the first array item matching conditions", () => {
    expect(compilePath("values.name[locale=de_DE].data")(akeneo)).toBe("Läufer");
    expect(compilePath("values.name[1].locale")(akeneo)).toBe("de_DE");
    expect(compilePath("values.weight[locale=null,scope=null].data.unit")(akeneo)).toBe("KILOGRAM");
    expect(compilePath("values.nope[locale=null].data")(akeneo)).toBeUndefined();
  });

  it("prefers the first alternative of a condition", () => {
    expect(compilePath("values.description[scope=ecommerce|print].data")(akeneo)).toBe("Web text");
    expect(compilePath("values.description[scope=mobile|print].data")(akeneo)).toBe("Print text");
  });

  it("rejects a malformed path with a MappingDefinitionError", () => {
    expect(() => compilePath("values.name[locale]")).toThrow(MappingDefinitionError);
  });
});

describe("Function: formatDecimal", () => {
  it("writes decimals as strings without trailing zeros, rounded to the precision", () => {
    expect(formatDecimal("1.25000")).toEqual({ ok: true, value: "1.25" });
    expect(formatDecimal(2.005, 2)).toEqual({ ok: true, value: "2.01" });
    expect(formatDecimal("10", 3)).toEqual({ ok: true, value: "10" });
    expect(formatDecimal("-0.0001", 2)).toEqual({ ok: true, value: "0" });
    expect(formatDecimal("abc").ok).toBe(false);
  });
});

describe("Function: createImportConverter", () => {
  it("maps attributes, value maps, lookups, localized values and a nested unit precision", () => {
    const item = createImportConverter(mapping).convert(akeneo, { lookups });

    expect(item.data).toEqual({
      type: "products",
      meta: { upsert: ["sku"] },
      attributes: { sku: "SKU-1", status: "enabled", weight: "1.25", productType: "simple" },
      relationships: {
        attributeFamily: { data: { type: "attributefamilies", id: "7" } },
        names: {
          data: [
            { type: "productnames", id: "products-SKU-1-names-default" },
            { type: "productnames", id: "products-SKU-1-names-2" },
          ],
        },
        descriptions: { data: [{ type: "productdescriptions", id: "products-SKU-1-descriptions-default" }] },
        primaryUnitPrecision: { data: { type: "productunitprecisions", id: "products-SKU-1-primaryUnitPrecision" } },
      },
    });
    expect(item.included).toEqual([
      { type: "productnames", id: "products-SKU-1-names-default", attributes: { string: "Runner" }, relationships: { localization: { data: null } } },
      {
        type: "productnames",
        id: "products-SKU-1-names-2",
        attributes: { string: "Läufer" },
        relationships: { localization: { data: { type: "localizations", id: "2" } } },
      },
      {
        type: "productdescriptions",
        id: "products-SKU-1-descriptions-default",
        attributes: { wysiwyg: { value: "Web text" } },
        relationships: { localization: { data: null } },
      },
      {
        type: "productunitprecisions",
        id: "products-SKU-1-primaryUnitPrecision",
        attributes: { precision: 0, conversionRate: "1" },
        relationships: { unit: { data: { type: "productunits", id: "piece" } } },
      },
    ]);
  });

  it("updates related records that already exist instead of creating them", () => {
    const existing: Record<string, string> = { "names:": "11", "names:2": "12", "primaryUnitPrecision:0": "31" };
    const item = createImportConverter(mapping).convert(akeneo, { lookups, reuse: (rel, key) => existing[`${rel}:${key}`] });

    expect(item.data.relationships?.names?.data).toEqual([
      { type: "productnames", id: "11" },
      { type: "productnames", id: "12" },
    ]);
    expect(item.included?.find((r) => r.id === "31")).toMatchObject({ type: "productunitprecisions", meta: { update: true } });
    expect(item.included?.find((r) => r.id === "12")?.meta).toEqual({ update: true });
  });

  it("applies defaults and leaves out optional fields that are missing", () => {
    const item = createImportConverter(mapping).convert({ ...akeneo, enabled: undefined, values: { ...akeneo.values, weight: [] } }, { lookups });

    expect(item.data.attributes).toEqual({ sku: "SKU-1", status: "disabled", productType: "simple" });
  });

  it("raises one permanent MappingError naming the record and every failed field", () => {
    const bad = { ...akeneo, family: "hats", values: { ...akeneo.values, name: [], unit: [{ locale: null, scope: null, data: "BARREL" }] } };

    let error: unknown;
    try {
      createImportConverter(mapping).convert(bad, { lookups });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(MappingError);
    expect(error).toBeInstanceOf(ValidationError);
    expect(isPermanent(error)).toBe(true);
    const mappingError = error as MappingError;
    expect(mappingError.externalId).toBe("SKU-1");
    expect(mappingError.alertType).toBe("mapping");
    expect(mappingError.issues.map((i) => i.field)).toEqual([
      "relationships.attributeFamily",
      "relationships.names",
      "relationships.primaryUnitPrecision.unit",
    ]);
    expect(mappingError.message).toMatch(/^products "SKU-1" cannot be mapped: relationships.attributeFamily \(from family\): unknown families code "hats"/);
    expect(mappingError.message).toMatch(/value "BARREL" is not mapped/);
  });

  it("names a record without its external id", () => {
    expect(() => createImportConverter(mapping).convert({ ...akeneo, identifier: "" }, { lookups })).toThrow(
      /record without an id.*externalId \(from identifier\): is missing/,
    );
  });

  it("rejects a relationship rule with no or two kinds", () => {
    expect(() => createImportConverter({ type: "x", externalId: "id", relationships: { a: {} as never } })).toThrow(MappingDefinitionError);
  });

  // Speed is measured by the benchmarks (the brief: no timed tests); this checks that one compiled
  // converter keeps no state between 10,000 records.
  it("converts 10,000 records with one compiled converter, each on its own", () => {
    const convert = createImportConverter(mapping);
    const records = Array.from({ length: 10_000 }, (_, i) => ({ ...akeneo, identifier: `SKU-${i}` }));
    const skus = records.map((record) => convert.convert(record, { lookups }).data.attributes?.sku);
    expect(new Set(skus).size).toBe(10_000);
    expect(skus[9_999]).toBe("SKU-9999");
  });
});

describe("Function: createExportConverter", () => {
  const order = {
    type: "orders",
    id: "5",
    attributes: { identifier: "SO-1", totalValue: "20.5000", createdAt: "2024-03-01T10:00:00Z" },
    relationships: {
      customer: { data: { type: "customers", id: "3" } },
      lineItems: {
        data: [
          { type: "orderlineitems", id: "8" },
          { type: "orderlineitems", id: "9" },
        ],
      },
      shippingAddress: { data: null },
    },
  };
  const included = [
    { type: "customers", id: "3", attributes: { externalId: "ERP-C3", name: "Initech" } },
    { type: "orderlineitems", id: "8", attributes: { productSku: "A", quantity: "2.000", productUnitCode: "each" } },
    { type: "orderlineitems", id: "9", attributes: { productSku: "B", quantity: "1", productUnitCode: "kg" } },
  ];

  it("reads attributes and included relationships into nested output", () => {
    const toErp = createExportConverter({
      externalId: "identifier",
      fields: {
        orderNumber: { from: "identifier", required: true },
        "customer.number": { from: "customer.externalId", required: true },
        total: { from: "totalValue", type: "decimal", precision: 2 },
        placedOn: { from: "createdAt", type: "date" },
        lines: {
          each: "lineItems",
          required: true,
          fields: { sku: { from: "productSku" }, qty: { from: "quantity", type: "number" }, uom: { from: "productUnitCode", map: { each: "EA", kg: "KG" } } },
        },
      },
    });

    expect(toErp.convert(order, included)).toEqual({
      orderNumber: "SO-1",
      customer: { number: "ERP-C3" },
      total: "20.5",
      placedOn: "2024-03-01",
      lines: [
        { sku: "A", qty: 2, uom: "EA" },
        { sku: "B", qty: 1, uom: "KG" },
      ],
    });
  });

  it("raises a MappingError naming the Oro record and the field", () => {
    const toErp = createExportConverter({ externalId: "identifier", fields: { "ship.city": { from: "shippingAddress.city", required: true } } });

    expect(() => toErp.convert(order, included)).toThrow(/orders 5 "SO-1" cannot be mapped: ship.city \(from shippingAddress.city\): is required but missing/);
  });
});

describe("Function: mergeMapping", () => {
  it("merges objects, replaces scalars and arrays, removes keys set to null, and leaves the default intact", () => {
    const merged = mergeMapping(mapping, {
      attributes: { status: { map: { true: "disabled" } }, weight: null },
      relationships: { names: { localized: { locales: { fr_FR: "3" } } } },
      meta: { upsert: ["sku", "organization"] },
    });

    expect(merged.attributes?.status).toEqual({ from: "enabled", map: { true: "disabled", false: "disabled" }, default: "disabled" });
    expect(merged.attributes?.weight).toBeUndefined();
    expect(merged.relationships?.names).toMatchObject({ localized: { locales: { de_DE: "2", fr_FR: "3" }, defaultLocale: "en_US" } });
    expect(merged.meta).toEqual({ upsert: ["sku", "organization"] });
    expect(mapping.attributes?.weight).toBeDefined();
  });

  it("rejects an override that is not an object", () => {
    expect(() => mergeMapping(mapping, "sku")).toThrow(/settings.mapping must be an object/);
  });
});
