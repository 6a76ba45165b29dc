import { randomUUID } from "node:crypto";
import { formatDateTime } from "../jsonapi/values";
import type { OroStore, Ref, StoredRecord } from "../model";

/** What a seeded product looks like; everything but `sku` has a default. */
export interface SeedProduct {
  sku: string;
  name?: string;
  /** Localized names by localization id, e.g. `{ "2": "Hammer (DE)" }`. */
  localizedNames?: Record<string, string>;
  status?: "enabled" | "disabled";
  inventoryStatus?: "in_stock" | "out_of_stock" | "discontinued";
  unit?: string;
  quantity?: number;
  /** Price in the default price list (id 1), USD, for quantity 1 of `unit`. */
  price?: number;
}

const ref = (type: string, id: string): Ref => ({ type, id });

function put(
  store: OroStore,
  type: string,
  attributes: Record<string, unknown>,
  relationships: Record<string, Ref | Ref[] | null> = {},
  id?: string,
): StoredRecord {
  const table = store.mustTable(type);
  const record: StoredRecord = { type, id: id ?? table.nextId(), attributes, relationships };
  table.put(record);
  return record;
}

/** Reference data every Oro install has: organization, units, statuses, localizations, webhook topics/formats. */
export function seedReferenceData(store: OroStore): void {
  put(store, "organizations", { name: "ORO" }, {}, "1");
  put(store, "businessunits", { name: "Main" }, {}, "1");
  put(store, "users", { username: "admin" }, {}, "1");
  const at = formatDateTime();
  // en_US is what Oro's installer creates; de_DE stands for a merchant-added localization.
  put(
    store,
    "localizations",
    { name: "English (United States)", languageCode: "en", formattingCode: "en_US", rtlMode: false, createdAt: at, updatedAt: at },
    { parentLocalization: null, childLocalizations: [] },
    "1",
  );
  put(
    store,
    "localizations",
    { name: "German (Germany)", languageCode: "de", formattingCode: "de_DE", rtlMode: false, createdAt: at, updatedAt: at },
    { parentLocalization: null, childLocalizations: [] },
    "2",
  );
  put(store, "attributefamilies", { code: "default_family" }, {}, "1");
  for (const [id, name] of [
    ["in_stock", "In Stock"],
    ["out_of_stock", "Out of Stock"],
    ["discontinued", "Discontinued"],
  ] as const)
    put(store, "prodinventorystatuses", { name }, {}, id);
  // The units Oro installs (LoadProductUnitData.php) with their English labels (jsmessages.en.yml).
  const units = [
    ["each", 0, "each", "each", "ea", "ea"],
    ["hour", 0, "hour", "hours", "hr", "hrs"],
    ["item", 0, "item", "items", "item", "items"],
    ["kg", 3, "kilogram", "kilograms", "kg", "kgs"],
    ["piece", 0, "piece", "pieces", "pc", "pcs"],
    ["set", 0, "set", "sets", "set", "sets"],
  ] as const;
  for (const [id, defaultPrecision, label, pluralLabel, shortLabel, shortPluralLabel] of units)
    put(store, "productunits", { defaultPrecision, label, shortLabel, pluralLabel, shortPluralLabel }, {}, id);
  // A few of the countries/regions Oro installs from its dictionaries (AddressBundle data fixtures).
  const countries = [
    [
      "US",
      "USA",
      "United States",
      [
        ["CA", "California"],
        ["NY", "New York"],
        ["TX", "Texas"],
      ],
    ],
    [
      "DE",
      "DEU",
      "Germany",
      [
        ["BE", "Berlin"],
        ["BY", "Bayern"],
      ],
    ],
    [
      "GB",
      "GBR",
      "United Kingdom",
      [
        ["ENG", "England"],
        ["SCT", "Scotland"],
      ],
    ],
  ] as const;
  for (const [iso2, iso3Code, name, regionList] of countries) {
    const regionRefs = regionList.map(([code, regionName]) =>
      put(store, "regions", { code, name: regionName }, { country: ref("countries", iso2) }, `${iso2}-${code}`),
    );
    put(store, "countries", { iso3Code, name }, { regions: regionRefs.map((r) => ref("regions", r.id)) }, iso2);
  }
  for (const alias of ["order", "product", "customer", "customeruser"]) {
    for (const event of ["created", "updated", "deleted"]) put(store, "webhooktopics", { label: `${alias} ${event}` }, {}, `${alias}.${event}`);
  }
  put(store, "webhookformats", { label: "JSON:API" }, {}, "default");
  put(store, "webhookformats", { label: "Thin payload" }, {}, "thin");
  const now = formatDateTime();
  put(
    store,
    "pricelists",
    { name: "Default Price List", active: true, priceListCurrencies: ["USD", "EUR"], createdAt: now, updatedAt: now },
    { owner: ref("organizations", "1"), organization: ref("organizations", "1") },
    "1",
  );
}

/**
 * Stores a product with its name(s), one primary unit precision, an inventory level and a price,
 * straight into the tables (no validation), so seeding 10,000 products takes milliseconds.
 */
