import { type ConnectorContext, ItemFailures, type WithReplays } from "../../shared/connector";
import { formatDecimal } from "../../shared/converters";
import { isPermanent, PermanentError, ValidationError } from "../../shared/errors";
import type { ErpClient } from "../../shared/integrations/erp";
import type { NormalizedMessage } from "../../shared/messages";
import type { BatchItem } from "../../shared/oro";
import { mapWithConcurrency } from "../../shared/runtime";
import { findInventoryLevels, findProductIds } from "./oro-lookup";
import type { StockReplays } from "./messages";
import type { ErpStockPrepared, ErpStockSettingsSchema } from "./settings";

/** Metrics this connector counts (besides the runtime's). */
export const StockMetric = {
  read: "StockLevelsRead",
  updated: "StockLevelsUpdated",
  unchanged: "StockLevelsUnchanged",
  skipped: "StockLevelsSkipped",
  failed: "StockLevelsFailed",
} as const;

/** A level that mapped: where it goes and what it writes. */
interface MappedLevel {
  raw: Record<string, unknown>;
  sku: string;
  unit: string;
  warehouse: string | undefined;
  attributes: Record<string, unknown>;
}

const sameDecimal = (a: unknown, b: unknown): boolean => {
  const x = formatDecimal(a);
  const y = formatDecimal(b);
  return x.ok && y.ok && x.value === y.value;
};

/**
 * Applies ERP stock levels to Oro inventory levels:
 * map each level -> find product ids by SKU (chunked `filter[sku]`) -> find the levels by product
 * and unit -> write the quantities that differ (sync batch, or single PATCHes). A level that cannot
 * land (mapping, unknown SKU or unit, Oro refusing it) fails alone through `failItems` with a
 * `stock.changed` replay of just that level; the rest lands. Unchanged levels are not written, so a
 * duplicate delivery changes nothing.
 */
