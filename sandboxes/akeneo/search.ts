import type { AkeneoProduct } from "./catalog";
import { AkeneoHttpError, phpType, searchEntries } from "./http";

type Predicate = (product: AkeneoProduct) => boolean;

/**
 * Product fields `search` accepts besides attribute codes (pim-community-dev
 * Pim/Enrichment/Component/Product/Connector/UseCase/Validator/ValidateProperties.php).
 */
const PRODUCT_FIELDS = new Set([
  "family",
  "categories",
  "completeness",
  "identifier",
  "created",
  "updated",
  "enabled",
  "groups",
  "parent",
  "quality_score",
  "uuid",
]);

const unsupported = (property: string, operator: string) =>
  new AkeneoHttpError(422, `Filter on property "${property}" is not supported or does not support operator "${operator}"`);
/** A filter Akeneo has and the sandbox does not reproduce: said plainly, never answered as if it were Akeneo. */
const notReproduced = (property: string, operator: string) =>
  new AkeneoHttpError(501, `The Akeneo sandbox does not reproduce the "${property}" filter with operator "${operator}" (sandboxes/akeneo/README.md)`);

/** PHP's `sprintf('%s', $value)` of a JSON value (how Akeneo echoes a bad value). */
const phpString = (value: unknown): string => {
  if (value === null || value === undefined || value === false) return "";
  if (value === true) return "1";
  if (typeof value === "object") return "Array";
  return String(value);
};

/** DateTimeFilter::RELATIVE_DATETIME_FORMAT: `now` or `+/-N unit(s)`, allowed where one date is expected. */
const RELATIVE = /^(now|([+-][0-9]+)\s?(minute|hour|day|week|month|year)s?)$/;

const relative = (value: unknown): unknown => {
  if (typeof value !== "string") return value;
  const match = RELATIVE.exec(value.trim());
  if (!match) return value;
  const at = new Date();
  if (match[1] === "now") return at;
  const n = Number(match[2]);
  const unit = match[3];
  if (unit === "month") at.setUTCMonth(at.getUTCMonth() + n);
  else if (unit === "year") at.setUTCFullYear(at.getUTCFullYear() + n);
  else at.setTime(at.getTime() + n * { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 }[unit as "minute"]);
  return at;
};

/**
 * `DateTimeImmutable::createFromFormat('Y-m-d H:i:s', $value)` without warnings, in UTC
 * (DateTimeFilter::getFormattedDate): month, day, hour may have one or two digits, minutes and
 * seconds two; out-of-range parts are refused.
 */
const parseAkeneoDate = (value: string): number | undefined => {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const at = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(at);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || d.getUTCHours() !== hour || d.getUTCMinutes() !== minute)
    return undefined;
  return at;
};

/** FieldFilterHelper::checkDateTime then getFormattedDate: the instant, or Akeneo's 422. */
const dateOf = (property: string, value: unknown): number => {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000) * 1000;
  if (typeof value !== "string")
    throw new AkeneoHttpError(422, `Property "${property}" expects a string with the format "Y-m-d H:i:s" as data, "${phpString(value)}" given.`);
  const at = parseAkeneoDate(value);
  if (at === undefined) throw new AkeneoHttpError(422, `Property "${property}" expects a string with the format "yyyy-mm-dd H:i:s" as data, "${value}" given.`);
  return at;
};

/** `created` / `updated` (DateTimeFilter): the operators filter.md lists, in Elasticsearch's range semantics. */
const dateFilter = (property: "created" | "updated", operator: string, raw: unknown): Predicate => {
  const value = relative(raw);
  const at = (p: AkeneoProduct) => Date.parse(p[property]);
  switch (operator) {
    case "=": {
      const v = dateOf(property, value);
      return (p) => at(p) === v;
    }
    case "!=": {
      const v = dateOf(property, value);
      return (p) => at(p) !== v;
    }
    case "<": {
      const v = dateOf(property, value);
      return (p) => at(p) < v;
    }
    case ">": {
      const v = dateOf(property, value);
      return (p) => at(p) > v;
    }
    case "BETWEEN":
    case "NOT BETWEEN": {
      if (!Array.isArray(raw)) throw new AkeneoHttpError(422, `Property "${property}" expects an array as data, "${phpType(raw)}" given.`);
      if (raw.length !== 2)
        throw new AkeneoHttpError(422, `Property "${property}" expects an array with valid data, should contain 2 strings with the format "yyyy-mm-dd H:i:s".`);
      const from = dateOf(property, raw[0]);
      const to = dateOf(property, raw[1]);
      // Range gte/lte: both bounds inclusive.
      const inside = (p: AkeneoProduct) => at(p) >= from && at(p) <= to;
      return operator === "BETWEEN" ? inside : (p) => !inside(p);
    }
    case "SINCE LAST N DAYS": {
      if (typeof raw !== "number" || !Number.isInteger(raw))
        throw new AkeneoHttpError(422, `Property "${property}" expects an integer as data, "${phpType(raw)}" given.`);
      const since = Date.now() - raw * 86_400_000;
      return (p) => at(p) > since;
    }
    default:
      throw unsupported(property, operator);
  }
};

