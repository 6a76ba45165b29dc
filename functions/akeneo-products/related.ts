import type { ImportMapping, ReuseRelated } from "../../shared/converters";
import type { OroClient, Relationship, ResourceObject } from "../../shared/oro";

type Identifier = { type: string; id: string };
/** Reuse callbacks by lower-cased SKU. */
export type RelatedBySku = Map<string, ReuseRelated>;

/** Characters of SKUs per lookup request, so the URL stays far below common 8 KB header limits. */
const MAX_SKU_CHARS_PER_LOOKUP = 4_000;

const refsOf = (rel: Relationship | undefined): Identifier[] => (rel?.data == null ? [] : Array.isArray(rel.data) ? rel.data : [rel.data]);

/** Relationships whose rows the converter creates (localized values, nested records): the ones worth reusing. */
const createdRelationships = (mapping: ImportMapping): string[] =>
  Object.entries(mapping.relationships ?? {}).filter(([, rule]) => "localized" in rule || "nested" in rule).map(([name]) => name);

/** One GET: the related ids of these SKUs' products. */
const lookup = async (oro: OroClient, mapping: ImportMapping, relationships: string[], skus: string[], signal: AbortSignal, out: RelatedBySku): Promise<void> => {
  const page = await oro.list(mapping.type, {
    filter: { sku: skus },
    include: relationships,
    fields: { [mapping.type]: ["sku", ...relationships] },
    page: { size: skus.length },
    signal,
  });
  const included = new Map(page.included.map((r: ResourceObject) => [`${r.type}:${r.id}`, r]));
  for (const product of page.data) {
    const ids = new Map<string, string>();
    for (const name of relationships) {
      const rule = mapping.relationships?.[name];
      for (const ref of refsOf(product.relationships?.[name])) {
        if (rule && "nested" in rule) ids.set(`${name}:0`, ref.id);
        else ids.set(`${name}:${refsOf(included.get(`${ref.type}:${ref.id}`)?.relationships?.localization)[0]?.id ?? ""}`, ref.id);
      }
    }
    out.set(String(product.attributes?.sku ?? "").toLowerCase(), (relationship, key) => ids.get(`${relationship}:${key}`));
  }
};

/**
 * Ids of the localized values and unit precision the products already have in Oro, so a
 * re-import updates those rows (`meta.update`) instead of adding rows beside them: Oro keeps one
 * precision per product and unit, and a redelivered page must leave the same state. GETs
 * `filter[sku]=...&include=<mapped relationships>`, SKUs split so the URL stays short.
 */
export const loadRelated = async (oro: OroClient, mapping: ImportMapping, skus: Iterable<string>, signal: AbortSignal): Promise<RelatedBySku> => {
  const out: RelatedBySku = new Map();
  const relationships = createdRelationships(mapping);
  // A comma would split Oro's OR list; such SKUs are simply matched by the upsert.
  const keys = [...new Set([...skus].filter((sku) => sku !== "" && !sku.includes(",")))];
  if (relationships.length === 0 || keys.length === 0) return out;
  const groups: string[][] = [[]];
  let chars = 0;
  for (const sku of keys) {
    const current = groups[groups.length - 1] as string[];
    if (current.length > 0 && chars + sku.length > MAX_SKU_CHARS_PER_LOOKUP) {
      groups.push([sku]);
      chars = sku.length;
    } else {
      current.push(sku);
      chars += sku.length + 1;
    }
  }
  await Promise.all(groups.map((group) => lookup(oro, mapping, relationships, group, signal, out)));
  return out;
};

interface Pending {
  skus: Set<string>;
  result: Promise<RelatedBySku>;
}

// Keyed by the invocation's abort signal: pages of one invocation share a lookup, never two invocations.
const pendingBySignal = new WeakMap<AbortSignal, Pending>();

/**
 * {@link loadRelated}, coalesced: the pages an invocation writes at once ask within the same tick,
 * and one lookup answers them all (one Oro call per batch of pages instead of one per page: Oro's
 * request budget is the sync's bottleneck).
 */
export const loadRelatedCoalesced = (oro: OroClient, mapping: ImportMapping, skus: string[], signal: AbortSignal): Promise<RelatedBySku> => {
  let pending = pendingBySignal.get(signal);
  if (!pending) {
    const collected = new Set<string>();
    const result = new Promise<RelatedBySku>((resolve, reject) => {
      // setImmediate runs after the pending promise callbacks: every page that started with this one has asked by then.
      setImmediate(() => {
        pendingBySignal.delete(signal);
        loadRelated(oro, mapping, collected, signal).then(resolve, reject);
      });
    });
    pending = { skus: collected, result };
    pendingBySignal.set(signal, pending);
  }
  for (const sku of skus) pending.skus.add(sku);
  return pending.result;
};
