import { createImportConverter, mergeMapping, MappingError } from "../../shared/converters";
import type { ImportConverter, ImportMapping } from "../../shared/converters";
import { identifierAttributeOf, identifierPath, MissingIdentifierError } from "./identifier";

/**
 * Akeneo product (products-uuid JSON) -> Oro `products`, matched by SKU (write.ts updates the product
 * Oro already has by id and creates the others: stock Oro allows no upsert on products,
 * docs/reference/oro-writes.md §2). Data, not logic: the
 * deploy config overrides any part through `settings.mapping` (deep-merged; `null` drops a field),
 * e.g. `{ "relationships": { "names": { "localized": { "locales": { "fr_FR": "3" } } } } }`.
 *
 * - sku: the value of the identifier attribute, `values.sku` by default (`settings.identifierAttribute`;
 *   products-uuid has no root `identifier`); a product without one is skipped, naming its uuid.
 * - status: `enabled` true/false -> enabled/disabled.
 * - attributeFamily: Akeneo family code -> Oro attribute family with the same `code` (lookup
 *   `attributeFamilies`, loaded from Oro); an unknown family skips the product.
 * - names / descriptions: Akeneo localized values -> Oro localized fallback values: en_US is the
 *   default value, de_DE goes to localization 2; descriptions from the `ecommerce` channel.
 * - primaryUnitPrecision: the `unit` attribute (mapped to an Oro unit code; unknown = skipped) and
 *   `unit_precision` (Oro's unit / precision attributes of its Akeneo connector).
 * - inventory_status: the `inventory_status` simple select, `in_stock` when empty.
 */
export const productMappingFor = (identifierAttribute: string): ImportMapping => ({
  type: "products",
  externalId: identifierPath(identifierAttribute),
  attributes: {
    sku: { from: identifierPath(identifierAttribute), required: true, type: "string", maxLength: 255 },
    status: { from: "enabled", map: { true: "enabled", false: "disabled" }, default: "disabled" },
    productType: { const: "simple" },
  },
  relationships: {
    attributeFamily: { ref: { type: "attributefamilies", id: { from: "family", lookup: "attributeFamilies", required: true } } },
    inventory_status: {
      ref: {
        type: "prodinventorystatuses",
        id: {
          from: "values.inventory_status[locale=null].data",
          map: { in_stock: "in_stock", out_of_stock: "out_of_stock", discontinued: "discontinued" },
          default: "in_stock",
        },
      },
    },
    names: {
      localized: {
        type: "productnames",
        from: "values.name",
        valueAttribute: "string",
        defaultLocale: "en_US",
        locales: { de_DE: "2" },
        required: true,
        maxLength: 255,
      },
    },
    descriptions: {
      localized: {
        type: "productdescriptions",
        from: "values.description",
        valueAttribute: "wysiwyg",
        wrapIn: "value",
        defaultLocale: "en_US",
        locales: { de_DE: "2" },
        scope: "ecommerce",
      },
    },
    primaryUnitPrecision: {
      nested: {
        type: "productunitprecisions",
        attributes: {
          precision: { from: "values.unit_precision[locale=null].data", type: "integer", default: 0 },
          conversionRate: { const: 1, type: "decimal" },
          sell: { const: true },
        },
        relationships: {
          unit: {
            type: "productunits",
            id: {
              from: "values.unit[locale=null].data",
              map: { PIECE: "piece", EACH: "each", ITEM: "item", SET: "set", KILOGRAM: "kg", HOUR: "hour" },
              default: "each",
              required: true,
            },
          },
        },
      },
    },
  },
});

/**
 * The product converter for these connector settings: the mapping for
 * `settings.identifierAttribute` with `settings.mapping` deep-merged over it. A product without
 * an identifier value fails with {@link MissingIdentifierError}, which names its uuid (the
 * converter alone could only say "record without an id").
 */
export const createProductConverter = (settings: Readonly<Record<string, unknown>>): ImportConverter => {
  const attribute = identifierAttributeOf(settings);
  const converter = createImportConverter(mergeMapping(productMappingFor(attribute), settings.mapping));
  return {
    ...converter,
    convert(source, options) {
      try {
        return converter.convert(source, options);
      } catch (error) {
        if (!(error instanceof MappingError) || converter.externalIdOf(source) !== undefined) throw error;
        const uuid = String((source as { uuid?: unknown }).uuid ?? "(no uuid)");
        throw new MissingIdentifierError(
          uuid,
          attribute,
          error.issues.filter((i) => i.field !== "externalId" && i.field !== "attributes.sku"),
        );
      }
    },
  };
};
