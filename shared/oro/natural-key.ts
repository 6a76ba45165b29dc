import type { OroClient } from "./client";

/** Keys per `filter[<field>]` list: keeps the URL short (Oro reads a comma-separated list). */
export const NATURAL_KEY_CHUNK = 100;

/** Which Oro resource to look up by which attribute. */
export interface NaturalKeyLookup {
  /** JSON:API resource type, e.g. `products`. */
  resource: string;
  /** The attribute holding the natural key, e.g. `sku`; also the filter's name. */
  field: string;
  /**
   * Compare keys case-insensitively (upper-cased on both sides). Oro's product SKU is matched
   * case-insensitively (docs/reference/oro-api.md), so a product lookup sets it.
   */
  caseInsensitive?: boolean;
}

/** The lookup of products by SKU, the one most connectors need. */
export const PRODUCTS_BY_SKU: NaturalKeyLookup = { resource: "products", field: "sku", caseInsensitive: true };

/**
 * Oro ids by natural key (products by SKU, customers by an external id, ...): one
 * `GET <resource>?filter[<field>]=k1,k2,...&fields[<resource>]=<field>` per {@link NATURAL_KEY_CHUNK}
 * keys, every page followed. The map's keys are the keys as given (upper-cased when
 * `caseInsensitive`); a key absent from the map has no record in Oro. Duplicates in `keys` cost nothing.
 * A key with a comma (or empty) is never asked for: Oro splits a filter value on commas with no escape
 * (platform 6.1.11 Processor/NormalizeValue/AbstractProcessor.php `normalizeArrayValue`), so it comes
 * back absent and the caller fails that item alone.
 */
export const findIdsByNaturalKey = async (
  oro: OroClient,
  lookup: NaturalKeyLookup,
  keys: readonly string[],
  signal: AbortSignal,
): Promise<Map<string, string>> => {
  const norm = (key: string) => (lookup.caseInsensitive ? key.toUpperCase() : key);
  const unique = [...new Set(keys.filter((key) => key !== "" && !key.includes(",")).map(norm))];
  const found = new Map<string, string>();
  for (let i = 0; i < unique.length; i += NATURAL_KEY_CHUNK) {
    const chunk = unique.slice(i, i + NATURAL_KEY_CHUNK);
    const query = { filter: { [lookup.field]: chunk }, fields: { [lookup.resource]: [lookup.field] }, page: { size: chunk.length }, signal };
    for await (const record of oro.iterate<Record<string, unknown>>(lookup.resource, query)) {
      const value = record.attributes?.[lookup.field];
      if (typeof value === "string") found.set(norm(value), record.id);
    }
  }
  return found;
};
