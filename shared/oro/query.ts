/**
 * Query strings of Oro's JSON:API (docs/reference/oro-api.md §3): `filter[f]=v`, `filter[f][op]=v`, arrays as
 * comma lists (= OR), `sort=a,-b`, `fields[type]=a,b`, `include=a,b.c`, `page[size]`, `page[number]`.
 */

/** Filter operators Oro knows (string LIKE operators must be enabled per field in api.yml). */
export type FilterOperator =
  | "eq"
  | "neq"
  | "lt"
  | "lte"
  | "gt"
  | "gte"
  | "exists"
  | "neq_or_null"
  | "contains"
  | "not_contains"
  | "starts_with"
  | "not_starts_with"
  | "ends_with"
  | "not_ends_with"
  | "empty";

/** A filter value; arrays become comma lists (OR), dates become `YYYY-MM-DDTHH:MM:SSZ`, `"a..b"` is a range. */
export type FilterValue = string | number | boolean | Date | ReadonlyArray<string | number>;

/** `{ sku: "A1" }` -> `filter[sku]=A1`; `{ updatedAt: { gt: date } }` -> `filter[updatedAt][gt]=...`. */
export type Filters = Record<string, FilterValue | Partial<Record<FilterOperator, FilterValue>>>;

/** What a list request may ask for. */
export interface ListQuery {
  /** Filters (AND between fields). Default none. */
  filter?: Filters;
  /** Sort fields, `-` for descending. Default Oro's: id ascending. */
  sort?: string | readonly string[];
  /** Sparse fieldsets per type; Oro recommends always restricting them. Default all fields. */
  fields?: Record<string, string | readonly string[]>;
  /** Relationships to side-load into `included`. Default none. */
  include?: string | readonly string[];
  /** Page size and number. Default Oro's: size 10, number 1 (the iterator uses 100). */
  page?: { size?: number; number?: number };
}

const list = (value: string | readonly string[]): string => (typeof value === "string" ? value : value.join(","));

/** Oro's datetime format: seconds, `Z`, no milliseconds. */
export const formatOroDateTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

const formatValue = (value: FilterValue): string => {
  if (value instanceof Date) return formatOroDateTime(value);
  if (Array.isArray(value)) return value.map(String).join(",");
  return String(value);
};

// Brackets stay literal for readable logs; values are percent-encoded (a `+` in a date offset must be %2B).
// encodeURIComponent throws URIError on a lone surrogate (a JSON "\ud800" in a SKU): it becomes U+FFFD, which matches nothing.
const encode = (text: string): string => encodeURIComponent(text.replace(/\p{Cs}/gu, "\uFFFD"));
const pair = (key: string, value: string): string => `${key}=${encode(value)}`;
const name = (part: string): string => encode(part);

/** The query string (without `?`) for `query`; empty when there is nothing to ask. */
export const buildQuery = (query: ListQuery = {}): string => {
  const parts: string[] = [];
  for (const [field, spec] of Object.entries(query.filter ?? {})) {
    if (spec === undefined) continue;
    if (typeof spec === "object" && !(spec instanceof Date) && !Array.isArray(spec)) {
      for (const [op, value] of Object.entries(spec as Record<string, FilterValue | undefined>)) {
        if (value !== undefined) parts.push(pair(`filter[${name(field)}][${name(op)}]`, formatValue(value)));
      }
    } else {
      parts.push(pair(`filter[${name(field)}]`, formatValue(spec as FilterValue)));
    }
  }
  if (query.sort !== undefined) parts.push(pair("sort", list(query.sort)));
  for (const [type, fields] of Object.entries(query.fields ?? {})) parts.push(pair(`fields[${name(type)}]`, list(fields)));
  if (query.include !== undefined) parts.push(pair("include", list(query.include)));
  if (query.page?.size !== undefined) parts.push(pair("page[size]", String(query.page.size)));
  if (query.page?.number !== undefined) parts.push(pair("page[number]", String(query.page.number)));
  return parts.join("&");
};
