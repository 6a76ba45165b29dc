import type { OroClient } from "../../shared/oro";

/** SKUs per `filter[sku]` list and product ids per `filter[product]` list: keeps URLs short. */
export const LOOKUP_CHUNK = 100;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Oro product ids by upper-cased SKU. Oro's `filter[sku]` compares exactly (letter case included),
 * while its SKU uniqueness ignores case, so a SKU the ERP spells in another case is not found and
 * is reported as unknown (docs/reference/oro-writes.md). A SKU with a comma cannot be looked up:
 * the comma is Oro's OR separator and has no escape.
 */
export const findProductIds = async (oro: OroClient, skus: readonly string[], signal: AbortSignal): Promise<Map<string, string>> => {
  const found = new Map<string, string>();
  for (const chunk of chunks(skus, LOOKUP_CHUNK)) {
    for await (const product of oro.iterate<{ sku?: string }>("products", {
      filter: { sku: chunk },
      fields: { products: ["sku"] },
      page: { size: chunk.length },
      signal,
    })) {
      if (typeof product.attributes?.sku === "string") found.set(product.attributes.sku.toUpperCase(), product.id);
    }
  }
  return found;
};

/** One Oro inventory level, as the connector needs it. */
export interface OroLevel {
  id: string;
  quantity: string | undefined;
}

/**
 * Inventory levels of the products, by `productId|unitCode`. The unit sits on the level's
 * `productUnitPrecision` (included); a key found twice (several warehouses, Enterprise) maps to
 * `"ambiguous"`.
 */
export const findInventoryLevels = async (oro: OroClient, productIds: readonly string[], signal: AbortSignal): Promise<Map<string, OroLevel | "ambiguous">> => {
  const levels = new Map<string, OroLevel | "ambiguous">();
  for (const chunk of chunks(productIds, LOOKUP_CHUNK)) {
    const query = {
      filter: { product: chunk },
      include: ["productUnitPrecision"],
      fields: { inventorylevels: ["quantity", "product", "productUnitPrecision"], productunitprecisions: ["unit"] },
      page: { size: 500 },
      signal,
    };
    for await (const page of oro.pages<{ quantity?: string }>("inventorylevels", query)) {
      const unitOf = new Map(page.included.filter((r) => r.type === "productunitprecisions").map((r) => [r.id, relId(r.relationships?.unit?.data)]));
      for (const level of page.data) {
        const product = relId(level.relationships?.product?.data);
        const unit = unitOf.get(relId(level.relationships?.productUnitPrecision?.data) ?? "");
        if (!product || !unit) continue;
        const key = `${product}|${unit}`;
        levels.set(key, levels.has(key) ? "ambiguous" : { id: level.id, quantity: level.attributes?.quantity });
      }
    }
  }
  return levels;
};

const relId = (data: unknown): string | undefined =>
  data && !Array.isArray(data) && typeof (data as { id?: unknown }).id === "string" ? (data as { id: string }).id : undefined;
