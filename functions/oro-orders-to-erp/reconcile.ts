import type { MessageSchemas } from "../../shared/connector";
import type { NormalizedMessage } from "../../shared/messages";
import type { SyncWindow } from "../../shared/sync";
import type { OrdersContext, OrdersToErpSettings } from "./settings";

/** Orders one reconciliation message lists (one Oro page); a full page continues in a new message. */
export const RECONCILE_PAGE_SIZE = 100;
/** Minutes the reconciliation stays behind the schedule, so it does not race the webhook of an order just placed. */
export const DEFAULT_RECONCILE_DELAY_MINUTES = 5;

/** Metric: orders the reconciliation found changed in its window and not exported yet. */
export const ReconcileMetric = { found: "OrdersReconciled" } as const;

/** Where a reconciliation continues: the window, and the last order id already looked at (keyset paging). */
export interface ReconcilePosition {
  from: string;
  to: string;
  afterId?: string;
}

/**
 * The envelope id of the export the reconciliation enqueues for an order. It is the same in every
 * window, so the idempotency key of that export (export-order.ts `idempotencyKey`) is the same too:
 * overlapping windows, a redrive, or a reconciliation racing the webhook's export all meet the ERP's
 * replay (same key) or its duplicate check on `source.orderId` (the webhook's key): one ERP order.
 */
export const reconcileMessageId = (orderId: string): string => `reconcile:order:${orderId}`;

/**
 * A window bound as Oro's datetime filter takes it: whole seconds, UTC (`2024-05-01T10:15:00Z`).
 * `from` rounds down and `to` up, so the window only grows; consecutive windows overlap anyway.
 */
export const filterTime = (time: Date, round: "down" | "up"): string => {
  const seconds = (round === "down" ? Math.floor : Math.ceil)(time.getTime() / 1000);
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
};

/** A window's bounds as a reconciliation position. */
export const positionOfWindow = (window: SyncWindow): ReconcilePosition => ({ from: filterTime(window.from, "down"), to: filterTime(window.to, "up") });

/** The window a scheduled run reconciles: the sync window, moved back by `settings.reconcileDelayMinutes`. */
export const delayedWindow = (window: SyncWindow, settings: Pick<OrdersToErpSettings, "reconcileDelayMinutes">): ReconcilePosition => {
  const shift = settings.reconcileDelayMinutes * 60_000;
  return positionOfWindow({ from: new Date(window.from.getTime() - shift), to: new Date(window.to.getTime() - shift) });
};

/**
 * Why this exists: Oro retries a webhook POST only on 423/425/429/502/503. A timeout (30 s), a
 * transport error or a 500 from the ingress loses the event, and Oro skips the delivery silently
 * when the webhook's owner lacks VIEW on the order (docs/reference/oro-webhooks.md §2-§4). So the
 * schedule lists the orders changed in its window (`filter[updatedAt]`) and exports each one whose
 * `orderNumberField` is still empty, i.e. that never reached the ERP or whose write-back was lost:
 * a lost webhook costs at most one schedule interval plus the delay, never an order.
 *
 * Paging is keyset on the id (`filter[id][gt]`, `sort=id`), not page numbers: the write-back of an
 * export moves the order's `updatedAt` out of the window, which would shift page numbers and skip
 * orders. Each unexported order becomes an `order` message on the connector's own queue, so it is
 * retried, dead-lettered and alerted on its own like any export.
 */
export const reconcileWindow = async <M extends MessageSchemas>(position: ReconcilePosition, meta: NormalizedMessage, ctx: OrdersContext<M>): Promise<void> => {
  const { orderNumberField } = ctx.settings;
  const page = await ctx.oro.list<Record<string, unknown>>("orders", {
    filter: { updatedAt: { gte: position.from, lt: position.to }, ...(position.afterId === undefined ? {} : { id: { gt: position.afterId } }) },
    sort: ["id"],
    fields: { orders: [orderNumberField] },
    page: { size: RECONCILE_PAGE_SIZE, number: 1 },
    signal: ctx.signal,
  });
  const missing = page.data.filter((order) => {
    const value = order.attributes?.[orderNumberField];
    return value === undefined || value === null || value === "";
  });
  ctx.logger.info("reconciliation page read", {
    from: position.from,
    to: position.to,
    afterId: position.afterId,
    orders: page.data.length,
    notExported: missing.length,
  });
  if (missing.length > 0) {
    ctx.count(ReconcileMetric.found, missing.length);
    await ctx.enqueue(missing.map((order) => ({ type: "order", id: reconcileMessageId(order.id), payload: { orderId: order.id } })));
  }
  const last = page.data.at(-1);
  if (page.data.length < RECONCILE_PAGE_SIZE || !last) return;
  const next: ReconcilePosition = { from: position.from, to: position.to, afterId: last.id };
  await ctx.enqueue([{ type: "window", id: `${meta.correlationId}/reconcile-after-${last.id}`, payload: { ...next } }]);
};
