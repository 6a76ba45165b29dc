import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MissingIdentifierError } from "../functions/akeneo-products/identifier";
import { createProductConverter as converterFor } from "../functions/akeneo-products/mapping";
import { MappingError } from "../shared/converters";
import { ConfigurationError } from "../shared/errors";
import { generateProduct } from "../sandboxes/akeneo";

/** Akeneo's reference example product, unchanged (test/fixtures/akeneo/README.md names its source). */
const referenceProduct = JSON.parse(readFileSync(new URL("./fixtures/akeneo/product-uuid.example.json", import.meta.url), "utf8")) as Record<
  string,
  unknown
> & { uuid: string; values: Record<string, unknown[]> };

const failure = (run: () => unknown): unknown => {
  try {
    run();
  } catch (caught) {
    return caught;
  }
  return undefined;
};

const lookups = {
  attributeFamilies: new Map([
    ["default_family", "1"],
    ["accessories", "4"],
  ]),
};

describe("Mapping: akeneo-products default", () => {
  it("maps an Akeneo product to an Oro product keyed by SKU, descriptions included", () => {
    const item = converterFor({}).convert(generateProduct(7), { lookups });

    // No meta: write.ts decides update-by-id or create (stock Oro allows no upsert on products).
    expect(item.data.meta).toBeUndefined();
    expect(item.data.attributes).toEqual({ sku: "AK-00007", status: "enabled", productType: "simple" });
    expect(item.data.relationships?.attributeFamily?.data).toEqual({ type: "attributefamilies", id: "4" });
    expect(item.data.relationships?.inventory_status?.data).toEqual({ type: "prodinventorystatuses", id: "discontinued" });
    const descriptions = item.included?.filter((r) => r.type === "productdescriptions") ?? [];
    expect(descriptions.map((d) => [(d.attributes?.wysiwyg as { value: string }).value.slice(0, 20), d.relationships?.localization?.data])).toEqual([
      ["AK-00007: Built to l", null],
      ["AK-00007: Beschreibu", { type: "localizations", id: "2" }],
    ]);
    expect(item.included?.find((r) => r.type === "productunitprecisions")).toMatchObject({
      attributes: { precision: 3, conversionRate: "1", sell: true },
      relationships: { unit: { data: { type: "productunits", id: "kg" } } },
    });
  });

  it("skips a product with an unknown family or a unit Oro does not know, naming each", () => {
    const product = generateProduct(8);
    const bad = { ...product, family: "shoes", values: { ...product.values, unit: [{ locale: null, scope: null, data: "BARREL" }] } };

    const error = (() => {
      try {
        converterFor({}).convert(bad, { lookups });
      } catch (caught) {
        return caught as MappingError;
      }
    })();

    expect(error).toBeInstanceOf(MappingError);
    expect(error?.message).toMatch(/^products "AK-00008" cannot be mapped: /);
    expect(error?.issues.map((i) => i.field)).toEqual(["relationships.attributeFamily", "relationships.primaryUnitPrecision.unit"]);
  });

  it("takes deploy-config overrides deep-merged over the default", () => {
    const settings = { mapping: { relationships: { descriptions: null, names: { localized: { locales: { de_DE: "2", fr_FR: "3" } } } } } };
    const product = generateProduct(9);
    product.values.name?.push({ locale: "fr_FR", scope: null, data: "Produit 9" });

    const item = converterFor(settings).convert(product, { lookups });

    expect(item.included?.some((r) => r.type === "productdescriptions")).toBe(false);
    expect(item.included?.filter((r) => r.type === "productnames").map((r) => r.attributes?.string)).toEqual(["Product 9", "Produkt 9", "Produit 9"]);
  });

  it("reads the SKU of Akeneo's reference example product from values.sku, not from a root identifier", () => {
    const item = converterFor({}).convert(referenceProduct, { lookups: { attributeFamilies: new Map([["tshirt", "12"]]) } });

    expect(referenceProduct).not.toHaveProperty("identifier");
    expect(item.data.attributes).toEqual({ sku: "top", status: "enabled", productType: "simple" });
    expect(item.data.relationships?.attributeFamily?.data).toEqual({ type: "attributefamilies", id: "12" });
    expect(item.included?.filter((r) => r.type === "productnames").map((r) => [r.attributes?.string, r.relationships?.localization?.data ?? null])).toEqual([
      ["Top", null],
    ]);
    expect(item.included?.filter((r) => r.type === "productdescriptions").map((r) => (r.attributes?.wysiwyg as { value: string }).value)).toEqual([
      "Summer top",
    ]);
  });

  it("reads the SKU from the identifier attribute the settings name (a catalog whose main identifier is ean)", () => {
    const product = generateProduct(5);
    product.values.ean = [{ locale: null, scope: null, data: "4006381333931" }];

    const item = converterFor({ identifierAttribute: "ean" }).convert(product, { lookups });

    expect(item.data.attributes?.sku).toBe("4006381333931");
    expect(converterFor({ identifierAttribute: "ean" }).externalIdOf(product)).toBe("4006381333931");
  });

  it("skips a product without an identifier value (optional since November 2022) with an error naming its uuid and the attribute", () => {
    const { sku: _removed, ...values } = referenceProduct.values;
    const product = { ...referenceProduct, family: "shoes", values };

    const error = failure(() => converterFor({}).convert(product, { lookups }));

    expect(error).toBeInstanceOf(MissingIdentifierError);
    expect((error as MappingError).message).toMatch(
      /^Akeneo product "25566245-55c3-42ce-86d9-8610ac459fa8" cannot be mapped: attributes\.sku \(from values\.sku\[locale=null,scope=null\]\.data\): is empty: the product has no value for the identifier attribute "sku"/,
    );
    expect((error as MappingError).externalId).toBe("25566245-55c3-42ce-86d9-8610ac459fa8");
    expect((error as MappingError).issues.map((i) => i.field)).toEqual(["attributes.sku", "relationships.attributeFamily"]);
  });

  it("refuses an identifierAttribute setting that is not an attribute code", () => {
    const error = failure(() => converterFor({ identifierAttribute: "values.sku" }));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/settings\.identifierAttribute .* got "values\.sku"/);
  });

  it("skips a product without family by default, and lands it in the Oro family a deploy-config default names", () => {
    const product = { ...generateProduct(6), family: null };
    const settings = { mapping: { relationships: { attributeFamily: { ref: { id: { default: "1" } } } } } };

    const error = failure(() => converterFor({}).convert(product, { lookups }));
    const item = converterFor(settings).convert(product, { lookups });

    expect((error as MappingError).issues.map((i) => [i.field, i.problem])).toEqual([["relationships.attributeFamily", "is required but missing"]]);
    expect(item.data.relationships?.attributeFamily?.data).toEqual({ type: "attributefamilies", id: "1" });
  });

  it("treats values given as [] (PHP's empty array) as no values: the product lacks its identifier", () => {
    const product = { uuid: "fa0b115e-46ec-4527-beab-7207452f1b47", enabled: true, family: "accessories", values: [] };

    const error = failure(() => converterFor({}).convert(product, { lookups }));

    expect(error).toBeInstanceOf(MissingIdentifierError);
    expect((error as MappingError).externalId).toBe("fa0b115e-46ec-4527-beab-7207452f1b47");
  });
});
