import * as z from "zod/mini";
import { defineConnector } from "../../shared/connector";
import { erpIntegration } from "../../shared/integrations/erp";
import { explicitWindow, windowFromSettings } from "../../shared/sync";
import { applyStockLevels, StockMetric } from "./apply-levels";
import { StockChangedSchema } from "./messages";
import { ErpStockSettingsSchema, prepareErpStock } from "./settings";
import { positionOf, syncPage } from "./sync-window";

export { MAX_PUSHED_LEVELS } from "./messages";

/**
 * ERP stock to Oro inventory levels (import, scheduled and pushed). See README.md.
 * - `window` (from the schedule, `{scheduledTime}`; or a backfill `{from, to}`): the changes of
 *   the window, page by page;
 * - `page`: the continuation of a window (the connector enqueues it);
 * - `stock.changed`: levels pushed by the ERP (`{levels: [...]}`), also the replay of a failed level.
 */
export const erpStock = defineConnector({
  type: "erp-stock",
  label: "ERP stock to Oro inventory",
  integrationType: erpIntegration,
  entity: "inventorylevels",
  direction: "import",
  defaults: { schedule: "rate(15 minutes)", scheduleMessageType: "window", batchSize: 5, timeoutSeconds: 120, memoryMb: 512 },
  recursiveLoop: {
    allow: true,
    reason:
      "a window's pages follow each other on the connector's own queue (the ERP pages by cursor, so the next page is known only once a page is read): a first sync or a backfill is a chain of one invocation per page",
  },
  settings: ErpStockSettingsSchema,
  prepare: prepareErpStock,
  // Every message reads and applies ERP pages itself (a window, its continuations, a push): all are pages.
  ledger: { records: { read: [StockMetric.read], written: [StockMetric.updated], skipped: [StockMetric.unchanged, StockMetric.skipped] } },
  messages: {
    window: z.object({ scheduledTime: z.optional(z.string()), from: z.optional(z.string()), to: z.optional(z.string()) }),
    page: z.object({ from: z.string(), to: z.string(), cursor: z.string().check(z.minLength(1)), page: z.int().check(z.positive()) }),
    "stock.changed": StockChangedSchema,
  },
  async handle(message, ctx) {
    switch (message.type) {
      case "window": {
        const { scheduledTime, from, to } = message.payload;
        const window = from !== undefined || to !== undefined ? explicitWindow(from ?? "", to ?? "") : windowFromSettings(scheduledTime ?? "", ctx.settings);
        ctx.describeRun?.(window);
        return syncPage(positionOf(window), message.meta, ctx);
      }
      case "page":
        return syncPage(message.payload, message.meta, ctx);
      case "stock.changed":
        return applyStockLevels(message.payload.levels, message.meta, ctx);
    }
  },
});
