import type { ImportMapping, ReuseRelated } from "../../shared/converters";
import { buildQuery } from "../../shared/oro";
import type { ListQuery, OroClient, Relationship, ResourceObject } from "../../shared/oro";

type Identifier = { type: string; id: string };

/** A product that already exists in Oro: its id (for `meta.update`) and the ids of its related rows. */
export interface ExistingProduct {
  id: string;
  /** The SKU exactly as Oro stores it. */
  sku: string;
  reuse: ReuseRelated;
}

/**
 * Existing products by SKU, exactly as written (Oro's `filter[sku]` is an exact comparison, while
 * its uniqueness check ignores letter case: see docs/reference/oro-writes.md).
 */
export type ExistingBySku = Map<string, ExistingProduct>;

/**
 * Most bytes of a lookup's query string (as sent: percent-encoded). Oro sets no URL limit; the web
 * server in front does: nginx answers 414 when the request line (method, path, query, protocol)
 * outgrows one 8 KB header buffer, Apache past 8,190 bytes (docs/reference/oro-api.md §9). 7,000
 * leaves over 1 KB for the rest of the line (a longer path prefix included).
 */
export const MAX_LOOKUP_QUERY_BYTES = 7_000;

const refsOf = (rel: Relationship | undefined): Identifier[] => (rel?.data == null ? [] : Array.isArray(rel.data) ? rel.data : [rel.data]);

/** Relationships whose rows the converter creates (localized values, nested records): the ones worth reusing. */
const createdRelationships = (mapping: ImportMapping): string[] =>
  Object.entries(mapping.relationships ?? {})
    .filter(([, rule]) => "localized" in rule || "nested" in rule)
    .map(([name]) => name);

/**
 * Whether Oro's `filter[sku]` can find this SKU: a comma splits Oro's OR list and there is no
 * escape for it (platform 6.1.11 Processor/NormalizeValue/AbstractProcessor.php `normalizeArrayValue`).
 */
export const isLookableSku = (sku: string): boolean => sku !== "" && !sku.includes(",");

/** Bytes of a lookup's query string: its fixed part for `count` SKUs, each SKU as encoded, each separator. */
export interface LookupQueryBytes {
  base(count: number): number;
  sku(sku: string): number;
  separator: number;
}

/**
 * The SKUs in request order, split into as few lookups as keep each query string within
 * {@link MAX_LOOKUP_QUERY_BYTES}. A SKU over the limit by itself goes alone, so it never pushes
 * its neighbours' query over.
 */
export const lookupGroups = (skus: readonly string[], bytes: LookupQueryBytes): string[][] => {
  const groups: string[][] = [];
  let current: string[] = [];
  let skuBytes = 0;
  for (const sku of skus) {
    const added = bytes.sku(sku) + (current.length > 0 ? bytes.separator : 0);
    if (current.length > 0 && bytes.base(current.length + 1) + skuBytes + added > MAX_LOOKUP_QUERY_BYTES) {
      groups.push(current);
      current = [sku];
      skuBytes = bytes.sku(sku);
    } else {
      current.push(sku);
      skuBytes += added;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
};

/** The lookup of these SKUs: their products' SKU and related rows (`size`: the page size, default one per SKU). */
const lookupQuery =
  (mapping: ImportMapping, relationships: string[]) =>
  (skus: string[], size = skus.length): ListQuery => ({
    filter: { sku: skus },
    ...(relationships.length > 0 ? { include: relationships } : {}),
    fields: { [mapping.type]: ["sku", ...relationships] },
    page: { size },
  });

/** The byte counts of `query`'s string, read off buildQuery itself (percent-encoding included). */
export const lookupQueryBytes = (query: (skus: string[], size?: number) => ListQuery): LookupQueryBytes => {
  const length = (skus: string[], size: number) => buildQuery(query(skus, size)).length;
  const none = length([], 1);
  return {
    base: (count) => length([], count),
    sku: (sku) => length([sku], 1) - none,
    separator: length(["", ""], 1) - length([""], 1),
  };
};

/** One GET: ids of these SKUs' products and of their related rows. */
const lookup = async (
  oro: OroClient,
  query: ListQuery,
  mapping: ImportMapping,
  relationships: string[],
  signal: AbortSignal,
  out: ExistingBySku,
): Promise<void> => {
  const page = await oro.list(mapping.type, { ...query, signal });
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
    const sku = String(product.attributes?.sku ?? "");
    out.set(sku, { id: product.id, sku, reuse: (relationship, key) => ids.get(`${relationship}:${key}`) });
  }
};

/**
 * The products these SKUs already have in Oro: their ids, so the write updates them by id
 * (`meta.update`; stock Oro allows no upsert on products), and, with `reuseRelated`, the ids of
 * their localized values and unit precision, so a re-import updates those rows instead of adding
 * rows beside them (Oro keeps one precision per product and unit; a redelivered page must leave
 * the same state). GETs `filter[sku]=...&include=<mapped relationships>`, SKUs split so the URL
 * stays short.
 */
export const loadExisting = async (
  oro: OroClient,
  mapping: ImportMapping,
  skus: Iterable<string>,
  signal: AbortSignal,
  options: { reuseRelated?: boolean } = {},
): Promise<ExistingBySku> => {
  const out: ExistingBySku = new Map();
  const relationships = options.reuseRelated === false ? [] : createdRelationships(mapping);
  const keys = [...new Set([...skus].filter(isLookableSku))];
  if (keys.length === 0) return out;
  const query = lookupQuery(mapping, relationships);
  await Promise.all(lookupGroups(keys, lookupQueryBytes(query)).map((group) => lookup(oro, query(group), mapping, relationships, signal, out)));
  if (options.reuseRelated === false) for (const [sku, product] of out) out.set(sku, { ...product, reuse: () => undefined });
  return out;
};

interface Pending {
  skus: Set<string>;
  reuseRelated: boolean;
  result: Promise<ExistingBySku>;
}

// Keyed by the invocation's abort signal: pages of one invocation share a lookup, never two invocations.
const pendingBySignal = new WeakMap<AbortSignal, Pending>();

/**
 * {@link loadExisting}, coalesced: the pages an invocation writes at once ask within the same tick,
 * and one lookup answers them all (one Oro call per batch of pages instead of one per page: Oro's
 * request budget is the sync's bottleneck).
 */
export const loadExistingCoalesced = (
  oro: OroClient,
  mapping: ImportMapping,
  skus: string[],
  signal: AbortSignal,
  options: { reuseRelated?: boolean } = {},
): Promise<ExistingBySku> => {
  const reuseRelated = options.reuseRelated !== false;
  let pending = pendingBySignal.get(signal);
  if (!pending || pending.reuseRelated !== reuseRelated) {
    const collected = new Set<string>();
    const result = new Promise<ExistingBySku>((resolve, reject) => {
      // setImmediate runs after the pending promise callbacks: every page that started with this one has asked by then.
      setImmediate(() => {
        pendingBySignal.delete(signal);
        loadExisting(oro, mapping, collected, signal, { reuseRelated }).then(resolve, reject);
      });
    });
    pending = { skus: collected, reuseRelated, result };
    pendingBySignal.set(signal, pending);
  }
  for (const sku of skus) pending.skus.add(sku);
  return pending.result;
};
