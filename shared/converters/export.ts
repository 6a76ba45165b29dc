import type { ResourceObject } from "../oro";
import { MappingError } from "./errors";
import type { MappingIssue } from "./errors";
import { compileField } from "./field";
import type { FieldEvaluator, Lookups } from "./field";
import { assertSafePath, compilePath, setPath } from "./path";
import type { EachRule, ExportMapping, FieldRule } from "./types";
import { isMissing } from "./values";

/** Relationship depth resolved from `included` (order -> lineItems -> product is 2). */
const MAX_DEPTH = 3;

/** A compiled export mapping. */
export interface ExportConverter {
  readonly mapping: ExportMapping;
  /**
   * Converts one Oro resource (with the `included` of its document) to external JSON. Raises
   * {@link MappingError} naming the record and every field that failed.
   */
  convert(resource: ResourceObject, included?: readonly ResourceObject[], options?: { lookups?: Lookups }): Record<string, unknown>;
}

/**
 * The flat view export paths read: `id`, `type`, the attributes by name, and each relationship
 * resolved from `included` (to-one: an object view or `{id, type}` when not included; to-many: an
 * array). Built lazily per relationship, so only what a mapping reads is resolved.
 */
export const recordView = (
  resource: ResourceObject,
  included: readonly ResourceObject[] = [],
  depth = 0,
  index?: Map<string, ResourceObject>,
): Record<string, unknown> => {
  const byKey = index ?? new Map(included.map((r) => [`${r.type}:${r.id}`, r]));
  const view: Record<string, unknown> = { ...(resource.attributes ?? {}), id: resource.id, type: resource.type };
  for (const [name, rel] of Object.entries(resource.relationships ?? {})) {
    if (rel === undefined) continue;
    const resolve = (ref: { type: string; id: string }) => {
      const found = depth < MAX_DEPTH ? byKey.get(`${ref.type}:${ref.id}`) : undefined;
      return found ? recordView(found, included, depth + 1, byKey) : { id: ref.id, type: ref.type };
    };
    Object.defineProperty(view, name, {
      enumerable: true,
      configurable: true,
      get: () => (rel.data === null ? null : Array.isArray(rel.data) ? rel.data.map(resolve) : resolve(rel.data)),
    });
  }
  return view;
};

type Compiled =
  { path: string; evaluate: FieldEvaluator } | { path: string; each: (view: unknown, lookups: Lookups | undefined, issues: MappingIssue[]) => unknown };

const compileEach = (path: string, rule: EachRule) => {
  const read = compilePath(rule.each);
  const fields = Object.entries(rule.fields).map(([name, r]) => {
    assertSafePath(name);
    return [name, compileField(`${path}[].${name}`, r)] as const;
  });
  return (view: unknown, lookups: Lookups | undefined, issues: MappingIssue[]): unknown => {
    const items = read(view);
    if (!Array.isArray(items) || items.length === 0) {
      if (rule.required) issues.push({ field: path, from: rule.each, problem: "is required but empty" });
      return isMissing(items) ? undefined : [];
    }
    return items.map((item) => {
      const out: Record<string, unknown> = {};
      for (const [name, evaluate] of fields) {
        const value = evaluate(item, lookups, issues);
        if (value !== undefined) setPath(out, name, value);
      }
      return out;
    });
  };
};

/**
 * Compiles an {@link ExportMapping}: Oro resource (+ included) -> external JSON, output paths set
 * as nested objects (`address.city`).
 *
 * @example
 * const toErpOrder = createExportConverter({ externalId: "identifier", fields: {
 *   orderNumber: { from: "identifier", required: true },
 *   customer: { from: "customer.externalId", required: true },
 *   lines: { each: "lineItems", fields: { sku: { from: "productSku" }, qty: { from: "quantity", type: "decimal" } } },
 * } });
 */
export const createExportConverter = (mapping: ExportMapping): ExportConverter => {
  const externalId = compilePath(mapping.externalId);
  const compiled: Compiled[] = Object.entries(mapping.fields).map(([path, rule]) => {
    assertSafePath(path);
    return "each" in rule ? { path, each: compileEach(path, rule as EachRule) } : { path, evaluate: compileField(path, rule as FieldRule) };
  });
  return {
    mapping,
    convert(resource, included = [], options = {}) {
      const view = recordView(resource, included);
      const issues: MappingIssue[] = [];
      const out: Record<string, unknown> = {};
      for (const field of compiled) {
        const value = "each" in field ? field.each(view, options.lookups, issues) : field.evaluate(view, options.lookups, issues);
        if (value !== undefined) setPath(out, field.path, value);
      }
      if (issues.length > 0) {
        const id = externalId(view);
        throw new MappingError(`${resource.type} ${resource.id}`, isMissing(id) ? undefined : String(id), issues);
      }
      return out;
    },
  };
};
