import { validationError } from "../jsonapi/errors";
import type { ErrorObject } from "../jsonapi/errors";
import type { Ref, ResourceDef, StoredRecord } from "../model";
import { attrFilter, idFilter, ownership, ref, relFilter, timestamps } from "./fields";

/**
 * Product catalog resources. Shapes: commerce@6.1:src/Oro/Bundle/ProductBundle/Resources/doc/api/product.md
 * and Tests/Functional/Api/RestJsonApi/responses/get_product_by_id.yml; constraints:
 * commerce@6.1:src/Oro/Bundle/ProductBundle/Resources/config/validation.yml.
 */

const productStatuses = ["enabled", "disabled"] as const;
const productTypes = ["simple", "configurable", "kit"] as const;

function refs(value: unknown): Ref[] {
  return Array.isArray(value) ? (value as Ref[]) : [];
}

function validateProduct(ctx: Parameters<NonNullable<ResourceDef["validate"]>>[0]): ErrorObject[] {
  const errors: ErrorObject[] = [];
  const { record, pointer } = ctx;
  const sku = record.attributes.sku;
  // SkuRegex: Oro's default pattern forbids whitespace in SKUs.
  if (typeof sku === "string" && /\s/.test(sku)) {
    errors.push(validationError("sku regex constraint", "This value should contain only latin letters, numbers and symbols \"-\" or \"_\".", `${pointer}/attributes/sku`));
  }
  // NotBlankDefaultLocalizedFallbackValue on names: a name without localization must exist.
  const names = refs(record.relationships.names).map((r) => ctx.resolve(r));
  const hasDefaultName = names.some((n) => n && n.relationships.localization == null && typeof n.attributes.string === "string" && n.attributes.string.trim() !== "");
  if (!hasDefaultName) errors.push(validationError("not blank default localized fallback value constraint", "Product default name is blank.", `${pointer}/relationships/names/data`));
  // unitPrecisions: Count(min 1); primaryUnitPrecision: NotBlank (first unit precision becomes primary when omitted).
  if (refs(record.relationships.unitPrecisions).length === 0 && !record.relationships.primaryUnitPrecision) {
    errors.push(validationError("count constraint", "The product should have at least one unit precision.", `${pointer}/relationships/unitPrecisions/data`));
  }
  // UniqueProductUnitCode on unitPrecisions: one precision per unit (and a unique DB index on product + unit).
  const units = refs(record.relationships.unitPrecisions).map((r) => (ctx.resolve(r)?.relationships.unit as Ref | null | undefined)?.id);
  if (new Set(units).size !== units.length) {
    errors.push(validationError("unique product unit code constraint", "Unit precisions must have unique units.", `${pointer}/relationships/unitPrecisions/data`));
  }
  return errors;
}

function completeUnitPrecisions(ctx: Parameters<NonNullable<ResourceDef["beforeSave"]>>[0]): void {
  const rels = ctx.record.relationships;
  const list = refs(rels.unitPrecisions);
  const primary = rels.primaryUnitPrecision as Ref | null | undefined;
  // product.md: without primaryUnitPrecision the first of unitPrecisions becomes primary; a primary not in the list joins it.
  if (!primary && list[0]) rels.primaryUnitPrecision = list[0];
  if (primary && !list.some((r) => r.id === primary.id)) rels.unitPrecisions = [primary, ...list];
}

/** Oro creates an inventory level for every new unit precision of a product (InventoryBundle listeners). */
function createInventoryLevels(product: StoredRecord, _created: boolean, env: Parameters<NonNullable<ResourceDef["afterSave"]>>[2]): void {
  const levels = env.store.mustTable("inventorylevels");
  const existing = new Set([...levels.findByRelation("product", product.id)].map((id) => (levels.get(id)?.relationships.productUnitPrecision as Ref | null)?.id));
  for (const precision of refs(product.relationships.unitPrecisions)) {
    if (existing.has(precision.id)) continue;
    const id = levels.nextId();
    levels.put({
      type: "inventorylevels",
      id,
      attributes: { quantity: "0", externalId: null },
      relationships: { product: ref("products", product.id), productUnitPrecision: precision, organization: ref("organizations", "1") },
    });
  }
}

export const products: ResourceDef = {
  type: "products",
  source: "commerce@6.1:src/Oro/Bundle/ProductBundle/Resources/config/oro/api.yml; validation.yml",
  idStrategy: "sequence",
  attributes: {
    sku: { type: "string", required: true, minLength: 3, maxLength: 255, unique: true, caseInsensitive: true },
    status: { type: "string", required: true, choices: productStatuses, default: () => "disabled" },
    productType: { type: "string", required: true, choices: productTypes, default: () => "simple" },
    featured: { type: "boolean", default: () => false },
    newArrival: { type: "boolean", default: () => false },
    variantFields: { type: "array", default: () => [] },
    ...timestamps(),
  },
  relationships: {
    names: { target: "productnames", toMany: true, inverse: "product" },
    descriptions: { target: "productdescriptions", toMany: true, inverse: "product" },
    unitPrecisions: { target: "productunitprecisions", toMany: true, inverse: "product" },
    primaryUnitPrecision: { target: "productunitprecisions", inverse: "product" },
    inventory_status: { target: "prodinventorystatuses", required: true },
    attributeFamily: { target: "attributefamilies", required: true },
    ...ownership("businessunits"),
  },
  actions: ["get", "get_list", "create", "update", "delete", "delete_list", "update_list"],
  filters: {
    id: idFilter(),
    sku: attrFilter("sku", "string"),
    status: attrFilter("status", "string"),
    productType: attrFilter("productType", "string"),
    inventory_status: relFilter("inventory_status"),
    attributeFamily: relFilter("attributeFamily"),
    createdAt: attrFilter("createdAt", "datetime", true),
    updatedAt: attrFilter("updatedAt", "datetime", true),
  },
  sorters: ["id", "sku", "createdAt", "updatedAt"],
  // Project decision (companion bundle `upsert: {add: [[sku]]}`); stock Oro likely lacks it (docs/reference/oro-api.md §4 INFERENCE).
  upsertKeys: [["sku"]],
  validate: validateProduct,
  beforeSave: completeUnitPrecisions,
  afterSave: createInventoryLevels,
};

