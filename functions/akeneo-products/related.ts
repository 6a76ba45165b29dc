import type { ImportMapping, ReuseRelated } from "../../shared/converters";
import type { OroClient, Relationship, ResourceObject } from "../../shared/oro";

type Identifier = { type: string; id: string };

const refsOf = (rel: Relationship | undefined): Identifier[] => (rel?.data == null ? [] : Array.isArray(rel.data) ? rel.data : [rel.data]);

/**
 * Ids of the localized values and unit precision each product already has in Oro, so a re-import
 * updates those rows (`meta.update`) instead of adding new ones next to them: Oro keeps one
 * precision per product and unit, and an idempotent re-delivery must leave the same state.
 * One GET per page (`filter[sku]` with the page's SKUs, `include` of the mapped relationships).
 */
export const loadRelated = async (oro: OroClient, mapping: ImportMapping, skus: string[], signal: AbortSignal): Promise<Map<string, ReuseRelated>> => {
  const out = new Map<string, ReuseRelated>();
  const relationships = Object.entries(mapping.relationships ?? {}).filter(([, rule]) => "localized" in rule || "nested" in rule).map(([name]) => name);
  // A comma would split Oro's OR list; such SKUs are simply created/matched by the upsert.
  const keys = [...new Set(skus.filter((sku) => sku !== "" && !sku.includes(",")))];
  if (relationships.length === 0 || keys.length === 0) return out;
  const page = await oro.list(mapping.type, {
    filter: { sku: keys },
    include: relationships,
    fields: { [mapping.type]: ["sku", ...relationships] },
    page: { size: keys.length },
    signal,
  });
  const included = new Map(page.included.map((r: ResourceObject) => [`${r.type}:${r.id}`, r]));
  for (const product of page.data) {
    const ids = new Map<string, string>();
    for (const name of relationships) {
      const rule = mapping.relationships?.[name];
      for (const ref of refsOf(product.relationships?.[name])) {
        if (rule && "nested" in rule) ids.set(`${name}:0`, ref.id);
        else {
          const localization = refsOf(included.get(`${ref.type}:${ref.id}`)?.relationships?.localization)[0]?.id ?? "";
          ids.set(`${name}:${localization}`, ref.id);
        }
      }
    }
    out.set(String(product.attributes?.sku ?? "").toLowerCase(), (relationship, key) => ids.get(`${relationship}:${key}`));
  }
  return out;
};
