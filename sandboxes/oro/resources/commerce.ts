import { randomUUID } from "node:crypto";
import { validationError } from "../jsonapi/errors";
import type { ErrorObject } from "../jsonapi/errors";
import { normalizeDecimal } from "../jsonapi/values";
import type { AttributeDef, Ref, ResourceDef, StoredRecord } from "../model";
import { attrFilter, idFilter, ownership, ref, relFilter, timestamps } from "./fields";

/** Pricing, inventory, customers and orders (back-office types of docs/reference/oro-api.md §2.1). */

/**
 * `externalId` (6.1.10+/7.0.2+): extend column `external_id` string(36), hidden from the UI, unique
 * through the entity-config `unique_key` (commerce 6.1.11 InventoryBundle/OrderBundle and portal
 * CustomerBundle installers and migrations `AddExternalIdTo*Entity.php`; label "External ID" in
 * their messages.en.yml).
 */
const externalIdAttribute = (): AttributeDef => ({ type: "string", maxLength: 36, unique: true, uniqueKeyLabel: "External ID" });

const toOne = (value: unknown): Ref | undefined => (value && !Array.isArray(value) ? (value as Ref) : undefined);

export const pricelists: ResourceDef = {
  type: "pricelists",
  source: "docs/reference/oro-api.md §2.1 (pricelists, update_list enabled)",
  idStrategy: "sequence",
  attributes: {
    name: { type: "string", required: true, maxLength: 255 },
    active: { type: "boolean", default: () => true },
    // PricingBundle api.yml exposes the currencies as `priceListCurrencies` (data_type currency[]).
    priceListCurrencies: { type: "array", default: () => ["USD"] },
    ...timestamps(),
  },
  relationships: { ...ownership("organizations") },
  actions: ["get", "get_list", "create", "update", "delete", "delete_list", "update_list"],
  filters: { id: idFilter(), active: attrFilter("active", "boolean") },
  sorters: ["id"],
};

function validateProductPrice({ record, pointer, resolve }: Parameters<NonNullable<ResourceDef["validate"]>>[0]): ErrorObject[] {
  const errors: ErrorObject[] = [];
  const priceList = toOne(record.relationships.priceList);
  const product = toOne(record.relationships.product);
  const unit = toOne(record.relationships.unit);
  const currency = record.attributes.currency;
  const list = priceList ? resolve(priceList) : undefined;
  // ProductPriceCurrency: the currency must be one of the price list's currencies.
  if (list && typeof currency === "string" && Array.isArray(list.attributes.priceListCurrencies) && !list.attributes.priceListCurrencies.includes(currency)) {
    errors.push(
      validationError("product price currency constraint", `Currency "${currency}" is not valid for current price list.`, `${pointer}/attributes/currency`),
    );
  }
  // ProductPriceAllowedUnits: the unit must be one of the product's unit precisions.
  const productRecord = product ? resolve(product) : undefined;
  if (productRecord && unit) {
    const units = (Array.isArray(productRecord.relationships.unitPrecisions) ? productRecord.relationships.unitPrecisions : []).map(
      (p) => toOne(resolve(p)?.relationships.unit)?.id,
    );
    if (!units.includes(unit.id)) {
      errors.push(
        validationError(
          "product price allowed units constraint",
          `Unit "${unit.id}" is not allowed for product "${String(productRecord.attributes.sku)}".`,
          `${pointer}/relationships/unit/data`,
        ),
      );
    }
  }
  return errors;
}