/**
 * A product's localized fallback values (names, descriptions): one row per localization (none =
 * the default), owned by the product, with a fallback or its own value attribute(s).
 */
const productLocalizedValues = (type: string, source: string, value: ResourceDef["attributes"]): ResourceDef => ({
  type,
  source,
  idStrategy: "sequence",
  attributes: { fallback: { type: "string", maxLength: 64, choices: ["system", "parent_localization"] }, ...value },
  relationships: {
    localization: { target: "localizations" },
    product: { target: "products", setByParent: true, readOnly: true, cascadeDelete: true },
  },
  actions: ["get", "get_list", "create", "update"],
  filters: { id: idFilter(), product: relFilter("product"), localization: relFilter("localization") },
  sorters: ["id"],
});

export const productnames = productLocalizedValues("productnames", "commerce@6.1 ProductBundle validation.yml (ProductName: fallback max 64, string max 255)", {
  string: { type: "string", maxLength: 255 },
});

// The WYSIWYG field is exposed as one object {value, style, properties} (Oro's WYSIWYG API data type).
export const productdescriptions = productLocalizedValues(
  "productdescriptions",
  "commerce@6.1 ProductBundle Entity/ProductDescription.php (wysiwyg, wysiwygStyle, wysiwygProperties); ProductBundle api.yml",
  { wysiwyg: { type: "json" } },
);

export const productunitprecisions: ResourceDef = {
  type: "productunitprecisions",
  source: "commerce@6.1 ProductBundle validation.yml (ProductUnitPrecision: unit NotBlank, precision 0..10, unique product+unit)",
  idStrategy: "sequence",
  attributes: {
    precision: { type: "integer", required: true, default: () => 0 },
    conversionRate: { type: "decimal", default: () => "1" },
    sell: { type: "boolean", default: () => true },
  },
  relationships: {
    unit: { target: "productunits", required: true },
    product: { target: "products", required: true, setByParent: true, cascadeDelete: true },
  },
  actions: ["get", "get_list", "create", "update", "delete"],
  filters: { id: idFilter(), product: relFilter("product"), unit: relFilter("unit") },
  sorters: ["id"],
  validate: ({ record, pointer }) => {
    const precision = record.attributes.precision;
    return typeof precision === "number" && (precision < 0 || precision > 10)
      ? [validationError("range constraint", "This value should be between 0 and 10.", `${pointer}/attributes/precision`)]
      : [];
  },
};

/** Read-only reference data the catalog points at. */
const referenceData = (type: string, source: string, attributes: ResourceDef["attributes"], idStrategy: ResourceDef["idStrategy"] = "code"): ResourceDef => ({
  type,
  source,
  idStrategy,
  attributes,
  relationships: {},
  actions: ["get", "get_list"],
  filters: { id: idFilter() },
  sorters: ["id"],
});

export const productunits = referenceData("productunits", "docs/reference/oro-api.md §2 (unit ids are codes: item, set)", { defaultPrecision: { type: "integer" } });
export const prodinventorystatuses = referenceData("prodinventorystatuses", "get_product_by_id.yml (inventory_status -> prodinventorystatuses in_stock)", { name: { type: "string" } });
export const attributefamilies = referenceData("attributefamilies", "product.md (attributeFamily -> attributefamilies)", { code: { type: "string" } }, "sequence");
export const localizations = referenceData("localizations", "product.md (localizedfallbackvalues -> localizations)", { name: { type: "string" }, formattingCode: { type: "string" } }, "sequence");
export const organizations = referenceData("organizations", "get_product_by_id.yml (organization)", { name: { type: "string" } }, "sequence");
export const businessunits = referenceData("businessunits", "get_product_by_id.yml (owner -> businessunits)", { name: { type: "string" } }, "sequence");
export const users = referenceData("users", "asyncoperations owner -> users (docs/reference/oro-api.md §5.1)", { username: { type: "string" } }, "sequence");
export const countries = referenceData("countries", "docs/reference/oro-api.md §2 (countries have code ids, \"US\")", { name: { type: "string" } });

export const catalogResources: readonly ResourceDef[] = [
  products, productnames, productdescriptions, productunitprecisions, productunits, prodinventorystatuses, attributefamilies, localizations, organizations, businessunits, users, countries,
];