export const applyStockLevels = async <M extends WithReplays<StockReplays>>(
  raws: readonly unknown[],
  meta: NormalizedMessage,
  ctx: ConnectorContext<ErpClient, M, ErpStockSettingsSchema, ErpStockPrepared>,
): Promise<void> => {
  const { settings, prepared: converters } = ctx;
  const failures = new ItemFailures<StockReplays>(meta);
  const fail = (raw: unknown, error: PermanentError, name: string) => failures.add(error, { type: "stock.changed", key: name, payload: { levels: [raw] } });

  // 1. Map; the last level per (sku, unit, warehouse) wins (the ERP lists oldest first).
  const byKey = new Map<string, MappedLevel>();
  let skipped = 0;
  raws.forEach((raw, index) => {
    try {
      const key = converters.key.convert(raw).data.attributes as { sku: string; unit: string; warehouse?: string };
      const attributes = converters.write.convert(raw).data.attributes ?? {};
      if (settings.warehouse !== undefined && key.warehouse !== undefined && key.warehouse !== settings.warehouse) {
        skipped += 1;
        return;
      }
      byKey.set(`${key.sku.toUpperCase()}|${key.unit}`, {
        raw: raw as Record<string, unknown>,
        sku: key.sku,
        unit: key.unit,
        warehouse: key.warehouse,
        attributes,
      });
    } catch (error) {
      if (!(error instanceof PermanentError)) throw error;
      const sku = (raw as { sku?: unknown } | null)?.sku;
      fail(raw, error, `${typeof sku === "string" ? sku : `item-${index}`}`);
    }
  });
  const levels = [...byKey.values()];

  // 2. Products by SKU. A comma would split Oro's OR list, so such a SKU cannot be looked up.
  const lookable = levels.filter((level) => {
    if (!level.sku.includes(",")) return true;
    fail(
      level.raw,
      new ValidationError(`SKU "${level.sku}" contains a comma, which Oro's filter[sku] list cannot look up: rename the item or import it another way.`, {
        externalId: level.sku,
      }),
      `${level.sku}/${level.unit}`,
    );
    return false;
  });
  const productIds = await findProductIds(ctx.oro, [...new Set(lookable.map((l) => l.sku))], ctx.signal);
  const known = lookable.filter((level) => {
    if (productIds.has(level.sku.toUpperCase())) return true;
    fail(
      level.raw,
      new ValidationError(`SKU "${level.sku}" is not a product in Oro: create the product in Oro (or stop sending it from the ERP), then redrive this level.`, {
        code: "UNKNOWN_SKU",
        externalId: level.sku,
      }),
      `${level.sku}/${level.unit}`,
    );
    return false;
  });

  // 3. Inventory levels by product and unit.
  const oroLevels = await findInventoryLevels(ctx.oro, [...new Set(known.map((l) => productIds.get(l.sku.toUpperCase()) as string))], ctx.signal);
  const changes: Array<{ level: MappedLevel; id: string }> = [];
  let unchanged = 0;
  for (const level of known) {
    const target = oroLevels.get(`${productIds.get(level.sku.toUpperCase())}|${level.unit}`);
    if (target === undefined) {
      const units = [...oroLevels.keys()].filter((k) => k.startsWith(`${productIds.get(level.sku.toUpperCase())}|`)).map((k) => k.split("|")[1]);
      fail(
        level.raw,
        new ValidationError(
          `SKU "${level.sku}" has no unit "${level.unit}" in Oro (units: ${units.join(", ") || "none"}): add the unit to the product or map the ERP unit in settings.mapping.key.unit.`,
          { code: "UNKNOWN_UNIT", externalId: level.sku },
        ),
        `${level.sku}/${level.unit}`,
      );
    } else if (target === "ambiguous") {
      fail(
        level.raw,
        new ValidationError(
          `SKU "${level.sku}" unit "${level.unit}" has several inventory levels in Oro (one per warehouse?): per-warehouse import is not supported; set settings.warehouse.`,
          { code: "AMBIGUOUS_LEVEL", externalId: level.sku },
        ),
        `${level.sku}/${level.unit}`,
      );
    } else if (Object.entries(level.attributes).every(([name, value]) => (name === "quantity" ? sameDecimal(value, target.quantity) : false))) {
      unchanged += 1;
    } else {
      changes.push({ level, id: target.id });
    }
  }

  // 4. Write what differs.
  let updated = 0;
  if (settings.inventoryWrite === "batch") {
    // Update by id only: InventoryBundle's api.yml disables create/delete and enables update_list, and
    // inventory levels have a generated id and no unique column, so Oro allows no upsert on them
    // (commerce 6.1.11/7.0.4 InventoryBundle/Resources/config/oro/api.yml; docs/reference/oro-writes.md).
    const items: BatchItem[] = changes.map(({ level, id }) => ({
      data: { type: "inventorylevels", id, attributes: level.attributes, meta: { update: true } },
    }));
    const result = items.length > 0 ? await ctx.oro.batch("inventorylevels", items, { mode: "sync", signal: ctx.signal }) : undefined;
    for (const item of result?.items ?? []) {
      const change = changes[item.index];
      if (!change) continue;
      if (item.outcome === "failed")
        fail(
          change.level.raw,
          new ValidationError(`Oro refused stock of SKU "${change.level.sku}" unit "${change.level.unit}": ${item.reason ?? "batch item failed"}`, {
            code: "ORO_VALIDATION",
            externalId: change.level.sku,
          }),
          `${change.level.sku}/${change.level.unit}`,
        );
      else updated += 1;
    }
  } else {
    await mapWithConcurrency(changes, settings.writeConcurrency, async ({ level, id }) => {
      try {
        // PATCH inventorylevels/{id}: the `update` action InventoryBundle's api.yml keeps (docs/reference/oro-writes.md).
        await ctx.oro.update({ type: "inventorylevels", id, attributes: level.attributes }, { signal: ctx.signal });
        updated += 1;
      } catch (error) {
        // A transient error fails the whole message: its retry skips what already landed.
        if (!isPermanent(error)) throw error;
        fail(
          level.raw,
          new ValidationError(`Oro refused stock of SKU "${level.sku}" unit "${level.unit}": ${(error as Error).message}`, {
            code: "ORO_VALIDATION",
            externalId: level.sku,
            cause: error,
          }),
          `${level.sku}/${level.unit}`,
        );
      }
    });
  }

  ctx.count(StockMetric.read, raws.length);
  ctx.count(StockMetric.updated, updated);
  ctx.count(StockMetric.unchanged, unchanged);
  if (skipped > 0) ctx.count(StockMetric.skipped, skipped);
  if (failures.size > 0) ctx.count(StockMetric.failed, failures.size);
  ctx.logger.info("stock levels applied", { received: raws.length, updated, unchanged, skipped, failed: failures.size });
  await failures.report(ctx);
};
