import type { Ref, StoredRecord, Table } from "../model";
import { apiErrors } from "./errors";
import type { ParsedFilter } from "./query";
import { parseDateTimeFilter } from "./values";

/** A value predicate compiled from one filter. */
type Predicate = (record: StoredRecord) => boolean;

function parseBoolean(raw: string, parameter: string): boolean {
  const lower = raw.toLowerCase();
  if (["true", "1", "yes"].includes(lower)) return true;
  if (["false", "0", "no"].includes(lower)) return false;
  throw apiErrors.badValue(parameter, `Expected boolean value. Given "${raw}".`);
}

/** Turns a raw filter value into comparable keys: numbers for numeric types, [start,end) for datetimes. */
function scalar(filter: ParsedFilter, raw: string, sequenceIds: boolean): number | string | boolean | [number, number] {
  const type = filter.def.valueType;
  if (type === "integer" || (type === "id" && sequenceIds)) {
    if (!/^-?\d+$/.test(raw)) throw apiErrors.badValue(filter.parameter, `Expected integer value. Given "${raw}".`);
    return Number(raw);
  }
  if (type === "decimal") {
    if (!Number.isFinite(Number(raw)) || raw.trim() === "") throw apiErrors.badValue(filter.parameter, `Expected decimal value. Given "${raw}".`);
    return Number(raw);
  }
  if (type === "boolean") return parseBoolean(raw, filter.parameter);
  if (type === "datetime") {
    const range = parseDateTimeFilter(raw);
    if (!range) throw apiErrors.badValue(filter.parameter, `Expected datetime value. Given "${raw}".`);
    return range;
  }
  return raw;
}

function fieldValues(record: StoredRecord, filter: ParsedFilter): unknown[] {
  if (filter.def.kind === "id") return [record.id];
  if (filter.def.kind === "relationship") {
    const rel = record.relationships[filter.def.field];
    if (rel == null) return [];
    return (Array.isArray(rel) ? rel : [rel]).map((r: Ref) => r.id);
  }
  const value = record.attributes[filter.def.field];
  return value == null ? [] : [value];
}

function comparable(value: unknown, filter: ParsedFilter, sequenceIds: boolean): number | string | boolean {
  const type = filter.def.valueType;
  if (type === "datetime") return Date.parse(String(value));
  if (type === "decimal" || type === "integer" || (type === "id" && sequenceIds)) return Number(value);
  if (type === "boolean") return Boolean(value);
  return String(value);
}

/** Compares a stored value with one filter operand under `operator`. */
function compare(actual: number | string | boolean, operand: ReturnType<typeof scalar>, operator: string): boolean {
  if (Array.isArray(operand)) {
    const [start, end] = operand;
    const t = actual as number;
    switch (operator) {
      case "eq":
        return t >= start && t < end;
      case "neq":
        return !(t >= start && t < end);
      case "lt":
        return t < start;
      case "lte":
        return t < end;
      case "gt":
        return t >= end;
      case "gte":
        return t >= start;
    }
    return false;
  }
  switch (operator) {
    case "eq":
      return actual === operand;
    case "neq":
      return actual !== operand;
    case "lt":
      return actual < operand;
    case "lte":
      return actual <= operand;
    case "gt":
      return actual > operand;
    case "gte":
      return actual >= operand;
  }
  return false;
}

/**
 * Compiles a filter into a predicate: comma = OR (`eq`) / none of (`neq`), `a..b` = inclusive range,
 * `exists` takes a boolean (docs/reference/oro-api.md §3, doc@6.1:api/filters.md).
 */
export function compileFilter(filter: ParsedFilter, sequenceIds: boolean): Predicate {
  if (filter.operator === "exists") {
    const wanted = parseBoolean(filter.value, filter.parameter);
    return (record) => fieldValues(record, filter).length > 0 === wanted;
  }
  const rangeMatch = /^(.+)\.\.(.+)$/.exec(filter.value);
  if (rangeMatch && filter.def.range && (filter.operator === "eq" || filter.operator === "neq")) {
    const from = scalar(filter, rangeMatch[1] ?? "", sequenceIds);
    const to = scalar(filter, rangeMatch[2] ?? "", sequenceIds);
    const inRange: Predicate = (record) =>
      fieldValues(record, filter).some((v) => {
        const actual = comparable(v, filter, sequenceIds);
        return compare(actual, from, "gte") && compare(actual, to, "lte");
      });
    return filter.operator === "eq" ? inRange : (record) => !inRange(record);
  }
  const operands = filter.value.split(",").map((part) => scalar(filter, part, sequenceIds));
  const operator = filter.operator === "neq_or_null" ? "neq" : filter.operator;
  if (operator === "neq") {
    return (record) => {
      const values = fieldValues(record, filter);
      if (values.length === 0) return filter.operator === "neq_or_null";
      return values.every((v) => operands.every((o) => compare(comparable(v, filter, sequenceIds), o, "neq")));
    };
  }
  return (record) => fieldValues(record, filter).some((v) => operands.some((o) => compare(comparable(v, filter, sequenceIds), o, operator)));
}

/**
 * Rows matching every filter (AND). An `eq` filter on the id, a unique attribute or a to-one
 * relationship narrows candidates through the table's indexes first, so lookups stay O(1).
 */
export function selectRows(table: Table, filters: readonly ParsedFilter[]): StoredRecord[] {
  const sequenceIds = table.def.idStrategy === "sequence";
  let candidates: Iterable<StoredRecord> | undefined;
  for (const filter of filters) {
    if (filter.operator !== "eq" || /\.\./.test(filter.value)) continue;
    const values = filter.value.split(",");
    if (filter.def.kind === "id") {
      candidates = values.map((id) => table.get(id)).filter((r): r is StoredRecord => r !== undefined);
    } else if (filter.def.kind === "attribute" && table.hasUniqueIndex(filter.def.field) && filter.def.valueType === "string") {
      candidates = values
        .map((v) => table.findUnique(filter.def.field, v))
        .map((id) => (id ? table.get(id) : undefined))
        .filter((r): r is StoredRecord => r !== undefined);
    } else if (filter.def.kind === "relationship" && table.hasRelationIndex(filter.def.field)) {
      candidates = values
        .flatMap((v) => [...table.findByRelation(filter.def.field, v)])
        .map((id) => table.get(id))
        .filter((r): r is StoredRecord => r !== undefined);
    } else continue;
    break;
  }
  const predicates = filters.map((filter) => compileFilter(filter, sequenceIds));
  const result: StoredRecord[] = [];
  const seen = new Set<string>();
  for (const record of candidates ?? table.rows.values()) {
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    if (predicates.every((p) => p(record))) result.push(record);
  }
  return result;
}
