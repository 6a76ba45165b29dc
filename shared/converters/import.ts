import type { BatchItem, ResourceIdentifier, ResourceInput } from "../oro";
import { MappingDefinitionError, MappingError } from "./errors";
import type { MappingIssue } from "./errors";
import { compileField } from "./field";
import type { FieldEvaluator, Lookups } from "./field";
import { assertSafeSegment, compilePath } from "./path";
import type { FieldRule, ImportMapping, LocalizedRule, NestedRule, RefRule, RelationshipRule } from "./types";
import { coerce, isMissing } from "./values";

/**
 * Ids of related records that already exist in Oro, so a re-import updates them (`meta.update`)
 * instead of creating new ones. `key` is the localization id (`""` for the default value) for a
 * localized relationship, `"0"` for a nested one. Return `undefined` to create.
 */
export type ReuseRelated = (relationship: string, key: string) => string | undefined;

/** Per-call inputs of an import conversion. */
export interface ImportOptions {
  /** Lookup tables named by `FieldRule.lookup`. */
  lookups?: Lookups;
  /** Existing related records to update instead of create. Default: always create. */
  reuse?: ReuseRelated;
}

/** A compiled import mapping. */
export interface ImportConverter {
  readonly mapping: ImportMapping;
  /** The external id of a source record (for naming it before conversion). */
  externalIdOf(source: unknown): string | undefined;
  /**
   * Converts one source record to a batch item (`data` + `included`). Raises {@link MappingError}
   * naming the record and every field that failed.
   */
  convert(source: unknown, options?: ImportOptions): BatchItem;
}

type RelationshipEvaluator = (source: unknown, ctx: Ctx) => { data: ResourceIdentifier | ResourceIdentifier[]; included: ResourceInput[] } | undefined;

interface Ctx {
  lookups: Lookups | undefined;
  reuse: ReuseRelated | undefined;
  issues: MappingIssue[];
  /** Prefix of temporary ids: unique per record, deterministic (same body for the same input). */
  tempPrefix: string;
}

const compileAttributes = (prefix: string, rules: Record<string, FieldRule> | undefined): Array<[string, FieldEvaluator]> =>
  Object.entries(rules ?? {}).map(([name, rule]) => {
    assertSafeSegment(name, `${prefix}.${name}`);
    return [name, compileField(`${prefix}.${name}`, rule)];
  });

const evaluateAttributes = (fields: Array<[string, FieldEvaluator]>, source: unknown, ctx: Ctx): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [name, evaluate] of fields) {
    const value = evaluate(source, ctx.lookups, ctx.issues);
    if (value !== undefined) out[name] = value;
  }
  return out;
};

const compileRef = (field: string, rule: RefRule): RelationshipEvaluator => {
  const id = compileField(field, rule.id);
  return (source, ctx) => {
    const value = id(source, ctx.lookups, ctx.issues);
    return value === undefined ? undefined : { data: { type: rule.type, id: String(value) }, included: [] };
  };
};

const compileLocalized = (name: string, field: string, rule: LocalizedRule): RelationshipEvaluator => {
  const values = compilePath(rule.from);
  const localeKey = rule.keys?.locale ?? "locale";
  const scopeKey = rule.keys?.scope ?? "scope";
  const dataKey = rule.keys?.data ?? "data";
  // Source locale -> Oro localization id ("" = the default value).
  const targets = new Map<string, string>([[rule.defaultLocale, ""], ...Object.entries(rule.locales ?? {})]);
  const issue = (problem: string): MappingIssue => ({ field, from: rule.from, problem });
  return (source, ctx) => {
    const entries = values(source);
    const found = new Map<string, unknown>();
    if (Array.isArray(entries)) {
      for (const entry of entries) {
        if (typeof entry !== "object" || entry === null) continue;
        const e = entry as Record<string, unknown>;
        const scope = e[scopeKey];
        if (rule.scope !== undefined && scope !== null && scope !== undefined && scope !== rule.scope) continue;
        const locale = e[localeKey];
        // A non-localizable attribute (locale null) fills the default value.
        const target = locale === null || locale === undefined ? "" : targets.get(String(locale));
        if (target === undefined || isMissing(e[dataKey])) continue;
        // A value of the exact scope wins over a scope-less one.
        if (!found.has(target) || scope === rule.scope) found.set(target, e[dataKey]);
      }
    } else if (!isMissing(entries)) {
      ctx.issues.push(issue(`expected an array of {${localeKey}, ${scopeKey}, ${dataKey}} values`));
      return undefined;
    }
    if (!found.has("")) {
      if (rule.required) ctx.issues.push(issue(`has no value for the default locale ${rule.defaultLocale}${rule.scope ? ` (scope ${rule.scope})` : ""}`));
      if (found.size === 0) return undefined;
    }
    const included: ResourceInput[] = [];
    for (const [localization, raw] of found) {
      const text = coerce(raw, "string", undefined, rule.maxLength);
      if (!text.ok) {
        ctx.issues.push(issue(`${localization === "" ? rule.defaultLocale : `localization ${localization}`}: ${text.problem}`));
        continue;
      }
      const existing = ctx.reuse?.(name, localization);
      included.push({
        type: rule.type,
        id: existing ?? `${ctx.tempPrefix}-${name}-${localization || "default"}`,
        attributes: { [rule.valueAttribute]: rule.wrapIn === undefined ? text.value : { [rule.wrapIn]: text.value } },
        relationships: { localization: { data: localization === "" ? null : { type: "localizations", id: localization } } },
        ...(existing === undefined ? {} : { meta: { update: true } }),
      });
    }
    return { data: included.map((r) => ({ type: r.type, id: r.id as string })), included };
  };
};

