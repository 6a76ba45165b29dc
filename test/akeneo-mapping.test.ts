import { describe, expect, it } from "vitest";
import { converterFor } from "../functions/akeneo-products/write";
import { MappingError } from "../shared/converters";
import { generateProduct } from "../sandboxes/akeneo";

const lookups = { attributeFamilies: new Map([["default_family", "1"], ["accessories", "4"]]) };

describe("Mapping: akeneo-products default", () => {
  it("maps an Akeneo product to an Oro product upserted by SKU, descriptions included", () => {
    const item = converterFor({}).convert(generateProduct(7), { lookups });

    expect(item.data.meta).toEqual({ upsert: ["sku"] });
    expect(item.data.attributes).toEqual({ sku: "AK-00007", status: "enabled", productType: "simple" });
    expect(item.data.relationships?.attributeFamily?.data).toEqual({ type: "attributefamilies", id: "4" });
    expect(item.data.relationships?.inventory_status?.data).toEqual({ type: "prodinventorystatuses", id: "discontinued" });
    const descriptions = item.included?.filter((r) => r.type === "productdescriptions") ?? [];
    expect(descriptions.map((d) => [(d.attributes?.wysiwyg as { value: string }).value.slice(0, 20), d.relationships?.localization?.data])).toEqual([
      ["AK-00007: Built to l", null],
      ["AK-00007: Beschreibu", { type: "localizations", id: "2" }],
    ]);
    expect(item.included?.find((r) => r.type === "productunitprecisions")).toMatchObject({ attributes: { precision: 3, conversionRate: "1", sell: true }, relationships: { unit: { data: { type: "productunits", id: "kg" } } } });
  });

  it("skips products without identifier, with an unknown family or a unit Oro does not know, naming each", () => {
    const product = generateProduct(8);
    const bad = { ...product, identifier: null, family: "shoes", values: { ...product.values, unit: [{ locale: null, scope: null, data: "BARREL" }] } };

    const error = (() => {
      try {
        converterFor({}).convert(bad, { lookups });
      } catch (caught) {
        return caught as MappingError;
      }
    })();

    expect(error).toBeInstanceOf(MappingError);
    expect(error?.issues.map((i) => i.field)).toEqual(["externalId", "attributes.sku", "relationships.attributeFamily", "relationships.primaryUnitPrecision.unit"]);
  });

  it("takes deploy-config overrides deep-merged over the default", () => {
    const settings = { mapping: { relationships: { descriptions: null, names: { localized: { locales: { de_DE: "2", fr_FR: "3" } } } } } };
    const product = generateProduct(9);
    product.values.name?.push({ locale: "fr_FR", scope: null, data: "Produit 9" });

    const item = converterFor(settings).convert(product, { lookups });

    expect(item.included?.some((r) => r.type === "productdescriptions")).toBe(false);
    expect(item.included?.filter((r) => r.type === "productnames").map((r) => r.attributes?.string)).toEqual(["Product 9", "Produkt 9", "Produit 9"]);
  });
});