export const productprices: ResourceDef = {
  type: "productprices",
  source: "commerce@6.1:src/Oro/Bundle/PricingBundle/Resources/doc/api/product_price.md; PricingBundle api.yml",
  idStrategy: "uuid",
  attributes: {
    quantity: { type: "decimal", required: true },
    currency: { type: "string", required: true, maxLength: 3 },
    value: { type: "decimal", required: true },
  },
  relationships: {
    priceList: { target: "pricelists", required: true, cascadeDelete: true },
    product: { target: "products", required: true, cascadeDelete: true },
    unit: { target: "productunits", required: true },
  },
  actions: ["get", "get_list", "create", "update", "delete", "delete_list", "update_list"],
  filters: {
    id: { field: "id", kind: "id", valueType: "id" },
    priceList: relFilter("priceList"),
    product: relFilter("product"),
    unit: relFilter("unit"),
    currency: attrFilter("currency", "string"),
    quantity: attrFilter("quantity", "decimal", true),
    value: attrFilter("value", "decimal", true),
  },
  sorters: ["id"],
  requiredFilters: ["priceList"],
  // No upsert: the id is a generated UUID (BaseProductPrice `GeneratedValue(strategy: 'UUID')`) and the
  // unique constraint oro_pricing_price_list_uidx lists columns (product_id, price_list_id, unit_code, ...)
  // that CompleteUpsertConfig cannot map to API field names, so no key is derived; PricingBundle api.yml adds none.
  validate: validateProductPrice,
  // `<uuid>-<priceListId>` (product_price.md).
  makeId: (record: StoredRecord) => `${randomUUID()}-${toOne(record.relationships.priceList)?.id ?? "0"}`,
};

export const inventorylevels: ResourceDef = {
  type: "inventorylevels",
  source:
    "commerce@6.1:src/Oro/Bundle/InventoryBundle/Resources/config/oro/api.yml (create/delete/delete_list false; product, productUnitPrecision not mapped)",
  idStrategy: "sequence",
  attributes: {
    quantity: { type: "decimal", required: true, default: () => "0" },
    externalId: externalIdAttribute(),
  },
  relationships: {
    product: { target: "products", readOnly: true, cascadeDelete: true },
    productUnitPrecision: { target: "productunitprecisions", readOnly: true, cascadeDelete: true },
    organization: { target: "organizations", readOnly: true, default: () => ref("organizations", "1") },
  },
  actions: ["get", "get_list", "update", "update_list"],
  filters: {
    id: idFilter(),
    product: relFilter("product"),
    productUnitPrecision: relFilter("productUnitPrecision"),
    externalId: attrFilter("externalId", "string"),
  },
  sorters: ["id"],
};

export const customergroups: ResourceDef = {
  type: "customergroups",
  source: "docs/reference/oro-api.md §2.1 (customergroups)",
  idStrategy: "sequence",
  attributes: { name: { type: "string", required: true, maxLength: 255 }, ...timestamps() },
  relationships: { ...ownership() },
  actions: ["get", "get_list", "create", "update", "delete"],
  filters: { id: idFilter() },
  sorters: ["id"],
};

export const customers: ResourceDef = {
  type: "customers",
  source: "portal@6.1:src/Oro/Bundle/CustomerBundle/Resources/config/oro/api.yml; externalId 6.1.10+ (docs/reference/oro-api.md §2.2)",
  idStrategy: "sequence",
  attributes: {
    name: { type: "string", required: true, maxLength: 255 },
    externalId: externalIdAttribute(),
    ...timestamps(),
  },
  relationships: {
    parent: { target: "customers" },
    group: { target: "customergroups" },
    ...ownership(),
  },
  actions: ["get", "get_list", "create", "update", "delete", "delete_list", "update_list"],
  filters: {
    id: idFilter(),
    name: attrFilter("name", "string"),
    externalId: attrFilter("externalId", "string"),
    parent: relFilter("parent"),
    group: relFilter("group"),
    createdAt: attrFilter("createdAt", "datetime", true),
    updatedAt: attrFilter("updatedAt", "datetime", true),
  },
  sorters: ["id", "name", "createdAt", "updatedAt"],
  // No upsert: generated id, and externalId's uniqueness is an entity-config unique_key, not a unique
  // column, so CompleteUpsertConfig finds no key.
};

