import * as z from "zod/mini";
import { defineConnector } from "../../shared/connector";
import { erpIntegration } from "../../shared/integrations/erp";
import { explicitWindow, windowFromSettings } from "../../shared/sync";
import { exportOrder, OrdersMetric } from "./export-order";
import { delayedWindow, positionOfWindow, reconcileWindow } from "./reconcile";
import { OrdersToErpSettingsSchema, prepareOrdersToErp } from "./settings";

const id = z.pipe(z.union([z.string().check(z.minLength(1)), z.int()]), z.transform(String));

/**
 * `data.type` of an order event: the JSON:API type, or the PHP class when Oro could not serialize
 * the order and sent its fallback body `{"data":{"type":"<class>","id":...}}`
 * (JsonApiFormatWebhookEventDataProvider::getFallbackData, docs/reference/oro-webhooks.md §1).
 * Either way the id is the order's, and the connector fetches the order again anyway.
 */
export const ORDER_ENTITY_CLASS = "Oro\\Bundle\\OrderBundle\\Entity\\Order";
const orderType = z.union([z.literal("orders"), z.literal(ORDER_ENTITY_CLASS)]);

/**
 * Oro orders to the ERP (export, Oro-emitted). Accepts Oro's `order.created` webhook body as the
 * ingress forwards it (any format, Oro's fallback body included: the order is fetched again, so
 * `thin` works), `order` `{orderId}` for replays and backfills, and `window` (the schedule's
 * reconciliation, or a backfill `{from, to}`), which exports the orders of the window that a lost
 * webhook left behind. See README.md.
 */
export const oroOrdersToErp = defineConnector({
  type: "oro-orders-to-erp",
  label: "Oro orders to ERP",
  integrationType: erpIntegration,
  entity: "orders",
  direction: "export",
  settings: OrdersToErpSettingsSchema,
  prepare: prepareOrdersToErp,
  // A reconciliation window lists; each order it enqueues (and each pushed event) is a page of one order.
  ledger: {
    listing: ["window"],
    records: { read: [OrdersMetric.read], written: [OrdersMetric.created], skipped: [OrdersMetric.replayed, OrdersMetric.duplicate] },
  },
  defaults: { oroTopics: ["order.created"], schedule: "rate(15 minutes)", scheduleMessageType: "window", batchSize: 10, timeoutSeconds: 60 },
  messages: {
    /** Oro's webhook body `{topic, timestamp, messageId, eventData: {data: {type, id}}}`. */
    "order.created": z.object({ messageId: z.string(), eventData: z.object({ data: z.object({ type: orderType, id }) }) }),
    /** Export (again) one order by id: replays, backfills, the ops CLI, the reconciliation. */
    order: z.object({ orderId: id }),
    /** Reconciliation: the schedule's `{scheduledTime}`, a backfill `{from, to}`, or a continuation `{from, to, afterId}`. */
    window: z.object({ scheduledTime: z.optional(z.string()), from: z.optional(z.string()), to: z.optional(z.string()), afterId: z.optional(id) }),
  },
  async handle(message, ctx) {
    switch (message.type) {
      case "order.created":
        return exportOrder(message.payload.eventData.data.id, message.meta.id, ctx);
      case "order":
        return exportOrder(message.payload.orderId, message.meta.id, ctx);
      case "window": {
        const { scheduledTime, from, to, afterId } = message.payload;
        if (from !== undefined || to !== undefined) {
          const window = positionOfWindow(explicitWindow(from ?? "", to ?? ""));
          ctx.describeRun?.(window);
          return reconcileWindow({ ...window, ...(afterId === undefined ? {} : { afterId }) }, message.meta, ctx);
        }
        const window = delayedWindow(windowFromSettings(scheduledTime ?? "", ctx.settings), ctx.settings);
        ctx.describeRun?.(window);
        return reconcileWindow(window, message.meta, ctx);
      }
    }
  },
});
