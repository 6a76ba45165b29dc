import { type AkeneoProduct, generateCatalog, identifierOf } from "../../sandboxes/akeneo";
import type { Random } from "../common/random";

/**
 * The source data of a chaos run: an Akeneo catalog and Oro orders, each with ~1% poison records
 * whose rejection is deterministic:
 * - products: an unknown family (the mapping skips it: `attributeFamily` lookup fails) or a SKU
 *   with a space (Oro's SKU regex constraint rejects it in the batch, the rest of the batch lands);
 * - orders: a line of an Oro product the ERP does not know (the ERP answers 422 `validation_failed`).
 */
export const CHAOS_PREFIX = "CHAOS-";
export const CHAOS_UPDATED_AT = "2024-03-01T00:00:00Z";
/** The Oro sandbox's demo products `SKU-0001`..`SKU-0030`: the ERP knows the first 25, a poison order adds a line of one of the others. */
const ORO_DEMO_SKUS = Array.from({ length: 30 }, (_, i) => `SKU-${String(i + 1).padStart(4, "0")}`);
export const ERP_KNOWN_SKUS = ORO_DEMO_SKUS.slice(0, 25);
const ERP_UNKNOWN_SKUS = ORO_DEMO_SKUS.slice(25);

export type PoisonKind = "unknown-family" | "bad-sku" | "unknown-erp-item";

export interface SourceProduct {
  product: AkeneoProduct;
  /** Set for a poison product. */
  poison?: PoisonKind;
}

export interface SourceOrder {
  identifier: string;
  lines: { sku: string; quantity: number }[];
  poison?: PoisonKind;
}

/** Indices (0-based) of `count` records chosen as poison: `rate` of them, at least one when `rate` > 0. */
const poisonIndices = (random: Random, count: number, rate: number): Set<number> => {
  const wanted = rate > 0 ? Math.max(1, Math.round(count * rate)) : 0;
  return new Set(random.shuffle(Array.from({ length: count }, (_, i) => i)).slice(0, Math.min(count, wanted)));
};

export const generateProducts = (random: Random, count: number, poisonRate: number): SourceProduct[] => {
  const catalog = generateCatalog({ count, prefix: CHAOS_PREFIX, updatedAt: CHAOS_UPDATED_AT, families: ["default_family"] });
  const poison = poisonIndices(random, count, poisonRate);
  let n = 0;
  return catalog.map((product, index) => {
    if (!poison.has(index)) return { product };
    const kind: PoisonKind = n++ % 2 === 0 ? "unknown-family" : "bad-sku";
    if (kind === "unknown-family") return { product: { ...product, family: "chaos_no_such_family" }, poison: kind };
    const identifier = `${CHAOS_PREFIX}BAD SKU-${String(index + 1).padStart(5, "0")}`;
    return { product: { ...product, values: { ...product.values, sku: [{ locale: null, scope: null, data: identifier }] } }, poison: kind };
  });
};

export const generateOrders = (random: Random, count: number, poisonRate: number): SourceOrder[] => {
  const poison = poisonIndices(random, count, poisonRate);
  return Array.from({ length: count }, (_, index) => {
    const identifier = `${CHAOS_PREFIX}O-${String(index + 1).padStart(5, "0")}`;
    const lines = Array.from({ length: random.int(1, 3) }, () => ({ sku: random.pick(ERP_KNOWN_SKUS), quantity: random.int(1, 5) }));
    if (!poison.has(index)) return { identifier, lines };
    return { identifier, lines: [...lines, { sku: random.pick(ERP_UNKNOWN_SKUS), quantity: 1 }], poison: "unknown-erp-item" };
  });
};

/** The SKU of a source product: its `sku` identifier value (products-uuid has no root identifier). */
export const skuOf = (product: AkeneoProduct): string => identifierOf(product) ?? product.uuid;
