import type { ConnectorContext, WithReplays } from "../../shared/connector";
import type { ErpClient } from "../../shared/integrations/erp";
import type { NormalizedMessage } from "../../shared/messages";
import { runListing, type SyncWindow } from "../../shared/sync";
import { applyStockLevels } from "./apply-levels";
import type { StockReplays } from "./messages";
import type { ErpStockPrepared, ErpStockSettingsSchema } from "./settings";

/** Where a page of a window continues: the window's bounds, the cursor, the page's number (1-based). */
export interface PagePosition {
  from: string;
  to: string;
  cursor?: string;
  page: number;
}

export const positionOf = (window: SyncWindow): PagePosition => ({ from: window.from.toISOString(), to: window.to.toISOString(), page: 1 });

/** The first page of a window has no cursor; runListing wants a link, so it is the empty string. */
const FIRST_PAGE = "";

/**
 * Syncs a window from a page on: lists `GET /stock` changes in `[from, to)` page after page and
 * applies each, for as long as the invocation has time (shared/sync runListing: the next page is
 * fetched while the current one is written), then puts the next page on the connector's own
 * queue. A window of any size is a chain of a few invocations rather than one per page, so it
 * stays short (Lambda's loop detection is allowed for this function anyway, and the runtime's
 * hop cap bounds it: docs/reference/lambda-recursion.md). Applying before handing over means a
 * retried page never starts a second chain. `settings.handoverMarginMs` raises the time kept
 * for the hand-over (tests use it to force one page per invocation).
 */
export const syncPage = async <M extends WithReplays<StockReplays>>(
  position: PagePosition,
  meta: NormalizedMessage,
  ctx: ConnectorContext<ErpClient, M, ErpStockSettingsSchema, ErpStockPrepared>,
): Promise<void> => {
  const { pageSize, handoverMarginMs } = ctx.settings;
  let page = position.page;
  const result = await runListing<Record<string, unknown>>({
    start: position.cursor ?? FIRST_PAGE,
    fetchPage: async (cursor) => {
      const listed = await ctx.client.listStock(
        { updatedFrom: position.from, updatedTo: position.to, limit: pageSize, ...(cursor ? { cursor } : {}) },
        { signal: ctx.signal },
      );
      return { items: listed.items, next: listed.nextCursor ?? undefined };
    },
    emit: async (levels) => {
      ctx.logger.info("stock page read", { from: position.from, to: position.to, page, levels: levels.length });
      await applyStockLevels(levels, meta, ctx);
      page += 1;
    },
    handOver: async (cursor) => {
      const next: PagePosition = { ...position, cursor, page };
      await ctx.enqueue([{ type: "page", id: `${meta.correlationId}/page-${next.page}`, payload: { ...next } }]);
    },
    remainingTimeMs: () => ctx.remainingTimeMs(),
    ...(handoverMarginMs === undefined ? {} : { handoverMarginMs }),
  });
  ctx.logger.info(result.handedOver ? "stock window handed over to the next page" : "stock window finished", {
    from: position.from,
    to: position.to,
    pages: result.pages,
    levels: result.items,
  });
};
