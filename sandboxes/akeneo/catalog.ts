import { createHash } from "node:crypto";

/** One value of an Akeneo attribute (`values.<code>[]`). */
export interface AkeneoValue {
  locale: string | null;
  scope: string | null;
  data: unknown;
}

/**
 * A product as `GET /api/rest/v1/products-uuid` returns it (pim-api-docs
 * content/swagger/resources/products_uuid/definitions/product_uuid.yaml): no root `identifier`;
 * the identifier is the value of the identifier attribute (`values.sku` in the generated
 * catalog), optional since November 2022.
 */
export interface AkeneoProduct {
  uuid: string;
  enabled: boolean;
  family: string | null;
  categories: string[];
  groups: string[];
  parent: string | null;
  values: Record<string, AkeneoValue[]>;
  created: string;
  updated: string;
  associations: Record<string, { groups: string[]; products: string[]; product_models: string[] }>;
  quantified_associations: Record<
    string,
    { products: Array<{ uuid: string; quantity: number }>; product_models: Array<{ identifier: string; quantity: number }> }
  >;
  [extra: string]: unknown;
}

/** The identifier attribute of the generated catalog (Akeneo's default, `sku`). */
export const IDENTIFIER_ATTRIBUTE = "sku";

/**
 * The identifier of a product: the data of its `attribute` value (locale and scope null), or
 * undefined for a product without one (allowed since November 2022).
 */
export const identifierOf = (product: { values?: Record<string, AkeneoValue[] | undefined> }, attribute = IDENTIFIER_ATTRIBUTE): string | undefined => {
  const data = product.values?.[attribute]?.find((v) => v.locale === null && v.scope === null)?.data;
  return typeof data === "string" && data !== "" ? data : undefined;
};

/** Options of {@link generateCatalog}. */
export interface CatalogOptions {
  /** Products to generate (default 0). */
  count?: number;
  /** Identifier prefix (default `AK-`): identifiers are `AK-00001`... */
  prefix?: string;
  /** `updated` (and `created`) of the generated products, ISO (default 2024-01-01T00:00:00Z). */
  updatedAt?: string;
  /** Family codes, used in turn (default `default_family`, `accessories`). */
  families?: string[];
  /** Characters of each English description (default 200); drives page size in bytes. */
  descriptionChars?: number;
}

const LOREM = "Built to last, tested in the field, made from recycled materials and shipped in plastic-free packaging. ";
const UNITS = ["PIECE", "PIECE", "SET", "KILOGRAM"] as const;
const STATUSES = ["in_stock", "in_stock", "out_of_stock", "discontinued"] as const;

/** A UUID derived from a text: the same product gets the same uuid on every run. */
export const stableUuid = (text: string): string => {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Akeneo's JSON date form, `2024-01-01T10:00:00+00:00`. */
export const akeneoDate = (time: Date | string): string => new Date(time).toISOString().replace(/\.\d{3}Z$/, "+00:00");

const scalar = (data: unknown): AkeneoValue[] => [{ locale: null, scope: null, data }];

/**
 * The `n`-th generated product (1-based), deterministic: names in en_US and de_DE, descriptions
 * for the `ecommerce` channel, a unit and precision (Oro's unit/precision attributes), a weight
 * metric, an inventory status, every 10th product disabled.
 */
export const generateProduct = (n: number, options: CatalogOptions = {}): AkeneoProduct => {
  const identifier = `${options.prefix ?? "AK-"}${String(n).padStart(5, "0")}`;
  const families = options.families ?? ["default_family", "accessories"];
  const at = akeneoDate(options.updatedAt ?? "2024-01-01T00:00:00Z");
  const unit = UNITS[n % UNITS.length] as string;
  const chars = options.descriptionChars ?? 200;
  const text = LOREM.repeat(Math.ceil(chars / LOREM.length)).slice(0, chars);
  return {
    uuid: stableUuid(identifier),
    enabled: n % 10 !== 0,
    family: families[n % families.length] ?? null,
    categories: [`category_${n % 7}`],
    groups: [],
    parent: null,
    values: {
      sku: scalar(identifier),
      name: [
        { locale: "en_US", scope: null, data: `Product ${n}` },
        { locale: "de_DE", scope: null, data: `Produkt ${n}` },
      ],
      description: [
        { locale: "en_US", scope: "ecommerce", data: `${identifier}: ${text}` },
        { locale: "de_DE", scope: "ecommerce", data: `${identifier}: Beschreibung` },
        { locale: "en_US", scope: "print", data: `${identifier} (print)` },
      ],
      unit: scalar(unit),
      unit_precision: scalar(unit === "KILOGRAM" ? 3 : 0),
      weight: scalar({ amount: `${(n % 50) + 0.5}000`, unit: "KILOGRAM" }),
      inventory_status: scalar(STATUSES[n % STATUSES.length]),
    },
    created: at,
    updated: at,
    associations: {},
    quantified_associations: {},
  };
};

/** Generates `count` products (see {@link generateProduct}). */
export const generateCatalog = (options: CatalogOptions = {}): AkeneoProduct[] =>
  Array.from({ length: options.count ?? 0 }, (_, i) => generateProduct(i + 1, options));
