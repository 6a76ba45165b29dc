import * as z from "zod/mini";
import type { ConnectorSettings } from "../../shared/connector";
import { createImportConverter, mergeMapping } from "../../shared/converters";
import type { ImportConverter } from "../../shared/converters";
import { DEFAULT_STOCK_PAGE_LIMIT, MAX_STOCK_PAGE_LIMIT } from "../../shared/integrations/erp";
import { defaultStockMapping } from "./mapping";
import type { StockMapping } from "./mapping";

/**
 * Connector settings (deploy config `settings`; besides the common keys of
 * shared/connector/settings.ts, e.g. `maxChainHops`, `windowMinutes`, `handoverMarginMs`):
 * - `pageSize`: levels per `GET /stock` page and per message (default 200, at most 1,000).
 * - `warehouse`: import only levels of this ERP warehouse (and levels without one); others are
 *   skipped. Unset: every level is imported (the ERP keeps one figure per item and unit).
 * - `inventoryWrite`: `batch` (default; Oro's sync batch API, `update_list` is enabled for
 *   inventorylevels) or `single` (one PATCH per level, `writeConcurrency` at a time) for an Oro
 *   where `update_list` is disabled.
 * - `writeConcurrency`: PATCHes at once with `inventoryWrite: single` (1..32, default 4).
 * - `mapping`: override of mapping.ts (deep merge; `null` drops a key).
 */
export const ErpStockSettingsSchema = z.strictObject({
  pageSize: z._default(z.int().check(z.positive(), z.lte(MAX_STOCK_PAGE_LIMIT)), DEFAULT_STOCK_PAGE_LIMIT),
  warehouse: z.optional(z.string().check(z.minLength(1))),
  inventoryWrite: z._default(z.enum(["batch", "single"]), "batch"),
  writeConcurrency: z._default(z.int().check(z.positive(), z.lte(32)), 4),
  mapping: z.optional(z.unknown()),
});
export type ErpStockSettingsSchema = typeof ErpStockSettingsSchema;
export type ErpStockSettings = ConnectorSettings<ErpStockSettingsSchema>;

/** The converters of a level, compiled from the mapping (with its override) once per container. */
export interface ErpStockPrepared {
  key: ImportConverter;
  write: ImportConverter;
}

export const prepareErpStock = (settings: ErpStockSettings): ErpStockPrepared => {
  const mapping = mergeMapping<StockMapping>(defaultStockMapping, settings.mapping);
  const key = createImportConverter({ type: "erp stock level", externalId: mapping.key.sku.from ?? "sku", attributes: { ...mapping.key } });
  return { key, write: createImportConverter(mapping.write) };
};