const compileNested = (name: string, field: string, rule: NestedRule): RelationshipEvaluator => {
  const attributes = compileAttributes(field, rule.attributes);
  const refs = Object.entries(rule.relationships ?? {}).map(([rel, r]) => {
    assertSafeSegment(rel, `${field}.${rel}`);
    return [rel, compileRef(`${field}.${rel}`, r)] as const;
  });
  return (source, ctx) => {
    const before = ctx.issues.length;
    const attrs = evaluateAttributes(attributes, source, ctx);
    const relationships: Record<string, { data: ResourceIdentifier | ResourceIdentifier[] }> = {};
    for (const [rel, evaluate] of refs) {
      const value = evaluate(source, ctx);
      if (value !== undefined) relationships[rel] = { data: value.data };
    }
    if (ctx.issues.length > before) return undefined;
    const existing = ctx.reuse?.(name, "0");
    const record = {
      type: rule.type,
      id: existing ?? `${ctx.tempPrefix}-${name}`,
      attributes: attrs,
      relationships,
      ...(existing === undefined ? {} : { meta: { update: true } }),
    } as ResourceInput;
    return { data: { type: rule.type, id: record.id as string }, included: [record] };
  };
};

const compileRelationship = (name: string, rule: RelationshipRule): RelationshipEvaluator => {
  const field = `relationships.${name}`;
  const kinds = ["ref", "localized", "nested"].filter((k) => k in rule);
  if (kinds.length !== 1)
    throw new MappingDefinitionError(`mapping of ${field} needs exactly one of ref, localized, nested (got ${kinds.join(", ") || "none"})`);
  if ("ref" in rule) return compileRef(field, rule.ref);
  if ("localized" in rule) return compileLocalized(name, field, rule.localized);
  return compileNested(name, field, rule.nested);
};

/**
 * Compiles an {@link ImportMapping} (paths parsed once) into a converter: external record ->
 * Oro resource with its related records in `included`, ready for `oro.batch(...)`.
 *
 * @example
 * const toProduct = createImportConverter(mergeMapping(defaultMapping, context.settings.mapping));
 * const item = toProduct.convert(akeneoProduct, { lookups: { families } });
 */
export const createImportConverter = (mapping: ImportMapping): ImportConverter => {
  const externalId = compilePath(mapping.externalId);
  const attributes = compileAttributes("attributes", mapping.attributes);
  const relationships = Object.entries(mapping.relationships ?? {}).map(([name, rule]) => {
    assertSafeSegment(name, `relationships.${name}`);
    return [name, compileRelationship(name, rule)] as const;
  });
  const idOf = (source: unknown): string | undefined => {
    const value = externalId(source);
    return isMissing(value) ? undefined : String(value);
  };
  return {
    mapping,
    externalIdOf: idOf,
    convert(source, options = {}) {
      const id = idOf(source);
      const ctx: Ctx = { lookups: options.lookups, reuse: options.reuse, issues: [], tempPrefix: `${mapping.type}-${id ?? "record"}` };
      if (id === undefined) ctx.issues.push({ field: "externalId", from: mapping.externalId, problem: "is missing: the record cannot be identified" });
      const attrs = evaluateAttributes(attributes, source, ctx);
      const rels: Record<string, { data: ResourceIdentifier | ResourceIdentifier[] }> = {};
      const included: ResourceInput[] = [];
      for (const [name, evaluate] of relationships) {
        const value = evaluate(source, ctx);
        if (value === undefined) continue;
        rels[name] = { data: value.data };
        included.push(...value.included);
      }
      if (ctx.issues.length > 0) throw new MappingError(mapping.type, id, ctx.issues);
      const data = {
        type: mapping.type,
        attributes: attrs,
        ...(relationships.length > 0 ? { relationships: rels } : {}),
        ...(mapping.meta ? { meta: { ...mapping.meta } } : {}),
      } as ResourceInput;
      return included.length > 0 ? { data, included } : { data };
    },
  };
};