export const customerusers: ResourceDef = {
  type: "customerusers",
  source: "portal@6.1 CustomerBundle api.yml (customerusers, update_list); externalId 6.1.10+",
  idStrategy: "sequence",
  attributes: {
    email: { type: "string", required: true, maxLength: 255, unique: true, caseInsensitive: true },
    firstName: { type: "string", required: true, maxLength: 255 },
    lastName: { type: "string", required: true, maxLength: 255 },
    enabled: { type: "boolean", default: () => true },
    confirmed: { type: "boolean", default: () => true },
    externalId: externalIdAttribute(),
    ...timestamps(),
  },
  relationships: { customer: { target: "customers", required: true }, ...ownership() },
  actions: ["get", "get_list", "create", "update", "delete", "delete_list", "update_list"],
  filters: {
    id: idFilter(),
    email: attrFilter("email", "string"),
    externalId: attrFilter("externalId", "string"),
    customer: relFilter("customer"),
    updatedAt: attrFilter("updatedAt", "datetime", true),
  },
  sorters: ["id", "email", "updatedAt"],
  // No upsert: generated id; email has only plain indexes (idx_oro_customer_user_email, portal 6.1.11
  // Entity/CustomerUser.php) and externalId a unique_key, neither a unique column.
  validate: ({ record, pointer }) =>
    typeof record.attributes.email === "string" && !/^[^@\s]+@[^@\s]+$/.test(record.attributes.email)
      ? [validationError("email constraint", "This value is not a valid email address.", `${pointer}/attributes/email`)]
      : [],
};

export const orderaddresses: ResourceDef = {
  type: "orderaddresses",
  source: "docs/reference/oro-api.md §2.1 (orderaddresses; order.md billingAddress -> orderaddresses)",
  idStrategy: "sequence",
  attributes: {
    label: { type: "string", maxLength: 255 },
    firstName: { type: "string", maxLength: 255 },
    lastName: { type: "string", maxLength: 255 },
    organization: { type: "string", maxLength: 255 },
    street: { type: "string", required: true, maxLength: 500 },
    city: { type: "string", required: true, maxLength: 255 },
    postalCode: { type: "string", required: true, maxLength: 255 },
    phone: { type: "string", maxLength: 255 },
  },
  relationships: { country: { target: "countries", required: true } },
  actions: ["get", "get_list", "create", "update"],
  filters: { id: idFilter() },
  sorters: ["id"],
};

export const orderlineitems: ResourceDef = {
  type: "orderlineitems",
  source: "docs/reference/oro-api.md §2.1 (orderlineitems, no update_list); order.md lineItems with included",
  idStrategy: "sequence",
  attributes: {
    productSku: { type: "string", maxLength: 255 },
    productName: { type: "string", maxLength: 255 },
    freeFormProduct: { type: "string", maxLength: 255 },
    quantity: { type: "decimal", required: true },
    productUnitCode: { type: "string", readOnly: true },
    value: { type: "decimal" },
    currency: { type: "string", maxLength: 3 },
    comment: { type: "string" },
  },
  relationships: {
    order: { target: "orders", required: true, setByParent: true, cascadeDelete: true },
    product: { target: "products" },
    productUnit: { target: "productunits", required: true },
  },
  actions: ["get", "get_list", "create", "update", "delete"],
  filters: { id: idFilter(), order: relFilter("order"), product: relFilter("product") },
  sorters: ["id"],
  validate: ({ record, pointer }) =>
    !record.relationships.product && !record.attributes.freeFormProduct
      ? [validationError("not blank constraint", "Please choose Product.", `${pointer}/relationships/product/data`)]
      : [],
  beforeSave: ({ record, resolve }) => {
    const product = toOne(record.relationships.product);
    const productRecord = product ? resolve(product) : undefined;
    if (productRecord && !record.attributes.productSku) record.attributes.productSku = productRecord.attributes.sku;
    record.attributes.productUnitCode = toOne(record.relationships.productUnit)?.id ?? null;
  },
};

/** Subtotal/total = sum(quantity * value) of the line items, as strings. */
function computeOrderTotals(order: StoredRecord, _created: boolean, env: Parameters<NonNullable<ResourceDef["afterSave"]>>[2]): void {
  let total = 0;
  for (const item of Array.isArray(order.relationships.lineItems) ? order.relationships.lineItems : []) {
    const line = env.store.get(item);
    if (line) total += Number(line.attributes.quantity ?? 0) * Number(line.attributes.value ?? 0);
  }
  const text = normalizeDecimal(total.toFixed(4));
  order.attributes.subtotalValue = text;
  order.attributes.totalValue = text;
}

