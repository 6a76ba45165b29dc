/**
 * Mapping definitions: plain data (reviewable, JSON-serialisable, overridable from the deploy
 * config through `settings.mapping`), turned into fast converters by `createImportConverter` and
 * `createExportConverter`.
 */

/** Value types a field can be coerced to. Decimals become strings, as Oro's API reads and writes them. */
export type ValueType = "string" | "integer" | "number" | "decimal" | "boolean" | "datetime" | "date";

/**
 * How one target field gets its value. Order of evaluation: `from` (or `const`) -> `map` ->
 * `lookup` -> `default` -> `type`/`precision` -> `required`.
 */
export interface FieldRule {
  /** Dot path into the source (see `compilePath`), e.g. `values.name[locale=en_US].data`. */
  from?: string;
  /** A fixed value instead of `from`. */
  const?: unknown;
  /**
   * Value map, keyed by the source value as a string (`"true"`, `"PIECE"`). A value not in the map
   * is a mapping error unless `"*"` is a key (its value is used) or `passThrough` is set.
   */
  map?: Record<string, unknown>;
  /** Keep values that are not keys of `map` unchanged. Default `false`. */
  passThrough?: boolean;
  /** Name of a lookup table passed at convert time (code -> Oro id); an unknown code is a mapping error. */
  lookup?: string;
  /** Used when the value is missing (undefined, null or ""). */
  default?: unknown;
  /** Missing after `default` -> mapping error. Default `false` (the field is left out). */
  required?: boolean;
  /** Coerce the value; a value that does not fit is a mapping error. Default: left as read. */
  type?: ValueType;
  /** `decimal`: digits kept after the point (rounded half away from zero). `string`: ignored. */
  precision?: number;
  /** `string`: longest value accepted (Oro's column length), longer is a mapping error. */
  maxLength?: number;
}

/** A to-one relationship to a record that already exists in the target (family, status, unit). */
export interface RefRule {
  /** Resource type of the related record, e.g. `attributefamilies`. */
  type: string;
  /** The related record's id. */
  id: FieldRule;
}

/**
 * Localized values (Akeneo `values.name[]` of `{locale, scope, data}`) -> Oro localized fallback
 * values (`productnames`): one related record for the default locale (no localization) plus one
 * per mapped locale, created (or updated, see `reuse`) in `included`.
 */
export interface LocalizedRule {
  /** Resource type of the localized records, e.g. `productnames`, `productdescriptions`. */
  type: string;
  /** Path of the values array, e.g. `values.name`. */
  from: string;
  /** Attribute of the localized record that holds the text, e.g. `string`, `text`, `wysiwyg`. */
  valueAttribute: string;
  /**
   * Wrap the text in an object under this key: Oro's WYSIWYG fields (`productdescriptions.wysiwyg`)
   * take `{ "value": "<p>...</p>" }`. Default: the text as is.
   */
  wrapIn?: string;
  /** Source locale of the default (unlocalized) value, e.g. `en_US`. */
  defaultLocale: string;
  /** Other source locales -> Oro localization ids, e.g. `{ "de_DE": "2" }`. Default none. */
  locales?: Record<string, string>;
  /** Channel (scope) to read; values with scope `null` always match. Default: any scope. */
  scope?: string | null;
  /** Item keys of a value entry. Default `locale`, `scope`, `data`. */
  keys?: { locale?: string; scope?: string; data?: string };
  /** The default-locale value must exist. Default `false`. */
  required?: boolean;
  /** Longest text accepted. Default unlimited. */
  maxLength?: number;
}

/** A related record built from the source and written with the primary one (in `included`). */
export interface NestedRule {
  /** Resource type of the nested record, e.g. `productunitprecisions`. */
  type: string;
  attributes?: Record<string, FieldRule>;
  relationships?: Record<string, RefRule>;
}

/** One relationship of an import mapping: exactly one of `ref`, `localized`, `nested`. */
export type RelationshipRule = { ref: RefRule } | { localized: LocalizedRule } | { nested: NestedRule };

/** External record -> Oro JSON:API resource (attributes, relationships, included). */
export interface ImportMapping {
  /** Oro resource type, e.g. `products`. */
  type: string;
  /** Path of the record's external id (names the record in errors and alerts), e.g. `identifier`. */
  externalId: string;
  attributes?: Record<string, FieldRule>;
  relationships?: Record<string, RelationshipRule>;
  /** `meta` of the primary resource, e.g. `{ "upsert": ["sku"] }`. Default none. */
  meta?: Record<string, unknown>;
}

/** Oro resource (with its `included`) -> external JSON. */
export interface ExportMapping {
  /** Path in the Oro record view of its external id, e.g. `sku` or `identifier`. */
  externalId: string;
  /**
   * Output dot path -> rule reading from the record view: attributes by name, `id`, `type`, and
   * relationships resolved from `included` (to-one: an object view, to-many: an array), e.g.
   * `customer.name`, `lineItems[0].productSku`.
   */
  fields: Record<string, FieldRule | EachRule>;
}

/** Maps an array of the record view (e.g. order line items) to an array of objects. */
export interface EachRule {
  /** Path of the array in the record view, e.g. `lineItems`. */
  each: string;
  fields: Record<string, FieldRule>;
  /** An empty or missing array is a mapping error. Default `false`. */
  required?: boolean;
}
