import * as z from "zod/mini";
import { ConfigurationError } from "../../shared/errors";
import { DEFAULT_STOCK_PAGE_LIMIT, MAX_STOCK_PAGE_LIMIT } from "../../shared/integrations/erp";

/**
 * Connector settings (deploy config `settings`; the stack adds `schedule`,
 * `scheduleIntervalMinutes` and `windowOverlapMinutes`, read by shared/sync):
 * - `pageSize`: levels per `GET /stock` page and per message (default 200, at most 1,000).
 * - `warehouse`: import only levels of this ERP warehouse (and levels without one); others are
 *   skipped. Unset: every level is imported (the ERP keeps one figure per item and unit).
 * - `inventoryWrite`: `batch` (default; Oro's sync batch API, `update_list` is enabled for
 *   inventorylevels) or `single` (one PATCH per level, `writeConcurrency` at a time) for an Oro
 *   where `update_list` is disabled.
 * - `mapping`: override of mapping.ts.
 */
export const ErpStockSettingsSchema = z.object({
  pageSize: z._default(z.int().check(z.positive(), z.lte(MAX_STOCK_PAGE_LIMIT)), DEFAULT_STOCK_PAGE_LIMIT),
  warehouse: z.optional(z.string().check(z.minLength(1))),
  inventoryWrite: z._default(z.enum(["batch", "single"]), "batch"),
  writeConcurrency: z._default(z.int().check(z.positive(), z.lte(32)), 4),
  mapping: z.optional(z.unknown()),
});
export type ErpStockSettings = z.infer<typeof ErpStockSettingsSchema>;

export const parseSettings = (settings: Readonly<Record<string, unknown>>): ErpStockSettings => {
  const parsed = ErpStockSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new ConfigurationError(
      `erp-stock settings are invalid (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}): pageSize 1..${MAX_STOCK_PAGE_LIMIT}, warehouse a code, inventoryWrite "batch" or "single", writeConcurrency 1..32`,
    );
  }
  return parsed.data;
};
