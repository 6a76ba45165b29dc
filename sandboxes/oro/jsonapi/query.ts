import type { FilterDef, ResourceDef } from "../model";
import { ApiError, apiErrors, errorObject } from "./errors";

/** Filter operators of Oro's REST API (platform@6.1 ApiBundle app.yml `filter_operators`). */
export type FilterOperator = "eq" | "neq" | "lt" | "lte" | "gt" | "gte" | "exists" | "neq_or_null";
const RANGE_OPERATORS = new Set<FilterOperator>(["lt", "lte", "gt", "gte"]);
const KNOWN_OPERATORS = new Set<string>([
  "eq",
  "neq",
  "lt",
  "lte",
  "gt",
  "gte",
  "exists",
  "neq_or_null",
  "contains",
  "not_contains",
  "starts_with",
  "not_starts_with",
  "ends_with",
  "not_ends_with",
  "empty",
]);

/** One `filter[name][op]=value` of a request. */
export interface ParsedFilter {
  name: string;
  def: FilterDef;
  operator: FilterOperator;
  /** The raw value (comma lists and `a..b` ranges are interpreted by the matcher). */
  value: string;
  parameter: string;
}

export interface SortField {
  field: string;
  descending: boolean;
}

/** The parsed query string of a JSON:API request. */
export interface ApiQuery {
  filters: ParsedFilter[];
  page: { number: number; size: number };
  /** Whether `page[size]` was given (kept in links). */
  explicitPageSize: boolean;
  sort: SortField[];
  include: string[][];
  fields: Map<string, Set<string>>;
}

/** oro_api.default_page_size (platform@6.1 ApiBundle Configuration.php). */
export const DEFAULT_PAGE_SIZE = 10;

function parsePositiveInteger(raw: string, parameter: string, allowMinusOne: boolean): number {
  if (!/^-?\d+$/.test(raw)) throw apiErrors.badValue(parameter, `Expected integer value. Given "${raw}".`);
  const value = Number(raw);
  if (value === -1 && allowMinusOne) return value;
  if (value < 1) throw apiErrors.filter(parameter, `Expected a positive integer value. Given "${raw}".`);
  return value;
}

/**
 * Parses filters, paging, sort, include and fields of a request to `def`.
 * Unknown filters answer 400 "filter constraint" (docs/reference/oro-api.md §3); `kind` decides which groups are allowed.
 */
export function parseQuery(url: URL, def: ResourceDef, kind: "list" | "item" | "delete_list"): ApiQuery {
  const query: ApiQuery = {
    filters: [],
    page: { number: 1, size: DEFAULT_PAGE_SIZE },
    explicitPageSize: false,
    sort: [{ field: "id", descending: false }],
    include: [],
    fields: new Map(),
  };
  const errors = [];
  for (const [key, value] of url.searchParams) {
    const filterMatch = /^filter\[([^\]]+)\](?:\[([^\]]+)\])?$/.exec(key);
    if (filterMatch && kind !== "item") {
      const name = filterMatch[1] ?? "";
      const filterDef = def.filters[name];
      if (!filterDef) {
        errors.push(errorObject(400, "filter constraint", "The filter is not supported.", { parameter: key }));
        continue;
      }
      const operator = (filterMatch[2] ?? "eq") as FilterOperator;
      if (
        !KNOWN_OPERATORS.has(operator) ||
        (RANGE_OPERATORS.has(operator) && !filterDef.range) ||
        !["eq", "neq", "exists", "neq_or_null", ...RANGE_OPERATORS].includes(operator)
      ) {
        errors.push(errorObject(400, "filter constraint", `The operator "${operator}" is not supported.`, { parameter: key }));
        continue;
      }
      query.filters.push({ name, def: filterDef, operator, value, parameter: key });
      continue;
    }
    if (key === "page[number]" && kind === "list") {
      query.page.number = parsePositiveInteger(value, key, false);
      continue;
    }
    if (key === "page[size]" && kind === "list") {
      query.page.size = parsePositiveInteger(value, key, true);
      query.explicitPageSize = true;
      continue;
    }
    if (key === "sort" && kind === "list") {
      query.sort = value
        .split(",")
        .filter(Boolean)
        .map((part) => ({ field: part.replace(/^-/, ""), descending: part.startsWith("-") }));
      for (const sort of query.sort) {
        if (!def.sorters.includes(sort.field))
          errors.push(errorObject(400, "sort constraint", `Sorting by "${sort.field}" field is not supported.`, { parameter: "sort" }));
      }
      continue;
    }
    if (key === "include" && kind !== "delete_list") {
      query.include = value
        .split(",")
        .filter(Boolean)
        .map((path) => path.split("."));
      continue;
    }
    const fieldsMatch = /^fields\[([^\]]+)\]$/.exec(key);
    if (fieldsMatch && kind !== "delete_list") {
      query.fields.set(fieldsMatch[1] ?? "", new Set(value.split(",").filter(Boolean)));
      continue;
    }
    if (key === "meta") continue;
    errors.push(errorObject(400, "filter constraint", "The filter is not supported.", { parameter: key }));
  }
  if (errors.length > 0) throw new ApiError(400, errors);
  return query;
}