export const orders: ResourceDef = {
  type: "orders",
  source: "commerce@6.1:src/Oro/Bundle/OrderBundle/Resources/config/oro/api.yml; order.md (customer required, lineItems via included)",
  idStrategy: "sequence",
  attributes: {
    identifier: { type: "string", maxLength: 255, unique: true },
    poNumber: { type: "string", maxLength: 255 },
    customerNotes: { type: "string" },
    currency: { type: "string", required: true, maxLength: 3, default: () => "USD" },
    subtotalValue: { type: "decimal", readOnly: true },
    totalValue: { type: "decimal", readOnly: true },
    externalId: externalIdAttribute(),
    ...timestamps(),
  },
  relationships: {
    customer: { target: "customers", required: true },
    customerUser: { target: "customerusers" },
    billingAddress: { target: "orderaddresses" },
    shippingAddress: { target: "orderaddresses" },
    lineItems: { target: "orderlineitems", toMany: true, inverse: "order" },
    shippingTrackings: { target: "ordershippingtrackings", toMany: true, readOnly: true, default: () => [] },
    ...ownership(),
  },
  actions: ["get", "get_list", "create", "update", "delete", "delete_list", "update_list"],
  filters: {
    id: idFilter(),
    identifier: attrFilter("identifier", "string"),
    poNumber: attrFilter("poNumber", "string"),
    externalId: attrFilter("externalId", "string"),
    customer: relFilter("customer"),
    customerUser: relFilter("customerUser"),
    createdAt: attrFilter("createdAt", "datetime", true),
    updatedAt: attrFilter("updatedAt", "datetime", true),
  },
  sorters: ["id", "identifier", "createdAt", "updatedAt"],
  // `identifier` is a unique column (Entity/Order.php `unique: true`), so CompleteUpsertConfig derives
  // ["identifier"]; externalId is a unique_key only, no upsert key.
  upsertKeys: [["identifier"]],
  validate: ({ record, pointer }) =>
    !Array.isArray(record.relationships.lineItems) || record.relationships.lineItems.length === 0
      ? [validationError("count constraint", "Please add at least one Line Item.", `${pointer}/relationships/lineItems/data`)]
      : [],
  afterSave: (order, created, env) => {
    if (created && !order.attributes.identifier) order.attributes.identifier = order.id;
    computeOrderTotals(order, created, env);
    env.store.mustTable("orders").put(order);
  },
};

export const ordershippingtrackings: ResourceDef = {
  type: "ordershippingtrackings",
  source: "commerce@6.1 OrderBundle order_shipping_tracking.md (attrs method, number; relationship orders to-many)",
  idStrategy: "sequence",
  attributes: { method: { type: "string", required: true, maxLength: 255 }, number: { type: "string", required: true, maxLength: 255 } },
  relationships: { orders: { target: "orders", toMany: true, required: true } },
  actions: ["get", "get_list", "create", "update", "delete"],
  filters: { id: idFilter(), orders: relFilter("orders") },
  sorters: ["id"],
  // Keeps orders.shippingTrackings in step with the tracking's `orders`.
  afterSave: (tracking, _created, env) => {
    const table = env.store.mustTable("orders");
    for (const orderRef of Array.isArray(tracking.relationships.orders) ? tracking.relationships.orders : []) {
      const order = table.get(orderRef.id);
      if (!order) continue;
      const list = Array.isArray(order.relationships.shippingTrackings) ? order.relationships.shippingTrackings : [];
      if (list.some((r) => r.id === tracking.id)) continue;
      // A copy, so a rolled-back transaction restores the untouched order.
      table.put({ ...order, relationships: { ...order.relationships, shippingTrackings: [...list, ref("ordershippingtrackings", tracking.id)] } });
    }
  },
};

export const commerceResources: readonly ResourceDef[] = [
  pricelists,
  productprices,
  inventorylevels,
  customergroups,
  customers,
  customerusers,
  orderaddresses,
  orderlineitems,
  orders,
  ordershippingtrackings,
];
