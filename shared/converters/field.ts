import { MappingDefinitionError } from "./errors";
import type { MappingIssue } from "./errors";
import { compilePath } from "./path";
import type { FieldRule } from "./types";
import { coerce, isMissing } from "./values";

/** Lookup tables passed at convert time, by name: source code -> target id. */
export type Lookups = Readonly<Record<string, ReadonlyMap<string, string> | Readonly<Record<string, string>>>>;

/** A compiled field rule: reads, maps and coerces one value; `undefined` = leave the field out. */
export type FieldEvaluator = (source: unknown, lookups: Lookups | undefined, issues: MappingIssue[]) => unknown;

const lookupIn = (table: ReadonlyMap<string, string> | Readonly<Record<string, string>>, key: string): string | undefined =>
  table instanceof Map ? table.get(key) : Object.hasOwn(table, key) ? (table as Record<string, string>)[key] : undefined;

/** Compiles a {@link FieldRule} for the target `field` (named in issues). */
export const compileField = (field: string, rule: FieldRule): FieldEvaluator => {
  if (rule.from === undefined && rule.const === undefined && rule.default === undefined) {
    throw new MappingDefinitionError(`mapping of ${field} needs "from", "const" or "default"`);
  }
  const read = rule.from === undefined ? undefined : compilePath(rule.from);
  const from = rule.from;
  const issue = (problem: string): MappingIssue => ({ field, ...(from === undefined ? {} : { from }), problem });
  return (source, lookups, issues) => {
    let value = read ? read(source) : rule.const;
    if (!isMissing(value) && rule.map !== undefined) {
      const key = String(value);
      if (Object.hasOwn(rule.map, key)) value = rule.map[key];
      else if (Object.hasOwn(rule.map, "*")) value = rule.map["*"];
      else if (!rule.passThrough) {
        issues.push(issue(`value "${key}" is not mapped (known: ${Object.keys(rule.map).slice(0, 10).join(", ")}); add it to the mapping's value map`));
        return undefined;
      }
    }
    if (!isMissing(value) && rule.lookup !== undefined) {
      const table = lookups?.[rule.lookup];
      if (table === undefined) {
        issues.push(issue(`lookup table "${rule.lookup}" was not loaded`));
        return undefined;
      }
      const id = lookupIn(table, String(value));
      if (id === undefined) {
        issues.push(issue(`unknown ${rule.lookup} code "${String(value)}": create it in the target first or map it to a known code`));
        return undefined;
      }
      value = id;
    }
    if (isMissing(value) && rule.default !== undefined) value = rule.default;
    if (isMissing(value)) {
      if (rule.required) issues.push(issue("is required but missing"));
      return undefined;
    }
    const coerced = coerce(value, rule.type, rule.precision, rule.maxLength);
    if (!coerced.ok) {
      issues.push(issue(coerced.problem));
      return undefined;
    }
    return coerced.value;
  };
};
