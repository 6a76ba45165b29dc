import { createHash } from "node:crypto";
import { PermanentError } from "../../shared/errors";
import type { ErpOrder } from "../../shared/integrations/erp";
import { OroNotFoundError, OroValidationError } from "../../shared/oro";
import { ORDER_INCLUDE } from "./mapping";
import type { OrdersContext } from "./settings";

/** Metrics this connector counts (besides the runtime's). */
export const OrdersMetric = {
  read: "OrdersRead",
  created: "OrdersCreated",
  replayed: "OrdersReplayed",
  duplicate: "OrdersAlreadyInErp",
  writtenBack: "OrderNumbersWrittenBack",
} as const;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The Idempotency-Key of one export: Oro order id + the event's message id + a hash of the body.
 * - A redelivered event (same messageId, same order) sends the same key and body: the ERP replays
 *   its first answer, so nothing is created twice, even when the first response was lost.
 * - A different event for the same order (a second delivery of `order.created` under a new
 *   messageId, a backfill) gets another key: the ERP's duplicate check on `source.orderId`
 *   answers 409 with the existing number.
 * - The body hash keeps a redelivery of an order edited in between from reusing a key with
 *   another body (which the ERP would refuse with 422): it falls to the duplicate check instead.
 */
export const idempotencyKey = (orderId: string, messageId: string, body: ErpOrder): string => {
  const event = messageId.length <= 128 ? messageId : sha256(messageId).slice(0, 32);
  return `oro-order:${orderId}:${event}:${sha256(JSON.stringify(body)).slice(0, 16)}`;
};

/**
 * Exports one Oro order to the ERP and writes the ERP order number back to the order:
 * fetch the order with everything the mapping reads, convert it, post it with an idempotency key,
 * write the number back (skipped when the order already holds it).
 */
export const exportOrder = async (orderId: string, messageId: string, ctx: OrdersContext): Promise<void> => {
  const { orderNumberField } = ctx.settings;
  const itemId = /^\d+$/.test(orderId) ? Number(orderId) : undefined;
  const document = await ctx.oro.get("orders", orderId, { include: ORDER_INCLUDE, signal: ctx.signal }).catch((error: unknown) => {
    if (error instanceof OroNotFoundError) {
      throw new PermanentError(
        `Oro order ${orderId} does not exist (404): it was deleted or the event names another Oro instance; nothing was sent to the ERP.`,
        {
          code: "ORO_ORDER_NOT_FOUND",
          cause: error,
          ...(itemId === undefined ? {} : { itemId }),
        },
      );
    }
    throw error;
  });
  const order = document.data;
  ctx.count(OrdersMetric.read);

  const body = ctx.prepared.converter.convert(order, document.included ?? []) as unknown as ErpOrder;
  // Positions are 1-based in the order Oro lists the line items.
  body.lines = (body.lines ?? []).map((line, index) => ({ ...line, lineNumber: index + 1 }));

  const key = idempotencyKey(order.id, messageId, body);
  const result = await ctx.client.createOrder(body, { idempotencyKey: key, signal: ctx.signal });
  ctx.count(result.outcome === "created" ? OrdersMetric.created : result.outcome === "replayed" ? OrdersMetric.replayed : OrdersMetric.duplicate);
  ctx.logger.info("order is in the ERP", {
    orderId: order.id,
    identifier: body.externalOrderNumber,
    erpOrderNumber: result.orderNumber,
    outcome: result.outcome,
  });

  if (order.attributes?.[orderNumberField] === result.orderNumber) return;
  try {
    // PATCH orders/{id} by Oro's id (the webhook's), never an upsert: `externalId` is a string(36) extend
    // field whose uniqueness is a unique_key, not an upsert key (docs/reference/oro-writes.md).
    await ctx.oro.update({ type: "orders", id: order.id, attributes: { [orderNumberField]: result.orderNumber } }, { signal: ctx.signal });
  } catch (error) {
    if (error instanceof OroValidationError) {
      throw new PermanentError(
        `ERP order ${result.orderNumber} was created for Oro order ${order.id}, but Oro refused it in "${orderNumberField}": ${error.message}. ` +
          `externalId needs Oro 6.1.10+/7.0.2+; set settings.orderNumberField to another order field, then redrive (the ERP answers with the same number).`,
        {
          code: "ORO_WRITE_BACK_REJECTED",
          alertType: "configuration",
          cause: error,
          externalId: body.externalOrderNumber,
          ...(itemId === undefined ? {} : { itemId }),
        },
      );
    }
    throw error;
  }
  ctx.count(OrdersMetric.writtenBack);
};
