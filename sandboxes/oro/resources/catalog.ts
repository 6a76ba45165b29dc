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
  // SkuRegex with Oro's default `oro_product.sku.regex_pattern` `/^[-_a-zA-Z0-9]*$/` (commerce 6.1.11
  // ProductBundle Resources/config/services.yml; message validators.en.yml `sku.not_match_regex`).
  if (typeof sku === "string" && !/^[-_a-zA-Z0-9]*$/.test(sku)) {
    errors.push(
      validationError("sku regex constraint", 'This value should contain only latin letters, numbers and symbols "-" or "_".', `${pointer}/attributes/sku`),
    );
  }
  // NotBlankDefaultLocalizedFallbackValue on names: a name without localization must exist.
  const names = refs(record.relationships.names).map((r) => ctx.resolve(r));
  const hasDefaultName = names.some(
    (n) => n && n.relationships.localization == null && typeof n.attributes.string === "string" && n.attributes.string.trim() !== "",
  );
  // Texts from commerce 6.1.11 ProductBundle translations/validators.en.yml, as ProductTest.php asserts them.
  if (!hasDefaultName)
    errors.push(
      validationError("not blank default localized fallback value constraint", "Product default name is blank", `${pointer}/relationships/names/data`),
    );
  // The create action adds Count(min 1) on names (ProductBundle api.yml `actions: create: fields: names`).
  if (!ctx.existing && names.length === 0)
    errors.push(validationError("count constraint", "This collection should contain 1 element or more.", `${pointer}/relationships/names/data`));
  // unitPrecisions: Count(min 1); primaryUnitPrecision: NotBlank (first unit precision becomes primary when omitted).
  if (refs(record.relationships.unitPrecisions).length === 0 && !record.relationships.primaryUnitPrecision) {
    errors.push(validationError("count constraint", "Please add one or more product units.", `${pointer}/relationships/unitPrecisions/data`));
  }
  // UniqueProductUnitCode on unitPrecisions: one precision per unit (and a unique DB index on product + unit).
  // ProductTest.php testTryToCreateWithDuplicateUnitPrecision: a form constraint naming the unit.
  const units = refs(record.relationships.unitPrecisions).map((r) => (ctx.resolve(r)?.relationships.unit as Ref | null | undefined)?.id);
  const duplicate = units.find((unit, index) => unit !== undefined && units.indexOf(unit) !== index);
  if (duplicate !== undefined) {
    errors.push(
      validationError("form constraint", `Unit precision "${duplicate}" already exists for this product.`, `${pointer}/relationships/unitPrecisions/data`),
    );
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
  const existing = new Set(
    [...levels.findByRelation("product", product.id)].map((id) => (levels.get(id)?.relationships.productUnitPrecision as Ref | null)?.id),
  );
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
  // No upsert at all: the id is generated and the only unique constraint is (sku, organization_id),
  // whose organization is not an API field, so CompleteUpsertConfig switches upsert off; the
  // ProductBundle api.yml adds none (commerce 6.1.11/7.0.4 Entity/Product.php, Resources/config/oro/api.yml;
  // platform Processor/GetConfig/JsonApi/CompleteUpsertConfig.php). Any meta.upsert -> 400 "The upsert operation is not allowed.".
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

/**
 * Product units: ids are the codes; all actions on (ProductBundle api.yml has no `actions` for
 * ProductUnit); the four labels are NotBlank on create and upsert works by id because the id is not
 * generated (commerce 6.1.11 Tests/Functional/Api/RestJsonApi/ProductUnitTest.php,
 * responses/cget_product_units.yml; Migrations/Data/ORM/LoadProductUnitData.php for the installed
 * units and precisions; labels from Resources/translations/jsmessages.en.yml).
 */
export const productunits: ResourceDef = {
  type: "productunits",
  source: "commerce 6.1.11 ProductBundle api.yml (ProductUnit); ProductUnitTest.php; LoadProductUnitData.php",
  idStrategy: "code",
  attributes: {
    defaultPrecision: { type: "integer", default: () => 0 },
    label: { type: "string", required: true, maxLength: 255 },
    shortLabel: { type: "string", required: true, maxLength: 255 },
    pluralLabel: { type: "string", required: true, maxLength: 255 },
    shortPluralLabel: { type: "string", required: true, maxLength: 255 },
  },
  relationships: {},
  actions: ["get", "get_list", "create", "update", "delete", "delete_list"],
  filters: { id: { field: "id", kind: "id", valueType: "id" } },
  sorters: ["id"],
};
export const prodinventorystatuses = referenceData(
  "prodinventorystatuses",
  "commerce 6.1.11 ProductBundle api.yml (Extend\\Entity\\EV_Prod_Inventory_Status enum); get_product_by_id.yml (inventory_status -> prodinventorystatuses in_stock)",
  { name: { type: "string" } },
);
export const attributefamilies = referenceData(
  "attributefamilies",
  "product.md (attributeFamily -> attributefamilies)",
  { code: { type: "string" } },
  "sequence",
);
/**
 * Localizations: read-only (create/update/delete/delete_list false), attributes name, languageCode,
 * formattingCode, rtlMode, timestamps; parent/child relationships (platform 6.1.11
 * LocaleBundle/Resources/config/oro/api.yml, Tests/Functional/Api/RestJsonApi/LocalizationTest.php,
 * responses/get_localization.yml).
 */
export const localizations: ResourceDef = {
  type: "localizations",
  source: "platform 6.1.11 LocaleBundle api.yml (Localization: create/update/delete/delete_list false); LocalizationTest.php; get_localization.yml",
  idStrategy: "sequence",
  attributes: {
    name: { type: "string" },
    languageCode: { type: "string" },
    formattingCode: { type: "string" },
    rtlMode: { type: "boolean", default: () => false },
    ...timestamps(),
  },
  relationships: {
    parentLocalization: { target: "localizations" },
    childLocalizations: { target: "localizations", toMany: true },
  },
  actions: ["get", "get_list"],
  filters: { id: idFilter(), languageCode: attrFilter("languageCode", "string"), formattingCode: attrFilter("formattingCode", "string") },
  sorters: ["id"],
};
export const organizations = referenceData("organizations", "get_product_by_id.yml (organization)", { name: { type: "string" } }, "sequence");
export const businessunits = referenceData("businessunits", "get_product_by_id.yml (owner -> businessunits)", { name: { type: "string" } }, "sequence");
export const users = referenceData("users", "asyncoperations owner -> users (docs/reference/oro-api.md §5.1)", { username: { type: "string" } }, "sequence");
/**
 * Countries and regions: dictionaries, read-only (POST/PATCH/DELETE/DELETE list -> 405 `OPTIONS, GET`);
 * country id = ISO2, attributes iso3Code, name, to-many `regions`; region id = combined code
 * (`US-CA`), attributes code, name, to-one `country` (platform 6.1.11 AddressBundle
 * Resources/config/oro/api.yml; Tests/Functional/Api/RestJsonApi/CountryTest.php, RegionTest.php,
 * responses/get_country.yml, get_region.yml).
 */
export const countries: ResourceDef = {
  type: "countries",
  source: "platform 6.1.11 AddressBundle api.yml (Country); CountryTest.php; get_country.yml",
  idStrategy: "code",
  attributes: { iso3Code: { type: "string" }, name: { type: "string" } },
  relationships: { regions: { target: "regions", toMany: true } },
  actions: ["get", "get_list"],
  filters: { id: { field: "id", kind: "id", valueType: "id" } },
  sorters: ["id"],
};
export const regions: ResourceDef = {
  type: "regions",
  source: "platform 6.1.11 AddressBundle api.yml (Region: filters combinedCode, country allow_array); RegionTest.php; get_region.yml",
  idStrategy: "code",
  attributes: { code: { type: "string" }, name: { type: "string" } },
  relationships: { country: { target: "countries" } },
  actions: ["get", "get_list"],
  filters: { id: { field: "id", kind: "id", valueType: "id" }, country: relFilter("country") },
  sorters: ["id"],
};

export const catalogResources: readonly ResourceDef[] = [
  products,
  productnames,
  productdescriptions,
  productunitprecisions,
  productunits,
  prodinventorystatuses,
  attributefamilies,
  localizations,
  organizations,
  businessunits,
  users,
  countries,
  regions,
];
