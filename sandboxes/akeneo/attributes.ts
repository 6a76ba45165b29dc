import { AkeneoHttpError, searchEntries } from "./http";

/**
 * An attribute as `GET /api/rest/v1/attributes` returns it: the fields of the reference example
 * (pim-api-docs content/swagger/resources/attributes/routes/attributes.yaml), plus
 * `is_main_identifier` on identifier attributes only (pim-community-dev
 * Pim/Structure/Component/Normalizer/ExternalApi/AttributeNormalizer.php).
 */
export interface AkeneoAttribute {
  code: string;
  type: string;
  group: string;
  unique: boolean;
  localizable: boolean;
  scopable: boolean;
  labels: Record<string, string>;
  is_main_identifier?: boolean;
  [field: string]: unknown;
}

/** The attribute types the generated catalog uses (catalog-structure.md lists them all). */
export type AttributeType =
  "pim_catalog_identifier" | "pim_catalog_text" | "pim_catalog_textarea" | "pim_catalog_simpleselect" | "pim_catalog_number" | "pim_catalog_metric";

/** One attribute with the defaults of the reference example for everything not given. */
export const attribute = (code: string, type: AttributeType, options: Partial<AkeneoAttribute> = {}): AkeneoAttribute => ({
  code,
  type,
  group: "other",
  group_labels: { en_US: "Other" },
  unique: type === "pim_catalog_identifier",
  useable_as_grid_filter: type === "pim_catalog_identifier",
  allowed_extensions: [],
  metric_family: null,
  default_metric_unit: null,
  reference_data_name: null,
  available_locales: [],
  max_characters: null,
  validation_rule: null,
  validation_regexp: null,
  wysiwyg_enabled: false,
  number_min: null,
  number_max: null,
  decimals_allowed: false,
  negative_allowed: false,
  date_min: null,
  date_max: null,
  max_file_size: null,
  minimum_input_length: null,
  sort_order: 0,
  localizable: false,
  scopable: false,
  default_value: null,
  labels: { en_US: code },
  is_mandatory: false,
  decimal_places_strategy: null,
  decimal_places: null,
  ...(type === "pim_catalog_identifier" ? { is_main_identifier: false } : {}),
  ...options,
});

/** The attributes of the generated catalog (sandboxes/akeneo/catalog.ts): `sku` is the main identifier. */
export const defaultAttributes = (): AkeneoAttribute[] => [
  attribute("sku", "pim_catalog_identifier", { is_main_identifier: true, labels: { en_US: "SKU" } }),
  attribute("name", "pim_catalog_text", { localizable: true, labels: { en_US: "Name" } }),
  attribute("description", "pim_catalog_textarea", { localizable: true, scopable: true, wysiwyg_enabled: true, labels: { en_US: "Description" } }),
  attribute("unit", "pim_catalog_simpleselect", { labels: { en_US: "Unit" } }),
  attribute("unit_precision", "pim_catalog_number", { labels: { en_US: "Unit precision" } }),
  attribute("weight", "pim_catalog_metric", { metric_family: "Weight", default_metric_unit: "KILOGRAM", decimals_allowed: true, labels: { en_US: "Weight" } }),
  attribute("inventory_status", "pim_catalog_simpleselect", { labels: { en_US: "Inventory status" } }),
];

type Check = (filter: { operator?: unknown; value?: unknown }) => Array<string | undefined>;

/** PHP names of a JSON value's type as Akeneo's Type constraint prints them in `{{ givenType }}`. */
const typeName = (value: unknown) =>
  Array.isArray(value)
    ? "array"
    : value === null
      ? "null"
      : typeof value === "number"
        ? Number.isInteger(value)
          ? "int"
          : "float"
        : typeof value === "boolean"
          ? "bool"
          : typeof value;

const arrayOfStrings = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === "string");

/**
 * The search filters of the attributes list and their constraint messages, operator and value
 * checked independently (a Collection constraint reports every violation). The operator messages
 * print Symfony IdenticalTo's `{{ compared_value }}` (the expected operator, not the one sent) and
 * the attribute types message its Type's `{{ type }}` (the expected type): Akeneo's texts as they
 * come out, odd as they read. Source: pim-community-dev
 * Pim/Structure/Bundle/Doctrine/ORM/Repository/ExternalApi/AttributeRepository.php
 * validateSearchFilters; all messages of one search are joined with a space, answered as a 422.
 */
const CHECKS: Record<string, Check> = {
  code: (f) => [
    f.operator !== "IN" ? 'In order to search on attribute codes you must use "IN" operator, "IN" given.' : undefined,
    arrayOfStrings(f.value)
      ? undefined
      : `In order to search on attribute codes you must send an array of attribute codes as value, ${typeName(f.value)} given.`,
  ],
  updated: (f) => [
    f.operator !== ">" ? 'Searching on the "updated" property require the ">" (greater than) operator, ">" given.' : undefined,
    typeof f.value === "string" && !Number.isNaN(Date.parse(f.value)) ? undefined : "This value is not a valid datetime.",
  ],
  type: (f) => [
    f.operator !== "IN" ? 'In order to search on attribute types you must use "IN" operator, "IN" given.' : undefined,
    arrayOfStrings(f.value) ? undefined : "In order to search on attribute types you must send an array of attribute types as value, array given.",
  ],
  is_main_identifier: (f) => [
    f.operator !== "=" ? `In order to search on attribute is_main_identifier you must use "=" operator, ${JSON.stringify(f.operator)} given.` : undefined,
    typeof f.value === "boolean" ? undefined : 'The "is_main_identifier" filter requires a boolean value, and the submitted value is not.',
  ],
};

/** Parses the attributes list's `search` into a predicate (422 with Akeneo's texts when invalid). */
export const parseAttributeSearch = (raw: string | null): ((a: AkeneoAttribute) => boolean) => {
  if (raw === null) return () => true;
  const entries = searchEntries(raw);
  const messages: string[] = [];
  for (const [property, filters] of entries) {
    const check = CHECKS[property];
    if (!check)
      throw new AkeneoHttpError(
        422,
        `Available search filters are "${Object.keys(CHECKS).join(", ")}" and you tried to search on unavailable filter "${property}"`,
      );
    for (const filter of Array.isArray(filters) ? (filters as Array<{ operator?: unknown; value?: unknown }>) : []) {
      for (const problem of check(typeof filter === "object" && filter !== null ? filter : {})) if (problem) messages.push(problem);
    }
  }
  if (messages.length > 0) throw new AkeneoHttpError(422, messages.join(" "));
  const predicates = entries.flatMap(([property, filters]) =>
    (filters as Array<{ value: unknown }>).map((f): ((a: AkeneoAttribute) => boolean) => {
      if (property === "code") return (a) => (f.value as string[]).includes(a.code);
      if (property === "type") return (a) => (f.value as string[]).includes(a.type);
      if (property === "is_main_identifier") return (a) => (a.is_main_identifier === true) === f.value;
      return () => true; // `updated >`: the sandbox's attributes never change.
    }),
  );
  return (a) => predicates.every((p) => p(a));
};