export function putProduct(store: OroStore, product: SeedProduct): StoredRecord {
  const now = formatDateTime();
  const productId = store.mustTable("products").nextId();
  const productRef = ref("products", productId);
  const names = [put(store, "productnames", { fallback: null, string: product.name ?? `Product ${product.sku}` }, { localization: null, product: productRef })];
  for (const [localization, name] of Object.entries(product.localizedNames ?? {})) {
    names.push(put(store, "productnames", { fallback: null, string: name }, { localization: ref("localizations", localization), product: productRef }));
  }
  const unit = product.unit ?? "each";
  const precision = put(
    store,
    "productunitprecisions",
    { precision: 0, conversionRate: "1", sell: true },
    { unit: ref("productunits", unit), product: productRef },
  );
  const precisionRef = ref("productunitprecisions", precision.id);
  const record = put(
    store,
    "products",
    {
      sku: product.sku,
      status: product.status ?? "enabled",
      productType: "simple",
      featured: false,
      newArrival: false,
      variantFields: [],
      createdAt: now,
      updatedAt: now,
    },
    {
      names: names.map((n) => ref("productnames", n.id)),
      unitPrecisions: [precisionRef],
      primaryUnitPrecision: precisionRef,
      inventory_status: ref("prodinventorystatuses", product.inventoryStatus ?? "in_stock"),
      attributeFamily: ref("attributefamilies", "1"),
      owner: ref("businessunits", "1"),
      organization: ref("organizations", "1"),
    },
    productId,
  );
  put(
    store,
    "inventorylevels",
    { quantity: String(product.quantity ?? 0), externalId: null },
    { product: productRef, productUnitPrecision: precisionRef, organization: ref("organizations", "1") },
  );
  if (product.price !== undefined) {
    const priceId = `${randomUUID()}-1`;
    put(
      store,
      "productprices",
      { quantity: "1", currency: "USD", value: String(product.price) },
      { priceList: ref("pricelists", "1"), product: productRef, unit: ref("productunits", unit) },
      priceId,
    );
  }
  return record;
}

/** Adds `count` synthetic products `<prefix>00001…` (for load tests). */
export function seedProducts(store: OroStore, count: number, prefix = "BULK-"): void {
  const start = store.mustTable("products").size;
  for (let i = 1; i <= count; i += 1) {
    const n = start + i;
    putProduct(store, { sku: `${prefix}${String(n).padStart(5, "0")}`, quantity: n % 100, price: 1 + (n % 50) });
  }
}

/**
 * Demo data: 30 products (inventory levels, prices in price list 1), 3 customers, 4 customer users,
 * 3 orders with 2 line items and addresses each. Deterministic, so tests can name what they expect.
 */
export function seedDemoData(store: OroStore): void {
  seedReferenceData(store);
  const statuses = ["in_stock", "in_stock", "out_of_stock"] as const;
  for (let i = 1; i <= 30; i += 1) {
    const sku = `SKU-${String(i).padStart(4, "0")}`;
    putProduct(store, {
      sku,
      name: `Demo product ${i}`,
      localizedNames: { "2": `Demoprodukt ${i}` },
      status: i % 10 === 0 ? "disabled" : "enabled",
      inventoryStatus: statuses[i % 3],
      quantity: (i * 7) % 50,
      price: 10 + i,
    });
  }
  const now = formatDateTime();
  const owner = { owner: ref("users", "1"), organization: ref("organizations", "1") };
  const customers = ["Acme Corp", "Globex", "Initech"].map((name, i) =>
    put(store, "customers", { name, externalId: `ERP-C${i + 1}`, createdAt: now, updatedAt: now }, { parent: null, group: null, ...owner }),
  );
  const users = [
    ["alice@acme.test", "Alice", "Adams", 0],
    ["bob@acme.test", "Bob", "Brown", 0],
    ["carol@globex.test", "Carol", "Clark", 1],
    ["dave@initech.test", "Dave", "Davis", 2],
  ] as const;
  const customerUsers = users.map(([email, firstName, lastName, c]) =>
    put(
      store,
      "customerusers",
      { email, firstName, lastName, enabled: true, confirmed: true, externalId: null, createdAt: now, updatedAt: now },
      { customer: ref("customers", customers[c]?.id ?? "1"), ...owner },
    ),
  );
  for (let o = 0; o < 3; o += 1) {
    const address = () =>
      put(
        store,
        "orderaddresses",
        {
          label: "Main",
          firstName: "Pat",
          lastName: "Lee",
          organization: customers[o]?.attributes.name,
          street: `${o + 1} Main St`,
          city: "Springfield",
          postalCode: "12345",
          phone: null,
        },
        { country: ref("countries", "US") },
      );
    const billing = address();
    const shipping = address();
    const orderId = store.mustTable("orders").nextId();
    const lines = [1, 2].map((l) => {
      const productId = String(o * 2 + l);
      const product = store.mustTable("products").get(productId);
      return put(
        store,
        "orderlineitems",
        {
          productSku: product?.attributes.sku ?? null,
          productName: `Demo product ${productId}`,
          freeFormProduct: null,
          quantity: String(l + o),
          productUnitCode: "each",
          value: String(10 + Number(productId)),
          currency: "USD",
          comment: null,
        },
        { order: ref("orders", orderId), product: ref("products", productId), productUnit: ref("productunits", "each") },
      );
    });
    const total = lines.reduce((sum, line) => sum + Number(line.attributes.quantity) * Number(line.attributes.value), 0);
    put(
      store,
      "orders",
      {
        identifier: `SO-${1000 + o + 1}`,
        poNumber: `PO-${o + 1}`,
        customerNotes: null,
        currency: "USD",
        subtotalValue: String(total),
        totalValue: String(total),
        externalId: null,
        createdAt: now,
        updatedAt: now,
      },
      {
        customer: ref("customers", customers[o]?.id ?? "1"),
        customerUser: ref("customerusers", customerUsers[o]?.id ?? "1"),
        billingAddress: ref("orderaddresses", billing.id),
        shippingAddress: ref("orderaddresses", shipping.id),
        lineItems: lines.map((l) => ref("orderlineitems", l.id)),
        shippingTrackings: [],
        ...owner,
      },
      orderId,
    );
  }
}
