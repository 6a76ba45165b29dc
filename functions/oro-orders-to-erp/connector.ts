import * as z from "zod/mini";
import { defineConnector } from "../../shared/connector";
import { erpIntegration } from "../../shared/integrations/erp";
import { exportOrder } from "./export-order";

const id = z.pipe(z.union([z.string().check(z.minLength(1)), z.int()]), z.transform(String));

/**
 * Oro orders to the ERP (export, Oro-emitted). Accepts Oro's `order.created` webhook body as the
 * ingress forwards it (any format: the order is fetched again, so `thin` works), or `order`
 * `{orderId}` for replays and backfills. See README.md.
 */
export const oroOrdersToErp = defineConnector({
  type: "oro-orders-to-erp",
  label: "Oro orders to ERP",
  integrationType: erpIntegration,
  entity: "orders",
  direction: "export",
  defaults: { oroTopics: ["order.created"], batchSize: 10, timeoutSeconds: 60 },
  messages: {
    /** Oro's webhook body `{topic, timestamp, messageId, eventData: {data: {type, id}}}`. */
    "order.created": z.object({ messageId: z.string(), eventData: z.object({ data: z.object({ type: z.literal("orders"), id }) }) }),
    /** Export (again) one order by id: replays, backfills, the ops CLI. */
    order: z.object({ orderId: id }),
  },
  async handle(message, ctx) {
    const orderId = message.type === "order.created" ? message.payload.eventData.data.id : message.payload.orderId;
    await exportOrder(orderId, message.meta.id, ctx);
  },
});