const enabledFilter = (operator: string, value: unknown): Predicate => {
  if (operator !== "=" && operator !== "!=") throw unsupported("enabled", operator);
  if (typeof value !== "boolean") throw new AkeneoHttpError(422, `Property "enabled" expects a boolean as data, "${phpType(value)}" given.`);
  return operator === "=" ? (p) => p.enabled === value : (p) => p.enabled !== value;
};

const inFilter = (property: "uuid" | "family", operator: string, value: unknown, of: (p: AkeneoProduct) => string | null): Predicate => {
  if (operator === "EMPTY" && property === "family") return (p) => of(p) === null;
  if (operator === "NOT EMPTY" && property === "family") return (p) => of(p) !== null;
  if (operator !== "IN" && operator !== "NOT IN") throw unsupported(property, operator);
  if (!Array.isArray(value)) throw new AkeneoHttpError(422, `Property "${property}" expects an array as data, "${phpType(value)}" given.`);
  const wanted = new Set(value.map((v) => String(v).toLowerCase()));
  return operator === "IN" ? (p) => wanted.has(String(of(p)).toLowerCase()) : (p) => !wanted.has(String(of(p)).toLowerCase());
};

/**
 * Parses `search` of `GET /api/rest/v1/products-uuid` into one predicate, with Akeneo's checks
 * and texts in its order: JSON (ListProductsByUuidController: 400 when it is not a JSON array or
 * object), structure and operator (Tool/Bundle/ApiBundle/Checker/QueryParametersChecker.php
 * checkCriterionParameters), property (ValidateProperties), then each filter's value
 * (Elasticsearch/Filter/Field/DateTimeFilter.php, FieldFilterHelper, InvalidProperty(Type)Exception).
 * Reproduced filters: `updated` / `created` (=, !=, <, >, BETWEEN, NOT BETWEEN, SINCE LAST N DAYS,
 * relative dates), `enabled` (=, !=), `uuid` (IN, NOT IN), `family` (IN, NOT IN, EMPTY, NOT EMPTY).
 * Other product fields and attribute filters answer 501: the sandbox does not reproduce them.
 */
export const parseProductSearch = (raw: string | null, attributeCodes: ReadonlySet<string>): Predicate => {
  if (raw === null) return () => true;
  const entries = searchEntries(raw);
  for (const [property, filters] of entries) {
    if (!Array.isArray(filters) || filters[0] === undefined || filters[0] === null) {
      throw new AkeneoHttpError(
        422,
        `Structure of filter "${property}" should respect this structure: {"${property}":[{"operator": "my_operator", "value": "my_value"}]}`,
      );
    }
    for (const filter of filters as unknown[]) {
      const operator = typeof filter === "object" && filter !== null ? (filter as { operator?: unknown }).operator : undefined;
      if (operator === undefined || operator === null) throw new AkeneoHttpError(422, `Operator is missing for the property "${property}".`);
      if (typeof operator !== "string") throw new AkeneoHttpError(422, `Operator has to be a string, "${phpType(operator)}" given.`);
    }
  }
  const predicates: Predicate[] = [];
  for (const [property, filters] of entries) {
    for (const filter of filters as Array<{ operator: string; value?: unknown }>) {
      const { operator, value } = filter;
      if (!PRODUCT_FIELDS.has(property) && !attributeCodes.has(property)) throw unsupported(property, operator);
      if (property === "updated" || property === "created") predicates.push(dateFilter(property, operator, value));
      else if (property === "enabled") predicates.push(enabledFilter(operator, value));
      else if (property === "uuid") predicates.push(inFilter("uuid", operator, value, (p) => p.uuid));
      else if (property === "family") predicates.push(inFilter("family", operator, value, (p) => p.family));
      else throw notReproduced(property, operator);
    }
  }
  return (product) => predicates.every((p) => p(product));
};
